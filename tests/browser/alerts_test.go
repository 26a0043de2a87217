package browser_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
)

// alertsJourney: on a 390 px phone, the province's official opens the
// alerts page from the home page's count, finds the drop at D1 with its
// message, acknowledges it with the button, and sees it among the
// acknowledged ones; the page has no sideways scrolling and no serious or
// critical axe-core violation.
func (e *env) alertsJourney(t *testing.T) {
	ctx := e.tab(t, phone, 60*time.Second)
	open(t, ctx, e.url+"/login", 200)
	signIn(t, ctx, phone, "lan")
	v, lo, hi, d, dlo, dhi := 40.0, 30.35, 49.65, -40.0, -50.66, -29.34
	as, err := e.p.DB.AddAlerts(t.Context(), []*survey.Alert{{Kind: survey.AlertDrop, Agency: "D1", Key: "sipas-2017/overall", Period: "2026-03",
		Message: "Sở Tư pháp: chỉ số hài lòng chung (sipas-2017) tháng 03/2026 là 40,00% [30,35 – 49,65] (n = 100), so với ba tháng trước " +
			"(12/2025–02/2026: 80,00% [75,47 – 84,53], n = 300) thay đổi -40,00 điểm phần trăm, khoảng tin cậy [-50,66 – -29,34].",
		Value: &v, Low: &lo, High: &hi, Change: &d, ChangeLow: &dlo, ChangeHigh: &dhi,
		Link: "/dashboard/agency/D1?from=2026-03-01&to=2026-03-31&instrument=sipas-2017"}})
	if err != nil || len(as) != 1 {
		t.Fatalf("add the alert: %v", err)
	}
	id := strconv.FormatInt(as[0].ID, 10)
	open(t, ctx, e.url+"/dashboard", 200)
	follow(t, ctx, "open the alerts from the home page", 200, press(phone, `#home-alerts a`))
	row := `#open-alerts tr[data-alert="` + id + `"]`
	if got := text(t, ctx, row+` .where`); got != "Sở Tư pháp (D1)" {
		t.Errorf("alert's agency: %q", got)
	}
	checkNoHorizontalScroll(t, ctx, phone, "alerts page")
	e.checkAxe(t, ctx, "alerts page (phone)")
	e.screenshot(t, ctx, "alerts-390")
	follow(t, ctx, "acknowledge the alert", 200, press(phone, row+` form.alert-ack button`))
	if got := text(t, ctx, "#flash"); got != "Đã xác nhận cảnh báo số "+id+"." {
		t.Errorf("notice after the acknowledgement: %q", got)
	}
	do(t, ctx, "the alert is among the acknowledged", chromedp.WaitVisible(chromedp.CSS(`#acked-alerts tr[data-alert="`+id+`"]`)))
	a, err := e.p.DB.FindAlert(t.Context(), as[0].ID)
	if err != nil || a.AckedBy != "lan" {
		t.Fatalf("acknowledged in the browser: %+v %v", a, err)
	}
}
