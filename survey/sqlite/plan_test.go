package sqlite_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// planTime is the clock of the plan tests: 9:00 in Hanoi on 2 March 2027.
var planTime = time.Date(2027, 3, 2, 2, 0, 0, 0, time.UTC)

// mustPlan checks a plan with survey.ParsePlan and stores it.
func mustPlan(tb testing.TB, p *sqlitetest.Province, agency string, year int, title string, targets ...survey.PlanTarget) *survey.Plan {
	tb.Helper()
	pl, err := survey.ParsePlan(survey.PlanInput{Agency: agency, Year: year, Title: title, Targets: targets}, p.Instruments)
	if err != nil {
		tb.Fatalf("parse plan %q: %v", title, err)
	}
	if err := p.DB.CreatePlan(context.Background(), pl, testActor); err != nil {
		tb.Fatalf("create plan %q: %v", title, err)
	}
	return pl
}

// maxID is the greatest id of table (0 when empty), to read what a test
// adds after it.
func maxID(tb testing.TB, p *sqlitetest.Province, table string) int {
	tb.Helper()
	return p.Count(tb, `SELECT COALESCE(max(id), 0) FROM `+table)
}

// auditSince returns the audit entries after id from, oldest first, as
// "action by user: detail".
func auditSince(tb testing.TB, p *sqlitetest.Province, from int) []string {
	tb.Helper()
	es, err := p.DB.ListAudit(context.Background(), 0, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		if e := es[i]; e.ID > int64(from) {
			out = append(out, e.Action+" by "+e.User+": "+e.Detail)
		}
	}
	return out
}

// historySince returns the history rows after id from, oldest first, as
// "entity id field: old → new by user".
func historySince(tb testing.TB, p *sqlitetest.Province, from int) []string {
	tb.Helper()
	rows, err := p.RO.Query(`SELECT entity, entity_id, field, old_value, new_value, user_name FROM history WHERE id > ? ORDER BY id`, from)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var entity, field, old, new, user string
		var id int64
		if err := rows.Scan(&entity, &id, &field, &old, &new, &user); err != nil {
			tb.Fatal(err)
		}
		out = append(out, entity+" "+itoa(id)+" "+field+": "+old+" → "+new+" by "+user)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// wantLines fails the test when got and want differ.
func wantLines(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		tb.Fatalf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

func TestCreatePlan(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	p.DB.Now = func() time.Time { return planTime }
	from := maxID(t, p, "audit_log")

	pl := mustPlan(t, p, "D1", 2027, "  Nâng cao chỉ số SIPAS  ",
		survey.PlanTarget{Indicator: survey.IndicatorOverall, Target: 85},
		survey.PlanTarget{Indicator: "TC", Target: 80})
	d1 := p.Agency(t, "D1")
	if pl.ID == 0 || pl.AgencyID != d1.ID || pl.AgencyName != d1.Name || pl.CreatedBy != testActor.Name ||
		!pl.CreatedAt.Equal(planTime) || !pl.UpdatedAt.Equal(planTime) || pl.Title != "Nâng cao chỉ số SIPAS" {
		t.Fatalf("created %+v", pl)
	}
	got, err := p.DB.FindPlan(ctx, pl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, pl) {
		t.Fatalf("found %+v\nwant  %+v", got, pl)
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Fatalf("created at %v, want UTC", got.CreatedAt)
	}
	wantTargets := []survey.PlanTarget{{Indicator: "overall", Instrument: "sipas-2017", Target: 85}, {Indicator: "TC", Instrument: "sipas-2017", Target: 80}}
	if !reflect.DeepEqual(got.Targets, wantTargets) {
		t.Fatalf("targets %+v, want %+v", got.Targets, wantTargets)
	}
	// A plan without targets reads back with an empty list, not null.
	empty := mustPlan(t, p, "P", 2027, "Không mục tiêu")
	if got, err := p.DB.FindPlan(ctx, empty.ID); err != nil || got.Targets == nil || len(got.Targets) != 0 {
		t.Fatalf("plan without targets: got %+v, %v", got, err)
	}
	wantLines(t, "audit", auditSince(t, p, from), []string{
		"plan.create by tester: plan " + itoa(pl.ID) + " of D1 2027: Nâng cao chỉ số SIPAS",
		"plan.create by tester: plan " + itoa(empty.ID) + " of P 2027: Không mục tiêu",
	})

	if _, err := p.DB.FindPlan(ctx, 999); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("find unknown plan: got %v, want ENOTFOUND", err)
	}
}

func TestCreatePlanRefused(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	yes := true
	if _, err := p.DB.UpdateAgency(ctx, "D3", survey.AgencyUpdate{Closed: &yes}, testActor); err != nil {
		t.Fatal(err)
	}
	from := maxID(t, p, "audit_log")
	tests := []struct {
		name, agency, wantCode, wantIn string
	}{
		{"unknown agency", "NOPE", survey.ENOTFOUND, `"NOPE"`},
		{"closed agency", "D3", survey.EINVALID, "agency D3 is closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := &survey.Plan{AgencyCode: tt.agency, Year: 2027, Title: "X", Instrument: survey.DefaultInstrument}
			err := p.DB.CreatePlan(ctx, pl, testActor)
			if survey.ErrorCode(err) != tt.wantCode || !strings.Contains(survey.ErrorMessage(err), tt.wantIn) {
				t.Fatalf("got %v, want %s mentioning %s", err, tt.wantCode, tt.wantIn)
			}
			if pl.ID != 0 {
				t.Fatalf("refused plan got id %d", pl.ID)
			}
		})
	}
	if n := p.Count(t, `SELECT count(*) FROM plans`); n != 0 {
		t.Fatalf("got %d plans after refusals, want 0", n)
	}
	if got := auditSince(t, p, from); len(got) != 0 {
		t.Fatalf("refusals audited: %q", got)
	}
}

