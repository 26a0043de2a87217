package sqlite_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	return st.Mode().Perm()
}

// TestFilesArePrivate: the database, its WAL and shared-memory files, its
// folder and its backups hold password hashes and secrets, so they are
// created for their owner only, and CheckPermissions names a file that
// others can read.
func TestFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "sipas.db")
	db, err := sqlite.Open(path, sqlitetest.Instruments(t), sqlite.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer db.Close()
	if err := db.CreateAgency(t.Context(), &survey.Agency{Code: "P", Name: "Tỉnh"}, survey.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("folder: mode %04o, want 0700", m)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", filepath.Base(p), m)
		}
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(t.Context(), backup); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if m := mode(t, backup); m != 0o600 {
		t.Errorf("backup: mode %04o, want 0600", m)
	}
	if err := sqlite.CheckPermissions(path); err != nil {
		t.Errorf("private files: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	err = sqlite.CheckPermissions(path)
	if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), "sipas.db (mode 0644)") {
		t.Fatalf("readable file: got %v, want EINVALID naming sipas.db", err)
	}
}
