package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// dropAlert is an alert of the drop kind for agency code in month.
func dropAlert(code, month string, change float64) *survey.Alert {
	return &survey.Alert{Kind: survey.AlertDrop, Agency: code, Key: "overall", Period: month,
		Message: "Chỉ số giảm", Value: ptr(70.0), Low: ptr(65.0), High: ptr(75.0),
		Change: ptr(change), ChangeLow: ptr(change - 5), ChangeHigh: ptr(change + 5),
		Link: "/dashboard/agencies/" + code}
}

// TestAddAlertsOnce: an alert is stored once for its kind, agency, key and
// period; adding it again returns nothing and keeps the first; a batch with
// an unknown kind or agency stores none of its alerts.
func TestAddAlertsOnce(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	at := time.Date(2026, 4, 2, 1, 0, 0, 0, time.UTC)
	p.DB.Now = func() time.Time { return at }

	got, err := p.DB.AddAlerts(ctx, []*survey.Alert{dropAlert("D1", "2026-03", -12), dropAlert("D2", "2026-03", -8)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID == 0 || got[1].ID <= got[0].ID || !got[0].CreatedAt.Equal(at) {
		t.Fatalf("stored: %+v", got)
	}
	if got[0].AgencyID != p.Agency(t, "D1").ID || got[0].AgencyName != "Sở Tư pháp" {
		t.Fatalf("agency not resolved: %+v", got[0])
	}

	// Again, with one new alert among them: only that one is stored.
	again, err := p.DB.AddAlerts(ctx, []*survey.Alert{dropAlert("D1", "2026-03", -20), dropAlert("D1", "2026-04", -9),
		{Kind: survey.AlertDrop, AgencyID: p.Agency(t, "D2").ID, Key: "overall", Period: "2026-03", Message: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].Period != "2026-04" {
		t.Fatalf("second run stored %+v, want only D1 2026-04", again)
	}
	first, err := p.DB.FindAlert(ctx, got[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if *first.Change != -12 || *first.ChangeLow != -17 || *first.Value != 70 || first.Link != "/dashboard/agencies/D1" || first.AckedAt != nil {
		t.Fatalf("first alert changed or misread: %+v", first)
	}
	if n := p.Count(t, `SELECT count(*) FROM alerts`); n != 3 {
		t.Fatalf("%d alerts stored, want 3", n)
	}

	for name, bad := range map[string]*survey.Alert{
		"kind":    {Kind: "index.rise", Agency: "D3", Key: "overall", Period: "2026-03", Message: "x"},
		"agency":  {Kind: survey.AlertDrop, Agency: "NOPE", Key: "overall", Period: "2026-03", Message: "x"},
		"id":      {Kind: survey.AlertDrop, AgencyID: 99999, Key: "overall", Period: "2026-03", Message: "x"},
		"message": {Kind: survey.AlertDrop, Agency: "D3", Key: "overall", Period: "2026-03"},
	} {
		_, err := p.DB.AddAlerts(ctx, []*survey.Alert{dropAlert("D3", "2026-03", -7), bad})
		if survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", name, err)
		}
	}
	if n := p.Count(t, `SELECT count(*) FROM alerts WHERE agency_id = ?`, p.Agency(t, "D3").ID); n != 0 {
		t.Fatalf("a failed batch stored %d alerts", n)
	}
}

// TestListAlerts: every filter field, newest first, and AfterID's oldest
// first.
func TestListAlerts(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	clock := time.Date(2026, 4, 2, 1, 0, 0, 0, time.UTC)
	p.DB.Now = func() time.Time { clock = clock.Add(time.Hour); return clock }
	var ids []int64
	for _, l := range []*survey.Alert{
		dropAlert("D1", "2026-03", -12),
		dropAlert("D2", "2026-03", -8),
		{Kind: survey.AlertSetAside, Agency: "D1", Key: "Q1", Period: "2026-03", Message: "Quầy bất thường", Link: "/dashboard/integrity"},
		dropAlert("C1", "2026-03", -9),
	} {
		got, err := p.DB.AddAlerts(ctx, []*survey.Alert{l})
		if err != nil || len(got) != 1 {
			t.Fatalf("add: %v %v", got, err)
		}
		ids = append(ids, got[0].ID)
	}
	if _, err := p.DB.AckAlert(ctx, ids[1], testActor); err != nil {
		t.Fatal(err)
	}
	d1, c1 := p.Agency(t, "D1").ID, p.Agency(t, "C1").ID
	base := time.Date(2026, 4, 2, 1, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		f    survey.AlertFilter
		want []int64
	}{
		{"all newest first", survey.AlertFilter{}, []int64{ids[3], ids[2], ids[1], ids[0]}},
		{"agencies", survey.AlertFilter{Agencies: []int64{d1, c1}}, []int64{ids[3], ids[2], ids[0]}},
		{"no agencies", survey.AlertFilter{Agencies: []int64{}}, nil},
		{"open", survey.AlertFilter{Acked: ptr(false)}, []int64{ids[3], ids[2], ids[0]}},
		{"acked", survey.AlertFilter{Acked: ptr(true)}, []int64{ids[1]}},
		{"kind", survey.AlertFilter{Kind: survey.AlertSetAside}, []int64{ids[2]}},
		{"since", survey.AlertFilter{Since: base.Add(3 * time.Hour)}, []int64{ids[3], ids[2]}},
		{"until", survey.AlertFilter{Until: base.Add(3 * time.Hour)}, []int64{ids[1], ids[0]}},
		{"after id oldest first", survey.AlertFilter{AfterID: ids[0]}, []int64{ids[1], ids[2], ids[3]}},
		{"after id limit", survey.AlertFilter{AfterID: ids[0], Limit: 2}, []int64{ids[1], ids[2]}},
		{"limit", survey.AlertFilter{Limit: 1}, []int64{ids[3]}},
		{"combined", survey.AlertFilter{Agencies: []int64{d1}, Kind: survey.AlertDrop, Acked: ptr(false)}, []int64{ids[0]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.DB.ListAlerts(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("nil list, want [] for JSON")
			}
			var gotIDs []int64
			for _, l := range got {
				gotIDs = append(gotIDs, l.ID)
			}
			if len(gotIDs) != len(tc.want) {
				t.Fatalf("got %v, want %v", gotIDs, tc.want)
			}
			for i := range gotIDs {
				if gotIDs[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", gotIDs, tc.want)
				}
			}
		})
	}
	if _, err := p.DB.ListAlerts(ctx, survey.AlertFilter{Kind: "bogus"}); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("unknown kind: got %v, want EINVALID", err)
	}
}

// TestAckAlert: acknowledging sets who and when, is audited once, and a
// second acknowledgement keeps the first; unknown ids are ENOTFOUND.
func TestAckAlert(t *testing.T) {
	ctx := context.Background()
	p := sqlitetest.New(t, sqlite.Options{})
	at := time.Date(2026, 4, 2, 3, 0, 0, 0, time.UTC)
	p.DB.Now = func() time.Time { return at }
	got, err := p.DB.AddAlerts(ctx, []*survey.Alert{dropAlert("D1", "2026-03", -12)})
	if err != nil {
		t.Fatal(err)
	}
	id := got[0].ID
	before := p.Count(t, `SELECT max(id) FROM audit_log`)

	l, err := p.DB.AckAlert(ctx, id, survey.Actor{Name: "off"})
	if err != nil {
		t.Fatal(err)
	}
	if l.AckedBy != "off" || l.AckedAt == nil || !l.AckedAt.Equal(at) {
		t.Fatalf("acked: %+v", l)
	}
	at = at.Add(time.Hour)
	l, err = p.DB.AckAlert(ctx, id, survey.Actor{Name: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if l.AckedBy != "off" || !l.AckedAt.Equal(at.Add(-time.Hour)) {
		t.Fatalf("second ack replaced the first: %+v", l)
	}
	lines := auditSince(t, p, before)
	if len(lines) != 1 || lines[0] != "alert.ack by off: alert 1 (index.drop D1 overall 2026-03)" {
		t.Fatalf("audit: %q", lines)
	}
	if _, err := p.DB.AckAlert(ctx, id+100, testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown ack: got %v, want ENOTFOUND", err)
	}
	if _, err := p.DB.FindAlert(ctx, id+100); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown find: got %v, want ENOTFOUND", err)
	}
	var e *survey.Error
	if _, err := p.DB.FindAlert(ctx, id+100); !errors.As(err, &e) {
		t.Fatalf("find error is not a survey.Error: %v", err)
	}
}