func TestUpdatePlan(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	p.DB.Now = func() time.Time { return planTime }
	pl := mustPlan(t, p, "D1", 2027, "Kế hoạch 2027", survey.PlanTarget{Indicator: "overall", Target: 80})
	auditFrom, historyFrom := maxID(t, p, "audit_log"), maxID(t, p, "history")
	later := planTime.Add(48 * time.Hour)
	p.DB.Now = func() time.Time { return later }

	title := " Kế hoạch cải thiện 2027 "
	got, err := p.DB.UpdatePlan(ctx, pl.ID, survey.PlanUpdate{Title: &title}, testActor)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Kế hoạch cải thiện 2027" || !reflect.DeepEqual(got.Targets, pl.Targets) || !got.UpdatedAt.Equal(later) || !got.CreatedAt.Equal(planTime) {
		t.Fatalf("after the title: %+v", got)
	}
	targets := []survey.PlanTarget{{Indicator: "overall", Instrument: "sipas-2017", Target: 85}, {Indicator: "TT2", Instrument: "sipas-2017", Target: 75}}
	if got, err = p.DB.UpdatePlan(ctx, pl.ID, survey.PlanUpdate{Targets: &targets}, survey.Actor{Name: "off"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Targets, targets) || got.Title != "Kế hoạch cải thiện 2027" {
		t.Fatalf("after the targets: %+v", got)
	}
	// The same values again changes and records nothing; no fields at all
	// is refused.
	same := got.Title
	if got, err = p.DB.UpdatePlan(ctx, pl.ID, survey.PlanUpdate{Title: &same, Targets: &targets}, testActor); err != nil || got.Title != same {
		t.Fatalf("same values: %+v, %v", got, err)
	}
	if _, err = p.DB.UpdatePlan(ctx, pl.ID, survey.PlanUpdate{}, testActor); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("an empty update: %v, want EINVALID", err)
	}
	found, err := p.DB.FindPlan(ctx, pl.ID)
	if err != nil || !reflect.DeepEqual(found, got) {
		t.Fatalf("found %+v, %v\nwant  %+v", found, err, got)
	}

	id := itoa(pl.ID)
	wantLines(t, "history", historySince(t, p, historyFrom), []string{
		"plan " + id + " title: Kế hoạch 2027 → Kế hoạch cải thiện 2027 by tester",
		`plan ` + id + ` targets: [{"indicator":"overall","instrument":"sipas-2017","target":80}] → ` +
			`[{"indicator":"overall","instrument":"sipas-2017","target":85},{"indicator":"TT2","instrument":"sipas-2017","target":75}] by off`,
	})
	wantLines(t, "audit", auditSince(t, p, auditFrom), []string{
		"plan.update by tester: plan " + id + " of D1 2027: title",
		"plan.update by off: plan " + id + " of D1 2027: targets",
	})

	empty, long := "  ", strings.Repeat("x", survey.MaxPlanTitleRunes+1)
	tests := []struct {
		name     string
		id       int64
		u        survey.PlanUpdate
		wantCode string
	}{
		{"unknown plan", 999, survey.PlanUpdate{Title: &title}, survey.ENOTFOUND},
		{"empty title", pl.ID, survey.PlanUpdate{Title: &empty}, survey.EINVALID},
		{"long title", pl.ID, survey.PlanUpdate{Title: &long}, survey.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := p.DB.UpdatePlan(ctx, tt.id, tt.u, testActor); survey.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want %s", err, tt.wantCode)
			}
		})
	}
	if n := len(historySince(t, p, historyFrom)); n != 2 {
		t.Fatalf("got %d history rows after refusals, want 2", n)
	}
}

