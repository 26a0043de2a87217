package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/mail/mailtest"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// addAlert stores a drop alert of agency for month through AddAlerts.
func addAlert(t *testing.T, db *sqlite.DB, agency, month, message string) *survey.Alert {
	t.Helper()
	as, err := db.AddAlerts(context.Background(), []*survey.Alert{{Kind: survey.AlertDrop, Agency: agency, Key: "overall", Period: month,
		Message: message, Link: "/dashboard/overview/" + agency}})
	if err != nil || len(as) != 1 {
		t.Fatalf("AddAlerts = %v, %v", as, err)
	}
	return as[0]
}

func TestAlertMail(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	c := &clock{monday}
	p.DB.Now = c.now
	optIn(t, p.DB, "off", "a@tuphap.tinh.gov.vn", false, true) // D1's subtree
	optIn(t, p.DB, "off2", "b@phongdien.gov.vn", true, false)  // no alert mail
	optIn(t, p.DB, "admin", "c@tinh.gov.vn", false, true)      // everything
	old := addAlert(t, p.DB, "D1", "2026-04", "Trước khi có thư")
	srv := mailtest.Start(t, mailtest.Options{})
	s := scheduler(t, p.DB, srv, c)
	// The first pass only notes where the list stands: older alerts are
	// not mailed.
	if n, err := s.SendAlerts(ctx); err != nil || n != 0 {
		t.Fatalf("first SendAlerts = %d, %v", n, err)
	}
	drop := "Chỉ số hài lòng của UBND xã Nhơn Ái tháng 05/2026 giảm 12,0 điểm (KTC 95%: 4,0 đến 20,0) so với ba tháng trước."
	addAlert(t, p.DB, "C1", "2026-05", drop)
	addAlert(t, p.DB, "D2", "2026-05", "Chỉ số của UBND huyện Phong Điền giảm.")
	if n, err := s.SendAlerts(ctx); err != nil || n != 2 {
		t.Fatalf("SendAlerts = %d, %v; want off's and admin's", n, err)
	}
	got := map[string]*mailtest.Decoded{}
	for _, r := range srv.Messages() {
		got[r.To[0]] = mailtest.Decode(t, r)
	}
	off, admin := got["a@tuphap.tinh.gov.vn"], got["c@tinh.gov.vn"]
	if off == nil || admin == nil || len(got) != 2 {
		t.Fatalf("mailed %v", got)
	}
	if off.Subject != "SIPAS: cảnh báo mới tại UBND xã Nhơn Ái" || !strings.Contains(off.Text, drop) ||
		!strings.Contains(off.Text, base+"/dashboard/overview/C1") || strings.Contains(off.Text, "Phong Điền") || strings.Contains(off.Text, "Trước khi") {
		t.Errorf("off's mail: %q\n%s", off.Subject, off.Text)
	}
	if !strings.Contains(off.HTML, `<a href="`+base+`/dashboard/overview/C1">`) || strings.Contains(off.HTML, "<img") {
		t.Errorf("off's HTML:\n%s", off.HTML)
	}
	if admin.Subject != "SIPAS: cảnh báo mới (2)" || !strings.Contains(admin.Text, "Phong Điền") || !strings.Contains(admin.Text, "Nhơn Ái") {
		t.Errorf("admin's mail: %q\n%s", admin.Subject, admin.Text)
	}

	// Nothing new: nothing sent. A restart on the same file with the cursor
	// moved back (a crash before it was saved) sends nothing twice either.
	if n, err := s.SendAlerts(ctx); err != nil || n != 0 {
		t.Fatalf("again = %d, %v", n, err)
	}
	path := p.Path
	p.Close(t)
	db, err := sqlite.Open(path, sqlitetest.Instruments(t), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetMailCursor(ctx, "alerts", old.ID); err != nil {
		t.Fatal(err)
	}
	s = scheduler(t, db, srv, c)
	if n, err := s.SendAlerts(ctx); err != nil || n != 0 {
		t.Fatalf("after restart = %d, %v", n, err)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("%d messages in all, want 2", n)
	}

	// The week's digest lists the week's alerts in the scope.
	optIn(t, db, "off", "a@tuphap.tinh.gov.vn", true, true)
	c.t = monday.AddDate(0, 0, 7)
	if n, err := s.SendDigests(ctx, false, ""); err != nil || n != 2 {
		t.Fatalf("digests = %d, %v", n, err)
	}
	for _, r := range srv.Messages()[2:] {
		d := mailtest.Decode(t, r)
		switch r.To[0] {
		case "a@tuphap.tinh.gov.vn":
			if !strings.Contains(d.Text, "== Cảnh báo mới trong tuần ==\n- UBND xã Nhơn Ái: "+drop) || strings.Contains(d.Text, "Phong Điền giảm") {
				t.Errorf("off's digest alerts:\n%s", d.Text)
			}
		case "b@phongdien.gov.vn":
			if !strings.Contains(d.Text, "- UBND huyện Phong Điền: Chỉ số của UBND huyện Phong Điền giảm.") || strings.Contains(d.Text, "Nhơn Ái") {
				t.Errorf("off2's digest alerts:\n%s", d.Text)
			}
		}
	}
}

func TestAlertMailRetriedAfterFailure(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	c := &clock{monday}
	p.DB.Now = c.now
	optIn(t, p.DB, "off", "a@tuphap.tinh.gov.vn", false, true)
	srv := mailtest.Start(t, mailtest.Options{Fail: 1})
	s := scheduler(t, p.DB, srv, c)
	if _, err := s.SendAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	addAlert(t, p.DB, "D1", "2026-05", "Sở Tư pháp giảm.")
	if n, err := s.SendAlerts(ctx); err == nil || n != 0 {
		t.Fatalf("SendAlerts = %d, %v; want the refusal", n, err)
	}
	c.t = c.t.Add(time.Minute)
	if n, err := s.SendAlerts(ctx); err != nil || n != 1 {
		t.Fatalf("retry = %d, %v; want 1", n, err)
	}
	if n, err := s.SendAlerts(ctx); err != nil || n != 0 {
		t.Fatalf("after = %d, %v", n, err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d delivered, want 1", n)
	}
}
