package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

// A rating from the counter's own tablet out of its agency's opening hours
// is set aside as it arrives (the tablet is inside a closed office); a
// phone's rating at the same hour is counted, and so is a tablet's just
// after closing (the last citizens of the queue).
func TestKioskOutOfHoursSetAsideAtSubmission(t *testing.T) {
	e := webtest.New(t)
	key := e.KioskKey(t, "D1/Q1")
	day := time.Date(2026, 4, 15, 0, 0, 0, 0, survey.Vietnam) // a Wednesday
	form := func(at string, kiosk bool) (int64, string) {
		t.Helper()
		clock, _ := time.ParseDuration(at)
		e.SetNow(day.Add(clock))
		sid := sqlitetest.SubmissionID()
		f := e.FormSubmission(t, "D1/Q1", sid)
		if kiosk {
			f.Set("kiosk", key)
		}
		if w := e.Do(t, webtest.Request{Method: http.MethodPost, URL: "/s/{D1/Q1}", Body: f.Encode()}); w.Code != http.StatusSeeOther {
			t.Fatalf("submit at %s: %d %s", at, w.Code, w.Body)
		}
		var flag, reasons string
		e.RO.QueryRow(`SELECT flag, integrity_reasons FROM responses WHERE submission_id = ?`, sid).Scan(&flag, &reasons)
		return int64(e.Count(t, `SELECT id FROM responses WHERE submission_id = ?`, sid)), flag + "/" + reasons
	}
	before := e.Respondents(t, "D1")
	if _, got := form("20h", true); got != "integrity/off_hours" {
		t.Errorf("kiosk at 20:00: flag %q, want integrity/off_hours", got)
	}
	if _, got := form("20h", false); got != "/" {
		t.Errorf("phone at 20:00: flag %q, want counted", got)
	}
	if _, got := form("17h10m", true); got != "/" {
		t.Errorf("kiosk at 17:10 (grace): flag %q, want counted", got)
	}
	if got := e.Respondents(t, "D1") - before; got != 2 {
		t.Errorf("indices gained %d respondents, want the 2 counted", got)
	}

	// The JSON API's kiosk channel follows the same rule.
	e.SetNow(day.Add(22 * time.Hour))
	body, _ := json.Marshal(map[string]any{"token": e.Token(t, "D1/Q1"), "submission_id": sqlitetest.SubmissionID(),
		"answers": e.Answers(t, "D1/Q1", 5), "kiosk": key})
	if w := e.Do(t, webtest.Request{Method: http.MethodPost, URL: "/api/v1/responses", Body: string(body)}); w.Code != http.StatusCreated {
		t.Fatalf("API kiosk at 22:00: %d %s", w.Code, w.Body)
	}
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE channel = 'kiosk' AND flag = 'integrity'`); n != 2 {
		t.Errorf("%d kiosk ratings set aside, want 2", n)
	}

	// A public holiday closes every office, whatever its hours say.
	if err := e.DB.SetHolidays(t.Context(), []integrity.Holiday{{Date: "2026-04-30", Name: "Ngày Giải phóng miền Nam"}}, survey.Actor{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	day = time.Date(2026, 4, 30, 0, 0, 0, 0, survey.Vietnam)
	if _, got := form("9h", true); got != "integrity/off_hours" {
		t.Errorf("kiosk on a holiday at 09:00: flag %q", got)
	}
	// A make-up working Saturday (set through the API) opens with Monday's
	// hours: the tablet's ratings count.
	put := `{"holidays": [{"date": "2026-04-30", "name": "Ngày Giải phóng miền Nam"}, {"date": "2026-05-09", "name": "Làm bù", "working": true}]}`
	if w := e.Do(t, webtest.Request{Method: http.MethodPut, URL: "/api/v1/holidays", Body: put, User: "admin"}); w.Code != http.StatusOK {
		t.Fatalf("PUT holidays: %d %s", w.Code, w.Body)
	}
	day = time.Date(2026, 5, 9, 0, 0, 0, 0, survey.Vietnam)
	if _, got := form("9h", true); got != "/" {
		t.Errorf("kiosk on a make-up working Saturday at 09:00: flag %q, want counted", got)
	}
	day = time.Date(2026, 5, 16, 0, 0, 0, 0, survey.Vietnam)
	if _, got := form("9h", true); got != "integrity/off_hours" {
		t.Errorf("kiosk on an ordinary Saturday at 09:00: flag %q", got)
	}
	// Submissions keep the client's daily hash for the scan, never its
	// address.
	if n := e.Count(t, `SELECT count(*) FROM responses WHERE client IS NULL`); n != 0 {
		t.Errorf("%d responses without their client hash", n)
	}
}
