package mail_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/mail"
	"github.com/sipas/sipas/survey/mail/mailtest"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

const base = "https://sipas.tinh.gov.vn"

// monday is the digest's hour on Monday 1 June 2026.
var monday = time.Date(2026, 6, 1, mail.DigestHour, 0, 0, 0, survey.Vietnam)

// clock is a settable time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// scheduler sends through srv over db, at the clock's time.
func scheduler(t *testing.T, db *sqlite.DB, srv *mailtest.Server, c *clock) *mail.Scheduler {
	t.Helper()
	cfg, err := mail.ParseURL("smtp://" + srv.Addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	reports := &report.Service{Agencies: db, Stats: db, Volumes: db, Plans: db, Reorg: db, Instruments: db.Instruments()}
	return &mail.Scheduler{Store: db, Alerts: db, Reports: reports, Instruments: db.Instruments(), BaseURL: base, Now: c.now,
		Sender: &mail.SMTP{Config: cfg, From: "khaosat@tinh.gov.vn"}}
}

// optIn gives a user an address and the opt-ins.
func optIn(t *testing.T, db *sqlite.DB, name, email string, digest, alerts bool) {
	t.Helper()
	if _, err := db.UpdateUser(context.Background(), name, survey.UserUpdate{Email: &email, DigestWeekly: &digest, AlertMail: &alerts}, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
}

// seedWeeks gives D1/Q1 60 ratings in the week of 18 May (a quarter
// satisfied) and 60 in the week of 25 May (three quarters): a clear rise.
func seedWeeks(t *testing.T, p *sqlitetest.Province) {
	p.Seed(t,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-05-20", N: 15, Value: 4},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-05-21", N: 45, Value: 2},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-05-27", N: 45, Value: 5},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-05-28", N: 15, Value: 3},
	)
}

