package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

func TestImportVolumes(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	mustRegister(t, p, dossierReg("D2-1", "D2", "", vn(2, 1, 8), nil, nil))
	mustRegister(t, p, dossierReg("D2-2", "D2", "", vn(2, 28, 16), nil, nil))
	mustRegister(t, p, dossierReg("D2-3", "D2", "", vn(3, 1, 8), nil, nil))
	got, err := p.DB.ImportVolumes(ctx, []*survey.VolumeRow{
		{AgencyCode: "D2", Month: "2026-02", Dossiers: 100},
		{AgencyCode: "D2", Month: "2026-01", Dossiers: 50},
		{AgencyCode: "D3", Month: "2026-02", Dossiers: 0},
	}, testActor)
	if err != nil {
		t.Fatal(err)
	}
	want := []survey.VolumeImported{
		{Agency: "D2", Month: "2026-02", Dossiers: 100, Registered: 2},
		{Agency: "D2", Month: "2026-01", Dossiers: 50},
		{Agency: "D3", Month: "2026-02", Dossiers: 0},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	got, err = p.DB.ImportVolumes(ctx, []*survey.VolumeRow{{AgencyCode: "D2", Month: "2026-02", Dossiers: 120}}, testActor)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Replaced == nil || *got[0].Replaced != 100 || got[0].Registered != 2 {
		t.Fatalf("re-import: got %+v", got)
	}
	if n := p.Count(t, `SELECT dossiers FROM volumes v JOIN agencies a ON a.id = v.agency_id WHERE a.code = 'D2' AND month = '2026-02'`); n != 120 {
		t.Fatalf("stored %d, want 120", n)
	}
	// All or nothing: the second row's agency is unknown.
	rows := p.Count(t, `SELECT count(*) FROM volumes`)
	_, err = p.DB.ImportVolumes(ctx, []*survey.VolumeRow{
		{AgencyCode: "D2", Month: "2026-02", Dossiers: 999},
		{AgencyCode: "XX", Month: "2026-02", Dossiers: 1},
	}, testActor)
	if e, ok := err.(*survey.Error); !ok || e.Code != survey.ENOTFOUND || e.Line != 2 {
		t.Fatalf("unknown agency: got %#v, want ENOTFOUND on line 2", err)
	}
	if n := p.Count(t, `SELECT count(*) FROM volumes`); n != rows {
		t.Fatalf("got %d volume rows after a refused import, want %d", n, rows)
	}
	if n := p.Count(t, `SELECT dossiers FROM volumes v JOIN agencies a ON a.id = v.agency_id WHERE a.code = 'D2' AND month = '2026-02'`); n != 120 {
		t.Fatalf("a refused import changed a count: %d, want 120", n)
	}
}

func TestVolumes(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	now := vn(4, 15, 10)
	p.DB.Now = func() time.Time { return now }
	ids := map[string]int64{}
	for _, code := range []string{"D1", "D2", "D3", "D4", "C1"} {
		ids[code] = p.Agency(t, code).ID
	}
	due := func(t time.Time) *time.Time { d := t.AddDate(0, 0, 5); return &d }
	// D1 registers every dossier: 2 in January, 3 in February (one on
	// the 5th), 1 in March, 1 in April. Two January ones came back on time
	// in January; one February one came back late in March.
	for i, at := range []time.Time{vn(1, 5, 8), vn(1, 20, 8), vn(2, 5, 8), vn(2, 15, 8), vn(2, 25, 8), vn(3, 10, 8), vn(4, 2, 8)} {
		var ret *time.Time
		switch i {
		case 0, 1:
			ret = ptr(at.AddDate(0, 0, 2))
		case 4:
			ret = ptr(vn(3, 10, 9))
		}
		mustRegister(t, p, dossierReg(fmt.Sprintf("D1-%d", i), "D1", "Q1", at, due(at), ret))
	}
	// D2 imports its monthly counts, and registered a few February
	// dossiers too (the import replaces them); May is still to come.
	for i := 0; i < 5; i++ {
		mustRegister(t, p, dossierReg(fmt.Sprintf("D2-%d", i), "D2", "", vn(2, 10+i, 8), nil, nil))
	}
	if _, err := p.DB.ImportVolumes(ctx, []*survey.VolumeRow{
		{AgencyCode: "D2", Month: "2026-01", Dossiers: 100}, {AgencyCode: "D2", Month: "2026-02", Dossiers: 200},
		{AgencyCode: "D2", Month: "2026-03", Dossiers: 300}, {AgencyCode: "D2", Month: "2026-04", Dossiers: 400},
		{AgencyCode: "D2", Month: "2026-05", Dossiers: 999},
	}, testActor); err != nil {
		t.Fatal(err)
	}
	// D3 has dossiers in January and March, none in February (an agency
	// with nothing in a period is absent, not unknown). D4 and C1 have
	// nothing.
	mustRegister(t, p, dossierReg("D3-1", "D3", "", vn(1, 10, 8), nil, nil))
	mustRegister(t, p, dossierReg("D3-2", "D3", "", vn(3, 10, 8), nil, nil))

	period := func(from, to string) survey.Period {
		pp, err := survey.ParsePeriod(from, to)
		if err != nil {
			t.Fatal(err)
		}
		return pp
	}
	known := func(n, ret, on int64) survey.Volume {
		return survey.Volume{Dossiers: n, Known: true, Returned: ret, OnTime: on}
	}
	unknown := func(ret, on int64) survey.Volume { return survey.Volume{Returned: ret, OnTime: on} }
	for _, tc := range []struct {
		name string
		p    survey.Period
		want map[string]survey.Volume
	}{
		{"first quarter", period("2026-01-01", "2026-03-31"), map[string]survey.Volume{
			"D1": known(6, 3, 2), "D2": known(600, 0, 0), "D3": unknown(0, 0)}},
		{"January", period("2026-01-01", "2026-01-31"), map[string]survey.Volume{
			"D1": known(2, 2, 2), "D2": known(100, 0, 0), "D3": known(1, 0, 0)}},
		{"February: the import replaces the registrations", period("2026-02-01", "2026-02-28"), map[string]survey.Volume{
			"D1": known(3, 0, 0), "D2": known(200, 0, 0)}},
		{"part of February: registrations count by day, an import is cut", period("2026-02-10", "2026-02-28"), map[string]survey.Volume{
			"D1": known(2, 0, 0), "D2": unknown(0, 0)}},
		{"a period to come: May is not counted", period("2026-01-01", "2026-06-30"), map[string]survey.Volume{
			"D1": known(7, 3, 2), "D2": known(1000, 0, 0), "D3": unknown(0, 0)}},
		{"this month up to today", period("2026-04-01", "2026-04-15"), map[string]survey.Volume{
			"D1": known(1, 0, 0), "D2": known(400, 0, 0)}},
		{"part of this month before today", period("2026-04-01", "2026-04-10"), map[string]survey.Volume{
			"D1": known(1, 0, 0), "D2": unknown(0, 0)}},
		{"a year without data", period("2025-01-01", "2025-12-31"), map[string]survey.Volume{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.DB.Volumes(ctx, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			byCode := map[string]survey.Volume{}
			for code, id := range ids {
				if v := got[id]; v != nil {
					byCode[code] = *v
				}
			}
			if fmt.Sprint(byCode) != fmt.Sprint(tc.want) {
				t.Fatalf("got  %v\nwant %v", byCode, tc.want)
			}
		})
	}
}
