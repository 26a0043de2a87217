package render

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

type user struct {
	Name string
	Role string
}

type item struct {
	Code  string
	Label string
	Sub   *note
}

type note struct{ Text string }

type tree struct {
	Label    string
	Children []tree
}

// base is embedded in testPage: its fields and methods are promoted.
type base struct {
	Lang string
	User *user
}

func (b base) Greeting(name string) string { return b.Lang + " " + name }

type testPage struct {
	base
	Title   string
	Items   []item
	Headers map[string]item
	Author  *user
	Root    tree
	Extra   any
	Err     error
	secret  string
}

func (p *testPage) Upper() user { return user{Name: strings.ToUpper(p.Title), Role: "x"} }

func (p *testPage) Find(code string) *item {
	for i := range p.Items {
		if p.Items[i].Code == code {
			return &p.Items[i]
		}
	}
	return &item{}
}

// layout is the shared file every test page is parsed with.
const layout = `{{define "head"}}<title>{{.Title}}</title>{{.Lang}}{{end}}
{{define "item"}}{{.Code}}{{template "note" .Sub}}{{end}}
{{define "note"}}{{.Text}}{{end}}
{{define "author"}}{{.Name}}{{end}}
{{define "tree"}}{{.Label}}{{range .Children}}{{template "tree" .}}{{end}}{{end}}
`

// newTestSet builds the page "page" from layout.html and page.html, whose
// content is body, with data type *testPage.
func newTestSet(tb testing.TB, body string) (*Set, error) {
	tb.Helper()
	fsys := fstest.MapFS{
		"layout.html":     {Data: []byte(layout)},
		"pages/page.html": {Data: []byte(`{{define "page"}}` + body + `{{end}}`)},
	}
	return New(fsys, Page{Name: "page", Files: []string{"layout.html", "pages/page.html"}, Type: (*testPage)(nil)})
}

