package sqlite

import (
	"context"
	"testing"

	"github.com/sipas/sipas/survey"
)

// After a bulk load the write connection is durable again.
func TestBulkLoadRestoresSynchronous(t *testing.T) {
	db := openInternal(t, Options{})
	if _, err := db.BulkLoad(context.Background(), func() (*survey.Submission, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	var sync, autockpt int
	if err := db.write.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if err := db.write.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&autockpt); err != nil {
		t.Fatal(err)
	}
	if sync != 2 || autockpt != 1000 { // 2 = FULL
		t.Fatalf("after BulkLoad: synchronous %d, wal_autocheckpoint %d; want 2 and 1000", sync, autockpt)
	}
}
