package browser_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sipas/sipas/survey"
)

// dossierJourney: the citizen scans the QR code on the slip of a dossier
// registered at D1's tablet counter (quick), rates with one tap and sees
// the thank-you page, which offers no other rating; scanning the slip again
// shows, politely and with HTTP 409, that the dossier is rated.
func (e *env) dossierJourney(t *testing.T) {
	ctx := e.tab(t, phone, 60*time.Second)
	now := time.Now()
	due := now.Add(72 * time.Hour)
	reg := &survey.DossierRegistration{Code: "H13.22-260415-0001", AgencyCode: "D1", CounterCode: "K1", ReceivedAt: now.Add(-time.Hour), DueAt: &due}
	saved, err := e.p.DB.RegisterDossier(t.Context(), e.p.Signer.DossierHash(reg.Code), reg, survey.Actor{Name: "browsertest"})
	if err != nil {
		t.Fatalf("register dossier: %v", err)
	}
	u := e.url + "/s/" + e.p.Signer.DossierToken(saved.Dossier.ID)

	open(t, ctx, u, 200)
	if got := text(t, ctx, "p.agency"); got != "Sở Tư pháp — Máy tính bảng" {
		t.Errorf("heading names %q, want the agency and counter", got)
	}
	checkNoHorizontalScroll(t, ctx, phone, "dossier form")
	e.checkAxe(t, ctx, "dossier form")
	sid := run(t, ctx, "read submission id", chromedp.Value(chromedp.CSS(`input[name=submission_id]`)))
	follow(t, ctx, "one tap on “Rất hài lòng”", 200, chromedp.Tap(chromedp.CSS(`.tap button[value="5"]`)))
	if h := text(t, ctx, "h1"); h != "Cảm ơn Ông/Bà!" {
		t.Fatalf("after one tap: heading %q, want the thank-you page", h)
	}
	if n := run(t, ctx, "count links to rate again", chromedp.Evaluate[int](`document.querySelectorAll("a.again").length`)); n != 0 {
		t.Errorf("the thank-you page of a dossier offers %d links to rate again, want none", n)
	}
	var channel, timeliness string
	if err := e.p.RO.QueryRow(`SELECT channel, timeliness FROM responses WHERE submission_id = ? AND dossier_id = ?`, sid, saved.Dossier.ID).Scan(&channel, &timeliness); err != nil {
		t.Fatalf("no rating of the dossier stored under %s: %v", sid, err)
	}
	if channel != survey.ChannelDossier || timeliness != survey.Pending {
		t.Errorf("stored channel %q timeliness %q, want dossier pending", channel, timeliness)
	}

	open(t, ctx, u, 409)
	if got := text(t, ctx, "main p"); got != survey.MsgDossierRated {
		t.Errorf("second scan says %q, want %q", got, survey.MsgDossierRated)
	}
	checkNoHorizontalScroll(t, ctx, phone, "dossier rated")
	e.checkAxe(t, ctx, "dossier rated")
	e.screenshot(t, ctx, "dossier-rated-390")
}
