package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestCLIUserAddIntegration(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	out := mustCLI(t, "mat-khau-tich-hop\n", "user", "add", "--db", p.Path, "--name", "motcua", "--role", "integration", "--agency", "D1")
	if !strings.Contains(out, "user motcua (integration) created") {
		t.Fatalf("got %q", out)
	}
	d, err := openDB(p.Path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := d.FindUser(context.Background(), "motcua")
	d.Close()
	if err != nil || u.Role != survey.RoleIntegration || u.AgencyCode != "D1" {
		t.Fatalf("got %+v, %v", u, err)
	}
	if _, err := runCLI(t, "mat-khau-tich-hop\n", "user", "add", "--db", p.Path, "--name", "x", "--role", "integration"); err == nil || !strings.Contains(err.Error(), "agency") {
		t.Fatalf("integration account without --agency: got %v", err)
	}
	if out, _ := runCLI(t, "", "user", "add", "-h"); !strings.Contains(out, "integration") {
		t.Fatalf("user add -h does not mention the integration role: %s", out)
	}
}

func TestCLIDossierImport(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	db := p.Path
	const head = "code,agency,counter,received_at,due_at,returned_at\n"
	good := head + "H13.22-261102-0017,D1,Q1,2026-11-02T08:15:00+07:00,2026-11-09T17:00:00+07:00,\n" +
		"H13.22-261102-0018,C1,,2026-11-02T09:00:00+07:00,,\n"
	out := mustCLI(t, "", "dossier", "import", "--db", db, writeFile(t, "d.csv", good))
	if !strings.Contains(out, "2 dossiers imported (2 new, 0 updated)") {
		t.Fatalf("got %q", out)
	}
	if out := mustCLI(t, good, "dossier", "import", "--db", db, "-"); !strings.Contains(out, "(0 new, 2 updated)") {
		t.Fatalf("again: got %q", out)
	}
	if n := count(t, db, `SELECT count(*) FROM dossiers`); n != 2 {
		t.Fatalf("got %d dossiers, want 2", n)
	}
	// Stored under the keyed hash of the database's secret, as the server
	// looks them up; never in clear.
	d, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := dbSigner(context.Background(), d)
	if err == nil {
		_, err = d.FindDossier(context.Background(), signer.DossierHash("H13.22-261102-0017"))
	}
	d.Close()
	if err != nil {
		t.Fatalf("find the imported dossier by its code: %v", err)
	}
	for _, f := range []string{db, db + "-wal"} {
		if b, _ := os.ReadFile(f); strings.Contains(string(b), "261102-001") {
			t.Fatalf("%s holds a dossier code in clear", f)
		}
	}
	for _, tt := range []struct{ name, csv, want string }{
		{"bad date", head + "H1,D1,,2026-11-02T08:15:00+07:00,,\nH2,D1,,2026-11-31,,\n", "line 3"},
		{"returned before received", head + "H1,D1,,2026-11-02T08:15:00+07:00,,2026-11-01T08:00:00+07:00\n", "returned_at is before received_at"},
		{"unknown agency", head + "H1,D1,,2026-11-02T08:15:00+07:00,,\nH2,ZZ,,2026-11-02T08:15:00+07:00,,\n", "line 3"},
		{"counter of another agency", head + "H1,C1,K1,2026-11-02T08:15:00+07:00,,\n", "line 2"},
		{"code too long", head + strings.Repeat("X", 65) + ",D1,,2026-11-02T08:15:00+07:00,,\n", "longer than 64"},
		{"code registered for another agency", head + "H13.22-261102-0017,D2,,2026-11-02T08:15:00+07:00,,\n", "another agency"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, tt.csv, "dossier", "import", "--db", db, "-")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v (%s), want an error containing %q", err, out, tt.want)
			}
			if n := count(t, db, `SELECT count(*) FROM dossiers`); n != 2 {
				t.Fatalf("got %d dossiers after a refused import, want 2", n)
			}
		})
	}
	if _, err := runCLI(t, "", "dossier"); err == nil {
		t.Fatalf("dossier without subcommand: no error")
	}
}

func TestCLIVolumeImport(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Close(t)
	db := p.Path
	mustCLI(t, "code,agency,received_at\nH1,D1,2026-03-02T08:00:00+07:00\n", "dossier", "import", "--db", db, "-")
	out := mustCLI(t, "agency,month,dossiers\nD1,2026-03,4000\nC1,2026-03,60\n", "volume", "import", "--db", db, "-")
	for _, want := range []string{"D1 2026-03: 4000 dossiers; stands in for 1 registered dossiers", "C1 2026-03: 60 dossiers\n", "2 monthly counts imported"} {
		if !strings.Contains(out, want) {
			t.Fatalf("got %q, want %q in it", out, want)
		}
	}
	if out := mustCLI(t, "agency,month,dossiers\nD1,2026-03,4100\n", "volume", "import", "--db", db, "-"); !strings.Contains(out, "replaces the 4000 imported before") {
		t.Fatalf("again: got %q", out)
	}
	for _, tt := range []struct{ name, csv, want string }{
		{"month 2026-13", "agency,month,dossiers\nD1,2026-04,1\nD1,2026-13,10\n", "line 3"},
		{"negative count", "agency,month,dossiers\nD1,2026-04,-5\n", "negative"},
		{"unknown agency", "agency,month,dossiers\nD1,2026-04,1\nZZ,2026-04,1\n", "line 3"},
		{"wrong header", "agency,dossiers\nD1,1\n", "month"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, tt.csv, "volume", "import", "--db", db, "-")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v (%s), want an error containing %q", err, out, tt.want)
			}
			if n := count(t, db, `SELECT count(*) FROM volumes`); n != 2 {
				t.Fatalf("got %d volumes after a refused import, want 2", n)
			}
		})
	}
}
