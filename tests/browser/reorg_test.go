package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// reorgJourney: after D3 and D4 merge into a new unit, the province's
// official opens the new unit's page: its lineage, the merger marked on
// its trend, both roll-up modes of the overview — all accessible.
func (e *env) reorgJourney(t *testing.T) {
	now := time.Now().In(survey.Vietnam)
	merge := now.AddDate(0, 0, -40).Format("2006-01-02")
	e.p.Seed(t,
		sqlitetest.Spec{Counter: "D3/Q1", Day: now.AddDate(0, 0, -60).Format("2006-01-02"), N: 40, Value: 5},
		sqlitetest.Spec{Counter: "D4/Q1", Day: now.AddDate(0, 0, -55).Format("2006-01-02"), N: 40, Value: 3})
	if _, err := e.p.DB.Reorganise(t.Context(), []survey.Event{{Kind: survey.EventMerge, Merge: &survey.Merge{Into: "X", From: []string{"D3", "D4"},
		Date: merge, Name: "Sở Xây dựng và Tài chính"}}}, survey.Actor{Name: "browsertest"}); err != nil {
		t.Fatal(err)
	}
	ctx := e.tab(t, desktop, 60*time.Second)
	open(t, ctx, e.url+"/dashboard/agency/X?period=year", 200)
	signIn(t, ctx, desktop, "lan")
	body := text(t, ctx, "main")
	for _, want := range []string{"Lịch sử tổ chức", "gộp từ 2 đơn vị cũ"} {
		if !strings.Contains(body, want) {
			t.Errorf("X's page does not show %q", want)
		}
	}
	e.checkAxe(t, ctx, "agency page of a merged unit (desktop)")
	open(t, ctx, e.url+"/dashboard/overview/P?as=current", 200)
	e.checkAxe(t, ctx, "overview under today's tree (desktop)")
}
