package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// Concurrent renames of one agency, or of one counter, must leave a history
// whose rows form a chain: each row's old value is the new value of the row
// before it, from the original name to the current one. The old value has to
// be read inside the transaction that writes the change.
func TestConcurrentRenamesChainHistory(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	db := p.DB
	ctx := context.Background()
	by := survey.Actor{Name: "tester"}
	agency, counter := p.Agency(t, "D1"), p.Counter(t, "D1/Q1")

	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("Cơ quan %02d", i)
			if _, err := db.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Name: &name}, by); err != nil {
				errs <- fmt.Errorf("rename agency to %q: %w", name, err)
			}
		})
		wg.Go(func() {
			name := fmt.Sprintf("Quầy %02d", i)
			if _, err := db.UpdateCounter(ctx, "D1", "Q1", survey.CounterUpdate{Name: &name}, by); err != nil {
				errs <- fmt.Errorf("rename counter to %q: %w", name, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	a, err := db.FindAgency(ctx, "D1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.FindCounter(ctx, "D1", "Q1")
	if err != nil {
		t.Fatal(err)
	}
	// p.RO, a connection of its own, reads what is on disk.
	tests := []struct {
		entity        string
		id            int64
		first, latest string
	}{
		{"agency", agency.ID, agency.Name, a.Name},
		{"counter", counter.ID, counter.Name, c.Name},
	}
	for _, tt := range tests {
		t.Run(tt.entity, func(t *testing.T) {
			rows, err := p.RO.Query(`SELECT old_value, new_value FROM history WHERE entity = ? AND entity_id = ? AND field = 'name' ORDER BY id`, tt.entity, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var chain [][2]string
			for rows.Next() {
				var old, new string
				if err := rows.Scan(&old, &new); err != nil {
					t.Fatal(err)
				}
				chain = append(chain, [2]string{old, new})
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			// Every name differs from the others, so every rename is a change.
			if len(chain) != n {
				t.Fatalf("got %d history rows, want %d: %q", len(chain), n, chain)
			}
			want := tt.first
			for k, row := range chain {
				if row[0] != want {
					t.Fatalf("row %d: got old value %q, want %q (the previous new value); history %q", k, row[0], want, chain)
				}
				want = row[1]
			}
			if want != tt.latest {
				t.Fatalf("last new value %q, want the current name %q", want, tt.latest)
			}
		})
	}
}
