package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
)

// openInternal opens a fresh database for the tests inside this package,
// which cannot use sqlitetest (it imports this package), and closes it
// when the test ends (closing twice is harmless).
func openInternal(tb testing.TB, opt Options) *DB {
	tb.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := Open(filepath.Join(tb.TempDir(), "sipas.db"), reg, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestCloseDrainsQueue blocks the writer behind another process's write
// lock, fills the queue, closes the database, and checks that everything
// queued when Close began is on disk, that every submission answered with
// success is on disk, and that every other one was refused with ErrClosed.
func TestCloseDrainsQueue(t *testing.T) {
	db := openInternal(t, Options{MaxBatch: 4}) // queue of 16
	path := db.Path
	ctx := context.Background()
	if err := db.CreateAgency(ctx, &survey.Agency{Code: "A", Name: "A"}, survey.Actor{}); err != nil {
		t.Fatal(err)
	}
	c := &survey.Counter{AgencyCode: "A", Code: "Q", Name: "Q", Instrument: "quick"}
	if err := db.CreateCounter(ctx, c, survey.Actor{}); err != nil {
		t.Fatal(err)
	}
	in, _ := db.Instruments().Current("quick")

	// Another connection takes the write lock: the writer's next
	// transaction waits for it (busy timeout), so submissions queue up.
	locker, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close()
	lockTx, err := locker.Begin()
	if err != nil {
		t.Fatal(err)
	}
	released := false
	defer func() {
		if !released {
			lockTx.Rollback()
		}
	}()

	const n = 12 // fits the queue, so no sender blocks Close
	var wg sync.WaitGroup
	results := make([]error, n)
	ids := make([]int64, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &survey.Submission{SubmissionID: fmt.Sprintf("drain-test-%06d", i), CounterID: c.ID, AgencyID: c.AgencyID,
				Instrument: in, Answers: []uint8{uint8(1 + i%5)}, Channel: "web", Lang: "vi"}
			res, err := db.StoreResponse(ctx, s)
			results[i], ids[i] = err, res.ResponseID
		}()
	}
	// The writer holds at most one batch; the rest wait in the queue.
	waitFor(t, "submissions to queue", func() bool { return len(db.queue) >= n-4 })

	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	waitFor(t, "Close to refuse new submissions", func() bool {
		db.mu.RLock()
		defer db.mu.RUnlock()
		return db.closed
	})
	// The writer is still stuck behind the lock: what is queued now was
	// accepted before Close and must reach the disk.
	queued := len(db.queue)
	if queued == 0 {
		t.Fatalf("nothing queued when Close began: the test proves nothing")
	}
	late := &survey.Submission{SubmissionID: "drain-test-late-000", CounterID: c.ID, AgencyID: c.AgencyID,
		Instrument: in, Answers: []uint8{5}, Channel: "web", Lang: "vi"}
	if _, err := db.StoreResponse(ctx, late); !errors.Is(err, ErrClosed) {
		t.Fatalf("store after Close: got %v, want ErrClosed", err)
	}
	if err := lockTx.Rollback(); err != nil {
		t.Fatal(err)
	}
	released = true
	all := make(chan struct{})
	go func() { wg.Wait(); close(all) }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("close: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("Close did not return")
	}
	select {
	case <-all:
	case <-time.After(20 * time.Second):
		t.Fatalf("submissions queued before Close were never answered")
	}

	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var stored, respondents int
	if err := raw.QueryRow(`SELECT count(*) FROM responses`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`SELECT COALESCE(sum(respondents), 0) FROM stats_monthly`).Scan(&respondents); err != nil {
		t.Fatal(err)
	}
	ok := 0
	for i, err := range results {
		if errors.Is(err, ErrClosed) {
			continue // arrived after Close began: refused, and the caller knows
		}
		if err != nil {
			t.Fatalf("submission %d: got %v, want it stored or refused with ErrClosed", i, err)
		}
		ok++
		var one int
		if err := raw.QueryRow(`SELECT count(*) FROM responses WHERE id = ?`, ids[i]).Scan(&one); err != nil || one != 1 {
			t.Fatalf("submission %d answered id %d but it is not on disk (%v)", i, ids[i], err)
		}
	}
	if stored != ok || respondents != ok || stored < queued {
		t.Fatalf("got %d rows and %d respondents, want %d (answered with success), at least %d (queued at Close)", stored, respondents, ok, queued)
	}
}
