package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestBackupAndIntegrityCheck(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		mustStore(t, p.DB, p.Submission(t, "D1/Q1", uint8(1+i%5), time.Time{}))
	}
	s1, err := p.DB.TokenSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "backup.db")
	if err := p.DB.Backup(ctx, target); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if res, err := sqlite.IntegrityCheck(ctx, target); err != nil || res != "ok" {
		t.Fatalf("integrity check: got %q, %v", res, err)
	}
	if err := p.DB.Backup(ctx, target); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second backup to the same file: got %v, want 'already exists'", err)
	}
	raw := sqlitetest.ReadOnly(t, target)
	if n := queryInt(t, raw, `SELECT count(*) FROM responses`); n != 20 {
		t.Fatalf("backup has %d responses, want 20", n)
	}
	// The copy opens as a database in its own right, with the same secret.
	b, err := sqlite.Open(target, p.Instruments, sqlite.Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	s2, _ := b.TokenSecret(ctx)
	if string(s1) != string(s2) {
		t.Fatalf("backup has another token secret: QR codes would break after a restore")
	}
	if _, err := sqlite.IntegrityCheck(ctx, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Fatalf("integrity check of a missing file: got no error")
	}
}