func TestDigestContent(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	seedWeeks(t, p)
	ctx := context.Background()
	pl, err := survey.ParsePlan(survey.PlanInput{Agency: "D1", Year: 2026, Title: "Kế hoạch 2026"}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreatePlan(ctx, pl, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	for _, tk := range []survey.TaskInput{
		{Title: "Niêm yết thủ tục", Responsible: "C1", Start: "2026-03-01", Due: "2026-05-29", Criteria: []string{"TC1"}},
		{Title: "Tập huấn cán bộ", Responsible: "D1", Start: "2026-03-01", Due: "2026-06-05", Criteria: []string{"TC1"}},
		{Title: "Việc năm sau", Responsible: "D1", Start: "2026-03-01", Due: "2026-12-31", Criteria: []string{"TC1"}},
	} {
		task, err := survey.ParseTask(pl, tk, p.Instruments)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.DB.CreateTask(ctx, task, survey.Actor{Name: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	optIn(t, p.DB, "off", "can.bo@tuphap.tinh.gov.vn", true, false)
	srv := mailtest.Start(t, mailtest.Options{})
	s := scheduler(t, p.DB, srv, &clock{monday})
	if n, err := s.SendDigests(ctx, false, ""); err != nil || n != 1 {
		t.Fatalf("SendDigests = %d, %v; want 1 (only off opted in)", n, err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != "can.bo@tuphap.tinh.gov.vn" {
		t.Fatalf("received %+v", got)
	}
	d := mailtest.Decode(t, got[0])
	if d.Subject != "SIPAS: bản tin tuần 25/05/2026 – 31/05/2026" {
		t.Errorf("subject %q", d.Subject)
	}
	for _, want := range []string{
		"Kính gửi off,",
		"== Sở Tư pháp (D1) ==",
		// The week: 75 % satisfied against 25 %, a rise the interval supports.
		"- Tuần 25/05/2026 – 31/05/2026, ",
		"chỉ số 75,0 (KTC 95%: ",
		"; n = 60); tăng 50,0 điểm so với kỳ trước (KTC 95%: ",
		// May as a whole: reportable, but April had no ratings.
		"- Tháng 05/2026, ",
		"chỉ số 50,0 (KTC 95%: ",
		"; n = 120); chưa đủ dữ liệu",
		"Xem chi tiết: " + base + "/dashboard/overview/D1",
		"== Nhiệm vụ quá hạn ==\n- Niêm yết thủ tục (UBND xã Nhơn Ái), hạn 29/05/2026: " + base + "/dashboard/plans/",
		"== Nhiệm vụ đến hạn trong 7 ngày tới ==\n- Tập huấn cán bộ (Sở Tư pháp), hạn 05/06/2026: " + base + "/dashboard/plans/",
		"Thay đổi việc nhận thư: " + base + "/account/notifications",
	} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, d.Text)
		}
	}
	if strings.Contains(d.Text, "Việc năm sau") {
		t.Errorf("text part has a task not due soon:\n%s", d.Text)
	}
	if !strings.Contains(d.Text, "== Cảnh báo mới trong tuần ==\nKhông có cảnh báo mới.") {
		t.Errorf("text part lacks the empty alerts part:\n%s", d.Text)
	}
	for _, want := range []string{`<html lang="vi">`, "<td align=\"right\">75,0</td>", "tăng 50,0 điểm", `<a href="` + base + `/dashboard/overview/D1">`, "Niêm yết thủ tục"} {
		if !strings.Contains(d.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, d.HTML)
		}
	}
	// No tracking: no images, no remote resources, every link to the
	// dashboard itself.
	if regexp.MustCompile(`(?i)<img|src=|url\(|<script|<link`).MatchString(d.HTML) {
		t.Errorf("HTML part loads something:\n%s", d.HTML)
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(d.HTML, -1) {
		if !strings.HasPrefix(m[1], base+"/") {
			t.Errorf("link %q leaves the dashboard", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`https?://\S+`).FindAllString(d.Text, -1) {
		if !strings.HasPrefix(m, base+"/") {
			t.Errorf("text link %q leaves the dashboard", m)
		}
	}
}

func TestDigestNotEnoughData(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	p.Seed(t, sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-05-27", N: 3, Value: 4})
	optIn(t, p.DB, "off2", "huyen@phongdien.gov.vn", true, false)
	srv := mailtest.Start(t, mailtest.Options{})
	s := scheduler(t, p.DB, srv, &clock{monday})
	if _, err := s.SendDigests(context.Background(), false, ""); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("received %d", len(got))
	}
	text := mailtest.Decode(t, got[0]).Text
	if !strings.Contains(text, "chưa đủ dữ liệu (n = 3)") || strings.Contains(text, "chỉ số ") {
		t.Errorf("three ratings shown as an index:\n%s", text)
	}
	if !strings.Contains(text, "Không có nhiệm vụ quá hạn.") {
		t.Errorf("no empty tasks line:\n%s", text)
	}
}

func TestDigestSchedule(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	optIn(t, p.DB, "off", "a@tuphap.tinh.gov.vn", true, false)
	optIn(t, p.DB, "admin", "b@tinh.gov.vn", true, false)
	optIn(t, p.DB, "off2", "c@phongdien.gov.vn", false, true) // no digest
	srv := mailtest.Start(t, mailtest.Options{})
	c := &clock{monday.Add(-time.Minute)}
	s := scheduler(t, p.DB, srv, c)
	send := func(want int) {
		t.Helper()
		if n, err := s.SendDigests(ctx, false, ""); err != nil || n != want {
			t.Fatalf("at %s: SendDigests = %d, %v; want %d", c.t, n, err, want)
		}
	}
	send(0) // Monday 06:59
	c.t = monday
	send(2)
	send(0)
	c.t = monday.Add(50 * time.Hour)
	send(0)

	// A restart on the same file sends nothing again this week.
	path := p.Path
	p.Close(t)
	db, err := sqlite.Open(path, sqlitetest.Instruments(t), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s = scheduler(t, db, srv, c)
	send(0)
	// The next Monday the server was down; on Wednesday it sends the week's.
	c.t = monday.AddDate(0, 0, 9)
	send(2)
	send(0)
	if n := len(srv.Messages()); n != 4 {
		t.Errorf("%d messages in all, want 4", n)
	}
	// `sipas mail digest --now --user off` on a Monday before 07:00 of the
	// week after sends off's alone.
	c.t = monday.AddDate(0, 0, 14).Add(-time.Hour)
	if n, err := s.SendDigests(ctx, true, "off"); err != nil || n != 1 {
		t.Errorf("forced digest for off = %d, %v", n, err)
	}
	if _, err := s.SendDigests(ctx, true, "off2"); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("forced digest for a user without one: %v", err)
	}
	if _, err := s.SendDigests(ctx, true, "nobody"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("forced digest for an unknown user: %v", err)
	}
}

func TestDigestRetriedAfterFailure(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	optIn(t, p.DB, "off", "a@tuphap.tinh.gov.vn", true, false)
	srv := mailtest.Start(t, mailtest.Options{Fail: 1})
	s := scheduler(t, p.DB, srv, &clock{monday})
	ctx := context.Background()
	if n, err := s.SendDigests(ctx, false, ""); err == nil || n != 0 {
		t.Fatalf("SendDigests = %d, %v; want the server's refusal", n, err)
	}
	if n, err := s.SendDigests(ctx, false, ""); err != nil || n != 1 {
		t.Fatalf("retry = %d, %v; want 1", n, err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d delivered, want 1", n)
	}
}

func TestSchedulerRunStops(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	optIn(t, p.DB, "off", "a@tuphap.tinh.gov.vn", true, false)
	srv := mailtest.Start(t, mailtest.Options{})
	s := scheduler(t, p.DB, srv, &clock{monday})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, 10*time.Millisecond)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // a few more passes: still one digest
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d digests, want 1", n)
	}
}