// planKeys names plans as "AGENCY/YEAR/title".
func planKeys(ps []*survey.Plan) []string {
	out := []string{}
	for _, pl := range ps {
		out = append(out, pl.AgencyCode+"/"+itoa(int64(pl.Year))+"/"+pl.Title)
	}
	return out
}

func TestListPlans(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	// Created out of year order: the list is by year, newest first, then
	// by id.
	mustPlan(t, p, "P", 2027, "p")
	mustPlan(t, p, "D1", 2027, "d1")
	mustPlan(t, p, "C1", 2026, "c1")
	mustPlan(t, p, "D2", 2027, "d2")
	mustPlan(t, p, "D1", 2026, "d1-old")
	mustPlan(t, p, "C1", 2028, "c1-next")

	all := []string{"C1/2028/c1-next", "P/2027/p", "D1/2027/d1", "D2/2027/d2", "C1/2026/c1", "D1/2026/d1-old"}
	tests := []struct {
		name string
		f    survey.PlanFilter
		want []string
	}{
		{"all", survey.PlanFilter{}, all},
		{"root's subtree is all", survey.PlanFilter{Agency: "P"}, all},
		{"subtree", survey.PlanFilter{Agency: "D1"}, []string{"C1/2028/c1-next", "D1/2027/d1", "C1/2026/c1", "D1/2026/d1-old"}},
		{"leaf", survey.PlanFilter{Agency: "C1"}, []string{"C1/2028/c1-next", "C1/2026/c1"}},
		{"leaf covering", survey.PlanFilter{Agency: "C1", Covering: true},
			[]string{"C1/2028/c1-next", "P/2027/p", "D1/2027/d1", "C1/2026/c1", "D1/2026/d1-old"}},
		{"covering, not siblings", survey.PlanFilter{Agency: "D2", Covering: true}, []string{"P/2027/p", "D2/2027/d2"}},
		{"covering the root", survey.PlanFilter{Agency: "P", Covering: true}, all},
		{"year", survey.PlanFilter{Year: 2026}, []string{"C1/2026/c1", "D1/2026/d1-old"}},
		{"subtree and year", survey.PlanFilter{Agency: "D1", Year: 2027}, []string{"D1/2027/d1"}},
		{"covering and year", survey.PlanFilter{Agency: "C1", Covering: true, Year: 2027}, []string{"P/2027/p", "D1/2027/d1"}},
		{"none", survey.PlanFilter{Agency: "D3"}, []string{}},
		{"none in the year", survey.PlanFilter{Agency: "D2", Year: 2026}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := p.DB.ListPlans(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if ps == nil {
				t.Fatal("got nil, want an empty list")
			}
			wantLines(t, "plans", planKeys(ps), tt.want)
		})
	}
	if _, err := p.DB.ListPlans(ctx, survey.PlanFilter{Agency: "NOPE"}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown agency: got %v, want ENOTFOUND", err)
	}
}
