package sqlite_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// TestDossierOneRating checks that a dossier keeps its first rating: a
// second submission is ErrDossierRated, the same one again a replay.
func TestDossierOneRating(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	due := vn(3, 9, 17)
	saved := mustRegister(t, p, dossierReg("H13.22-260302-0001", "D1", "Q1", vn(3, 2, 8), &due, nil))
	s := p.Submission(t, "D1/Q1", 4, vn(3, 3, 9))
	s.DossierID, s.Channel, s.Timeliness = saved.Dossier.ID, survey.ChannelDossier, survey.Pending
	first := mustStore(t, p.DB, s)
	if first.Replay {
		t.Fatalf("first rating: got a replay")
	}
	r, err := p.DB.FindResponse(ctx, first.ResponseID)
	if err != nil || r.DossierID != saved.Dossier.ID || r.Timeliness != survey.Pending || r.Channel != survey.ChannelDossier {
		t.Fatalf("stored %+v, %v", r, err)
	}
	if d, err := p.DB.FindDossierByID(ctx, saved.Dossier.ID); err != nil || !d.Rated {
		t.Fatalf("dossier after its rating: %+v, %v", d, err)
	}

	// The same form again (a double tap): a replay of the first.
	again := *s
	if res := mustStore(t, p.DB, &again); !res.Replay || res.ResponseID != first.ResponseID {
		t.Fatalf("same submission again: got %+v, want a replay of %d", res, first.ResponseID)
	}
	// Another submission for the same dossier: refused.
	other := p.Submission(t, "D1/Q1", 1, vn(3, 4, 9))
	other.DossierID, other.Channel = saved.Dossier.ID, survey.ChannelDossier
	_, err = p.DB.StoreResponse(ctx, other)
	if !errors.Is(err, survey.ErrDossierRated) || survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("second rating: got %v, want ErrDossierRated", err)
	}
	// The submission id of the first for another dossier is not a replay.
	d2 := mustRegister(t, p, dossierReg("H13.22-260302-0002", "D1", "Q1", vn(3, 2, 8), nil, nil))
	moved := *s
	moved.DossierID = d2.Dossier.ID
	if _, err := p.DB.StoreResponse(ctx, &moved); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("first submission id for another dossier: got %v, want ECONFLICT", err)
	}
	if n := p.Responses(t); n != 1 {
		t.Fatalf("got %d responses, want 1", n)
	}
	if n, _ := monthStats(t, p, saved.Dossier.AgencyID, s.Instrument, "2026-03"); n != 1 {
		t.Fatalf("stats count %d respondents, want 1", n)
	}
}

// TestDossierRatingWithoutCounter stores the rating of a dossier that
// names no counter: counter_id is NULL.
func TestDossierRatingWithoutCounter(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	saved := mustRegister(t, p, dossierReg("D2-0001", "D2", "", vn(3, 2, 8), nil, nil))
	s := p.Submission(t, "D2/Q1", 5, vn(3, 3, 9))
	s.CounterID, s.DossierID, s.Channel, s.Timeliness = 0, saved.Dossier.ID, survey.ChannelDossier, survey.Pending
	res := mustStore(t, p.DB, s)
	r, err := p.DB.FindResponse(ctx, res.ResponseID)
	if err != nil || r.CounterID != 0 || r.AgencyCode != "D2" || r.DossierID != saved.Dossier.ID {
		t.Fatalf("stored %+v, %v", r, err)
	}
	if n := p.Count(t, `SELECT count(*) FROM responses WHERE counter_id IS NULL`); n != 1 {
		t.Fatalf("got %d responses without counter, want 1", n)
	}
	if again := mustStore(t, p.DB, s); !again.Replay {
		t.Fatalf("same submission again: got %+v, want a replay", again)
	}
}

// TestDossierRatingConcurrent rates one dossier from 30 goroutines at once:
// one rating is stored, every other is refused.
func TestDossierRatingConcurrent(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	saved := mustRegister(t, p, dossierReg("D3-0001", "D3", "Q1", vn(3, 2, 8), nil, nil))
	const n = 30
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		s := p.Submission(t, "D3/Q1", uint8(1+i%5), vn(3, 3, 9))
		s.DossierID, s.Channel = saved.Dossier.ID, survey.ChannelDossier
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = p.DB.StoreResponse(ctx, s)
		}()
	}
	wg.Wait()
	stored := 0
	for i, err := range errs {
		switch {
		case err == nil:
			stored++
		case !errors.Is(err, survey.ErrDossierRated):
			t.Fatalf("rating %d: got %v, want nil or ErrDossierRated", i, err)
		}
	}
	if stored != 1 || p.Responses(t) != 1 {
		t.Fatalf("%d ratings answered stored, %d on disk, want 1", stored, p.Responses(t))
	}
	if n, _ := monthStats(t, p, saved.Dossier.AgencyID, p.Instrument(t, "sipas-2017"), "2026-03"); n != 1 {
		t.Fatalf("stats count %d respondents, want 1", n)
	}
}