func TestNewGood(t *testing.T) {
	tests := []struct{ name, body string }{
		{"fields", `{{template "head" .}}{{.Title}}{{.User.Name}}`},
		{"embedded field and method", `{{.Lang}}{{.User.Role}}{{.Greeting "bob"}}`},
		{"pointer to struct", `{{.Author.Name}}{{with .Author}}{{.Role}}{{end}}`},
		{"range", `{{range $i, $it := .Items}}{{$i}}{{$it.Code}}{{.Label}}{{$.Title}}{{.Sub.Text}}{{else}}{{.Title}}{{end}}`},
		{"range map", `{{range $k, $v := .Headers}}{{$k}}{{$v.Label}}{{.Code}}{{end}}`},
		{"range int", `{{range $n := 3}}{{$n}}{{.}}{{end}}`},
		{"map value", `{{.Headers.x.Label}}{{(index .Headers "y").Code}}`},
		{"method result", `{{.Upper.Role}}{{with .Upper}}{{.Name}}{{end}}`},
		{"method with argument", `{{(.Find "a").Label}}{{.Title | .Find}}{{with .Find .Title}}{{.Sub.Text}}{{end}}`},
		{"template with sub-struct", `{{template "item" index .Items 0}}{{template "author" .Author}}{{template "note"}}`},
		{"recursive template", `{{template "tree" .Root}}`},
		{"variables", `{{$a := .Author}}{{$a.Name}}{{$t := .Title}}{{if $t}}{{$a.Role}}{{end}}`},
		{"variable reassigned", `{{$v := .Author}}{{$v = .Upper}}{{$v.Name}}{{$w := .Author}}{{$w = index .Items 0}}{{$w.Code}}`},
		{"functions", `{{if and (eq .Title "x") (not .Lang)}}{{len .Items}}{{printf "%s %d" .Title (len .Headers)}}{{end}}{{.Title | html}}`},
		{"interface values", `{{.Extra.Anything.Goes}}{{.Err.Error}}{{.Err.Whatever}}{{with .Extra}}{{.Deep.Er}}{{end}}{{range .Extra}}{{.X}}{{end}}`},
		{"unknown function result", `{{(printf "%s" .Title).Anything}}{{with slice .Items 1}}{{.Whatever}}{{end}}`},
		{"else with", `{{with .Author}}{{.Name}}{{else with .User}}{{.Role}}{{else}}{{.Title}}{{end}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := newTestSet(t, tt.body); err != nil {
				t.Fatalf("New: %v", err)
			}
		})
	}
}

func TestNewMissing(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // substrings of the error
	}{
		{"top level", "\n{{.Titel}}", []string{`page "page": pages/page.html:2:2: template "page": type *render.testPage has no field or method "Titel"`}},
		{"inside range", `{{range .Items}}{{.Labl}}{{end}}`, []string{`type render.item has no field or method "Labl"`}},
		{"range else", `{{range .Items}}{{else}}{{.Code}}{{end}}`, []string{`*render.testPage has no field or method "Code"`}},
		{"range variable", `{{range $i, $it := .Items}}{{$it.Cod}}{{end}}`, []string{`"Cod"`}},
		{"range key", `{{range $i, $it := .Items}}{{$i.Code}}{{end}}`, []string{`type int has no field or method "Code"`}},
		{"interface method result", `{{.Err.Error.Foo}}`, []string{`type string has no field or method "Foo"`}},
		{"inside with", `{{with .Author}}{{.Nam}}{{end}}`, []string{`type *render.user has no field or method "Nam"`}},
		{"with else", `{{with .Author}}{{else}}{{.Role}}{{end}}`, []string{`"Role"`}},
		{"if else", `{{if .Title}}{{else}}{{.Nope}}{{end}}`, []string{`"Nope"`}},
		{"template with sub-struct", `{{template "author" index .Items 0}}`, []string{`layout.html:4:`, `template "author": type render.item has no field or method "Name"`}},
		{"template with pointer", `{{template "item" .Author}}`, []string{`type *render.user has no field or method "Code"`}},
		{"dollar inside range", `{{range .Items}}{{$.Titl}}{{end}}`, []string{`type *render.testPage has no field or method "Titl"`}},
		{"map value", `{{.Headers.x.Labl}}`, []string{`type render.item has no field or method "Labl"`}},
		{"method result", `{{.Upper.Rol}}`, []string{`type render.user has no field or method "Rol"`}},
		{"method with argument result", `{{(.Find "a").Labl}}`, []string{`type *render.item has no field or method "Labl"`}},
		{"method argument", `{{.Greeting .Nme}}`, []string{`"Nme"`}},
		{"method argument count", `{{.Find}}`, []string{`method "Find" of type *render.testPage takes 1 arguments, got 0`}},
		{"field with arguments", `{{.Title "x"}}`, []string{`field "Title"`}},
		{"unexported field", `{{.secret}}`, []string{`"secret" is an unexported field`}},
		{"unexported embedded struct", `{{.base.Lang}}`, []string{`"base" is an unexported field`}},
		{"field of a string", `{{.Title.Size}}`, []string{`type string has no field or method "Size"`}},
		{"declared variable", `{{$a := .Author}}{{$a.Nme}}`, []string{`"Nme"`}},
		{"function argument", `{{if eq .Titl "x"}}{{end}}`, []string{`"Titl"`}},
		{"missing template", `{{template "nope" .}}`, []string{`no such template "nope"`}},
		{"all problems", `{{.One}}{{range .Items}}{{.Two}}{{end}}`, []string{`"One"`, `"Two"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := newTestSet(t, tt.body)
			if err == nil {
				t.Fatalf("New = %v, want an error", s)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestNewSetPerPage(t *testing.T) {
	// Both pages define "content"; in one shared set the second would
	// replace the first and the check of page a would fail.
	fsys := fstest.MapFS{
		"layout.html": {Data: []byte(`{{define "main"}}[{{template "content" .}}]{{end}}`)},
		"a.html":      {Data: []byte(`{{define "a"}}{{template "main" .}}{{end}}{{define "content"}}{{.Name}}{{end}}`)},
		"b.html":      {Data: []byte(`{{define "b"}}{{template "main" .}}{{end}}{{define "content"}}{{.Code}}{{end}}`)},
	}
	s, err := New(fsys,
		Page{Name: "a", Files: []string{"layout.html", "a.html"}, Type: user{}},
		Page{Name: "b", Files: []string{"layout.html", "b.html"}, Type: item{}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, tt := range []struct {
		page string
		data any
		want string
	}{{"a", user{Name: "an"}, "[an]"}, {"b", item{Code: "C1"}, "[C1]"}} {
		var b strings.Builder
		if err := s.Execute(&b, tt.page, tt.data); err != nil {
			t.Fatalf("Execute %s: %v", tt.page, err)
		}
		if b.String() != tt.want {
			t.Errorf("Execute %s = %q, want %q", tt.page, b.String(), tt.want)
		}
	}
}

func TestNewBadPages(t *testing.T) {
	fsys := fstest.MapFS{"p.html": {Data: []byte(`{{define "p"}}{{.Name}}{{end}}`)}, "bad.html": {Data: []byte(`{{if}}`)}}
	tests := []struct {
		name string
		page Page
		want string
	}{
		{"no template", Page{Name: "q", Files: []string{"p.html"}, Type: user{}}, `no template "q"`},
		{"no type", Page{Name: "p", Files: []string{"p.html"}}, "no data type"},
		{"no file", Page{Name: "p", Files: []string{"missing.html"}, Type: user{}}, "missing.html"},
		{"parse error", Page{Name: "p", Files: []string{"p.html", "bad.html"}, Type: user{}}, "bad.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(fsys, tt.page)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	good := Page{Name: "p", Files: []string{"p.html"}, Type: user{}}
	if _, err := New(fsys, good, good); err == nil {
		t.Errorf("New with a page declared twice: no error")
	}
}

func TestExecute(t *testing.T) {
	s, err := newTestSet(t, `{{template "head" .}}|{{range .Items}}{{.Label}},{{end}}|{{.Greeting "bob"}}|{{(.Find "b").Label}}|{{.Upper.Name}}|{{.Author.Name}}`)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	data := &testPage{
		base:   base{Lang: "vi"},
		Title:  "T<x>",
		Items:  []item{{Code: "a", Label: "A"}, {Code: "b", Label: "B"}},
		Author: &user{Name: "an"},
		secret: "never-rendered",
	}
	var b strings.Builder
	if err := s.Execute(&b, "page", data); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if want := "<title>T&lt;x&gt;</title>vi|A,B,|vi bob|B|T&lt;X&gt;|an"; b.String() != want {
		t.Errorf("Execute = %q, want %q", b.String(), want)
	}

	tests := []struct {
		name string
		page string
		data any
		want string
	}{
		{"wrong type", "page", testPage{}, "takes data of type *render.testPage"},
		{"other type", "page", &user{}, "takes data of type *render.testPage"},
		{"nil data", "page", nil, "not <nil>"},
		{"unknown page", "nope", data, `no page "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			err := s.Execute(&b, tt.page, tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Execute error = %v, want one containing %q", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("Execute wrote %q before failing", b.String())
			}
		})
	}
	var joined interface{ Unwrap() []error }
	_, err = newTestSet(t, `{{.One}}{{.Two}}`)
	if !errors.As(err, &joined) || len(joined.Unwrap()) != 2 {
		t.Errorf("New error %v: want two joined errors", err)
	}
}
