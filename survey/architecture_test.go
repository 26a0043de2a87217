package survey_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/sipas/sipas/"

// packageImports returns, for every package directory of the module, the
// module-internal and third-party packages its non-test files import.
func packageImports(t *testing.T) map[string]map[string]bool {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := module + filepath.ToSlash(rel)
		if out[pkg] == nil {
			out[pkg] = map[string]bool{}
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[pkg][p] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportRules keeps the layout of docs/architecture.md: the domain
// imports neither HTTP nor SQL, the three audiences of the web layer never
// import each other (only the route table in survey/web mounts them), no
// web package imports the SQLite store (but webtest, the HTTP tests'
// harness, which builds the server over a real SQLite file), the store
// does not import the reports, the integrity rules know only the domain,
// the alert check knows neither SQL nor HTTP, and the charts know
// nothing of HTTP.
func TestImportRules(t *testing.T) {
	imports := packageImports(t)
	if _, err := os.Stat("../survey/web/citizen"); err != nil {
		t.Fatalf("the audience packages are missing: %v", err)
	}
	audiences := []string{module + "survey/web/citizen", module + "survey/web/api", module + "survey/web/dashboard"}
	under := func(pkg, dir string) bool { return pkg == module+dir || strings.HasPrefix(pkg, module+dir+"/") }
	checked := 0
	for pkg, ims := range imports {
		for im := range ims {
			checked++
			switch {
			case pkg == module+"survey" && (strings.HasPrefix(im, "github.com/gin-gonic/") || strings.HasPrefix(im, "github.com/mattn/") || strings.HasPrefix(im, module+"survey/")):
				t.Errorf("the domain package survey imports %s", im)
			case pkg == module+"scoring" && (strings.HasPrefix(im, module) || strings.HasPrefix(im, "github.com/gin-gonic/") || im == "database/sql"):
				t.Errorf("scoring imports %s: it is pure statistics", im)
			case under(pkg, "survey/web") && !under(pkg, "survey/web/webtest") && im == module+"survey/sqlite":
				t.Errorf("%s imports the SQLite store: the web layer reaches storage through package survey's interfaces", pkg)
			case under(pkg, "survey/sqlite") && (strings.HasPrefix(im, module+"survey/web") || im == module+"survey/report"):
				t.Errorf("%s imports %s: the store implements the domain's interfaces, it does not know who reads it", pkg, im)
			case under(pkg, "survey/integrity") && (strings.HasPrefix(im, module+"survey/") && im != module+"survey/integrity" || im == "database/sql" || strings.HasPrefix(im, "github.com/gin-gonic/")):
				t.Errorf("%s imports %s: the integrity rules know only the domain", pkg, im)
			case under(pkg, "survey/alert") && (strings.HasPrefix(im, module+"survey/web") || im == module+"survey/sqlite" || im == "database/sql" || strings.HasPrefix(im, "github.com/gin-gonic/")):
				t.Errorf("%s imports %s: the alert check reads through the domain's stores and the reports", pkg, im)
			case !strings.HasSuffix(pkg, "test") && (strings.HasSuffix(im, "/sqlitetest") || strings.HasSuffix(im, "/webtest")):
				t.Errorf("%s imports the test harness %s: only tests may", pkg, im)
			case under(pkg, "survey/web/chart") && strings.HasPrefix(im, "github.com/gin-gonic/"):
				t.Errorf("the charts import Gin")
			}
			for _, a := range audiences {
				if im == a && pkg != module+"survey/web" {
					t.Errorf("%s imports the audience package %s: only the route table (survey/web) mounts audiences", pkg, a)
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d imports checked: the walk missed the module", checked)
	}
}
