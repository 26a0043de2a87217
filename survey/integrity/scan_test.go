package integrity

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

// failingStore fails to read the days (a failure injected: the real store
// is tested in survey/sqlite) and records the erasures asked of it.
type failingStore struct{ erased []string }

func (f *failingStore) IntegrityDays(context.Context, []string) ([]*UnitDay, error) {
	return nil, errors.New("disk on fire")
}
func (f *failingStore) SetAside(context.Context, []Window, time.Time, survey.Actor) (int, error) {
	return 0, nil
}
func (f *failingStore) EraseClients(_ context.Context, before string) (int64, error) {
	f.erased = append(f.erased, before)
	return 0, nil
}

// A pass that fails still erases the tags that are due: the promise of two
// days holds whatever else goes wrong. Dates given twice are judged once.
func TestScanErasesEvenWhenItFails(t *testing.T) {
	st := &failingStore{}
	now := vn("2026-10-08 09:00")
	sc := &Scanner{Store: st, Now: func() time.Time { return now }}
	if _, err := sc.Scan(context.Background()); err == nil {
		t.Fatal("the failure was not reported")
	}
	if len(st.erased) != 1 || st.erased[0] != "2026-10-07" {
		t.Errorf("erased before %v, want 2026-10-07 (today and yesterday kept)", st.erased)
	}
	res, _ := sc.Scan(context.Background(), "2026-10-01", "2026-10-01", "2026-10-02")
	if len(res.Dates) != 2 {
		t.Errorf("dates %v: a date given twice must be judged once", res.Dates)
	}
}

// brokenCalendars fails every lookup (a failure injected) and counts them.
type brokenCalendars struct{ asked int }

func (b *brokenCalendars) Calendar(context.Context, int64) (*Calendar, error) {
	b.asked++
	return nil, errors.New("no calendar")
}

// Judge looks a calendar up for kiosk ratings only, and when it cannot
// read one sets nothing aside and says why.
func TestJudgeAtSubmission(t *testing.T) {
	cals := &brokenCalendars{}
	phone := &survey.Submission{Channel: survey.ChannelWeb, ReceivedAt: vn("2026-10-06 21:00")}
	if err := Judge(context.Background(), cals, phone, Options{}); err != nil || cals.asked != 0 || phone.Flag != "" {
		t.Errorf("phone rating: %v, %d lookups, flag %q", err, cals.asked, phone.Flag)
	}
	kiosk := &survey.Submission{Channel: survey.ChannelKiosk, ReceivedAt: vn("2026-10-06 21:00")}
	if err := Judge(context.Background(), cals, kiosk, Options{}); err == nil || kiosk.Flag != "" {
		t.Errorf("kiosk rating, calendar unreadable: %v, flag %q", err, kiosk.Flag)
	}
}
