package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestCounters(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	db, ctx := p.DB, context.Background()
	// Create fills in the counter: ids, its agency's name, the default
	// instrument and the first token version.
	dflt := &survey.Counter{AgencyCode: "D3", Code: "Q2", Name: "Quầy 2"}
	if err := db.CreateCounter(ctx, dflt, testActor); err != nil {
		t.Fatal(err)
	}
	d1k1, d1q1 := p.Counter(t, "D1/K1"), p.Counter(t, "D1/Q1")
	if dflt.Instrument != "sipas-2017" || dflt.TokenVersion != 1 || dflt.AgencyName != "Sở Xây dựng" || dflt.ID == 0 || dflt.AgencyID != p.Agency(t, "D3").ID ||
		d1k1.Instrument != "quick" || d1q1.TokenVersion != 1 || d1q1.AgencyName != "Sở Tư pháp" {
		t.Fatalf("got %+v / %+v / %+v", dflt, d1k1, d1q1)
	}
	byID, err := db.FindCounterByID(ctx, d1k1.ID)
	if err != nil || byID.Code != "K1" || byID.AgencyCode != "D1" || byID.AgencyID != d1k1.AgencyID {
		t.Fatalf("find by id: got %+v, %v", byID, err)
	}
	if _, err := db.FindCounterByID(ctx, 9999); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown id: got %v, want ENOTFOUND", err)
	}
	if _, err := db.FindCounter(ctx, "D2", "K1"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find K1 in D2: got %v, want ENOTFOUND", err)
	}
	cs, err := db.ListCounters(ctx, "D1")
	var got []string
	for _, c := range cs {
		got = append(got, c.Code)
	}
	if err != nil || strings.Join(got, ",") != "K1,Q1,R1,Z1" {
		t.Fatalf("list D1: got %v, %v; want K1,Q1,R1,Z1", cs, err)
	}
	if _, err := db.ListCounters(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("list unknown agency: got %v, want ENOTFOUND", err)
	}
	yes := true
	if _, err := db.UpdateAgency(ctx, "C1", survey.AgencyUpdate{Closed: &yes}, testActor); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		c        survey.Counter
		wantCode string
	}{
		{"same code in another agency", survey.Counter{AgencyCode: "P", Code: "Q1", Name: "Quầy 1"}, ""},
		{"duplicate", survey.Counter{AgencyCode: "D1", Code: "Q1", Name: "Quầy 1"}, survey.ECONFLICT},
		{"unknown agency", survey.Counter{AgencyCode: "NOPE", Code: "Q9", Name: "Quầy 9"}, survey.ENOTFOUND},
		{"closed agency", survey.Counter{AgencyCode: "C1", Code: "Q9", Name: "Quầy 9"}, survey.EINVALID},
		{"unknown instrument", survey.Counter{AgencyCode: "D1", Code: "Q9", Name: "Quầy 9", Instrument: "nps"}, survey.EINVALID},
		{"bad code", survey.Counter{AgencyCode: "D1", Code: "Q 9", Name: "Quầy 9"}, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			if err := db.CreateCounter(ctx, &c, testActor); survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %q", err, tt.wantCode)
			}
		})
	}
}

// The counter cache must never serve a counter as it was before a change
// made through the same database: a rotated QR code stops working at once.
func TestCounterCacheSeesChanges(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	id := p.Counter(t, "D1/Q1").ID
	for i := 0; i < 2; i++ { // fill the cache
		if c, err := p.DB.FindCounterByID(ctx, id); err != nil || c.TokenVersion != 1 {
			t.Fatalf("got %+v, %v", c, err)
		}
	}
	if _, err := p.DB.RotateCounterToken(ctx, "D1", "Q1", testActor); err != nil {
		t.Fatal(err)
	}
	if c, _ := p.DB.FindCounterByID(ctx, id); c.TokenVersion != 2 {
		t.Fatalf("after rotate: got token version %d, want 2", c.TokenVersion)
	}
	name := "Quầy mới"
	if _, err := p.DB.UpdateCounter(ctx, "D1", "Q1", survey.CounterUpdate{Name: &name}, testActor); err != nil {
		t.Fatal(err)
	}
	if c, _ := p.DB.FindCounterByID(ctx, id); c.Name != name {
		t.Fatalf("after rename: got %q", c.Name)
	}
	closed := true
	if _, err := p.DB.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Closed: &closed}, testActor); err != nil {
		t.Fatal(err)
	}
	if c, _ := p.DB.FindCounterByID(ctx, id); !c.AgencyClosed {
		t.Fatalf("after closing the agency: counter not marked")
	}
}

// TestRotateKioskKey: the kiosk version goes up alone (the QR codes keep
// working), the cached counter sees it at once, the old kiosk key is then
// refused, and the rotation is in history and the audit log.
func TestRotateKioskKey(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	before := p.Counter(t, "D1/Q1")
	if before.KioskVersion != 1 {
		t.Fatalf("new counter: kiosk version %d, want 1", before.KioskVersion)
	}
	oldKey := p.Signer.KioskKey(before)
	if c, _ := p.DB.FindCounterByID(ctx, before.ID); !p.Signer.VerifyKiosk(c, oldKey) { // fills the cache
		t.Fatalf("kiosk key refused before the rotation")
	}
	c, err := p.DB.RotateKioskKey(ctx, "D1", "Q1", testActor)
	if err != nil || c.KioskVersion != 2 || c.TokenVersion != before.TokenVersion {
		t.Fatalf("rotate kiosk: got %+v, %v; want kiosk version 2, token version %d", c, err, before.TokenVersion)
	}
	cached, err := p.DB.FindCounterByID(ctx, before.ID)
	if err != nil || cached.KioskVersion != 2 {
		t.Fatalf("after rotate: cached counter %+v, %v", cached, err)
	}
	if p.Signer.VerifyKiosk(cached, oldKey) || !p.Signer.VerifyKiosk(cached, p.Signer.KioskKey(c)) {
		t.Fatalf("after rotate: the old kiosk key must be refused, the new one taken")
	}
	if n := p.Count(t, `SELECT count(*) FROM history WHERE entity = 'counter' AND entity_id = ? AND field = 'kiosk_version' AND old_value = '1' AND new_value = '2' AND user_name = ?`,
		before.ID, testActor.Name); n != 1 {
		t.Fatalf("history: got %d entries, want 1", n)
	}
	if n := p.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'counter.rotate_kiosk' AND detail = 'D1/Q1' AND user_name = ?`, testActor.Name); n != 1 {
		t.Fatalf("audit log: got %d entries, want 1", n)
	}
	if _, err := p.DB.RotateKioskKey(ctx, "D1", "NOPE", testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("rotate unknown: got %v, want ENOTFOUND", err)
	}
	// Rotating the QR token keeps the kiosk version but still changes the
	// kiosk key, which signs the token version.
	r, err := p.DB.RotateCounterToken(ctx, "D1", "Q1", testActor)
	if err != nil || r.KioskVersion != 2 || p.Signer.VerifyKiosk(r, p.Signer.KioskKey(c)) {
		t.Fatalf("rotate token: got %+v, %v; want kiosk version 2 and the kiosk key of before refused", r, err)
	}
}
