package webtest

import (
	"testing"

	"github.com/sipas/sipas/survey"
)

// Alert stores an alert of kind at agency about key in period, with a
// message, figures and a link as the periodic check writes them, and
// returns it (its ID set).
func (e *Env) Alert(tb testing.TB, kind, agency, key, period string) *survey.Alert {
	tb.Helper()
	v, lo, hi := 61.5, 55.2, 67.8
	a := &survey.Alert{Kind: kind, Agency: agency, Key: key, Period: period,
		Message: "Cảnh báo " + kind + " tại " + agency, Value: &v, Low: &lo, High: &hi,
		Link: "/dashboard/agency/" + agency}
	got, err := e.DB.AddAlerts(tb.Context(), []*survey.Alert{a})
	if err != nil || len(got) != 1 {
		tb.Fatalf("add alert %s %s %s %s: %v (%d stored)", kind, agency, key, period, err, len(got))
	}
	return got[0]
}
