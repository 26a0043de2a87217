package integrity

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

func vn(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, survey.Vietnam)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDefaultHours(t *testing.T) {
	cal := NewCalendar(DefaultHours(), []Holiday{{Date: "2026-09-02", Name: "Quốc khánh"}})
	for _, c := range []struct {
		at    string
		grace time.Duration
		open  bool
	}{
		{"2026-10-05 07:00", 0, true},  // Monday, opening minute
		{"2026-10-05 06:59", 0, false}, // before
		{"2026-10-05 11:29", 0, true},
		{"2026-10-05 11:30", 0, false}, // lunch
		{"2026-10-05 13:30", 0, true},
		{"2026-10-05 17:00", 0, false}, // closed at 17:00
		{"2026-10-05 17:20", 30 * time.Minute, true},
		{"2026-10-05 17:30", 30 * time.Minute, false},
		{"2026-10-03 09:00", 0, false}, // Saturday
		{"2026-09-02 09:00", 0, false}, // a Wednesday, but a holiday
	} {
		if got := cal.Open(vn(c.at), c.grace); got != c.open {
			t.Errorf("Open(%s, %v) = %v, want %v", c.at, c.grace, got, c.open)
		}
	}
	if cal.OpenDay(vn("2026-09-02 09:00")) || !cal.OpenDay(vn("2026-10-05 20:00")) {
		t.Error("OpenDay: a holiday is closed, a Monday evening is an open day")
	}
	// A make-up working Saturday opens with Monday's hours.
	work := NewCalendar(DefaultHours(), []Holiday{{Date: "2026-10-10", Name: "Làm bù", Working: true}})
	if !work.Open(vn("2026-10-10 09:00"), 0) || work.Open(vn("2026-10-10 12:00"), 0) || !work.OpenDay(vn("2026-10-10 09:00")) {
		t.Error("a make-up working Saturday: open 09:00 (Monday's hours), closed at noon")
	}
	if work.Open(vn("2026-10-17 09:00"), 0) {
		t.Error("another Saturday is closed")
	}
	// The UTC instant of 08:00 in Vietnam is 01:00 UTC: hours are Vietnam time.
	if !cal.Open(time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC), 0) {
		t.Error("hours must be read in Vietnam time")
	}
}

func TestParseHours(t *testing.T) {
	h, err := ParseHours(map[string][]string{"mon": {"13:30-17:00", "07:00-11:30"}, "sat": {"07:30-11:30"}, "sun": {}})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Map(); got["mon"][0] != "07:00-11:30" || got["sat"][0] != "07:30-11:30" || len(got["tue"]) != 0 {
		t.Errorf("spans not sorted or not kept: %v", got)
	}
	b, _ := json.Marshal(h)
	var back Hours
	if err := json.Unmarshal(b, &back); err != nil || back.Map()["mon"][1] != "13:30-17:00" || len(back[time.Saturday]) != 1 {
		t.Errorf("JSON round trip: %s, %v", b, err)
	}
	for _, c := range []struct {
		in   map[string][]string
		want string
	}{
		{map[string][]string{"mon": {"07:00-11:30", "11:00-12:00"}}, "overlaps"},
		{map[string][]string{"mon": {"09:00-09:00"}}, "empty"},
		{map[string][]string{"mon": {"10:00-09:00"}}, "ends before"},
		{map[string][]string{"mon": {"7:00-11:30"}}, "not a span"},
		{map[string][]string{"mon": {"07:00-25:00"}}, "not a span"},
		{map[string][]string{"monday": {"07:00-11:30"}}, "unknown day"},
		{map[string][]string{"mon": {}}, "no day is open"},
		{map[string][]string{}, "no day is open"},
	} {
		_, err := ParseHours(c.in)
		if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseHours(%v) = %v, want EINVALID with %q", c.in, err, c.want)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	list, err := ParseHolidays([]Holiday{{Date: "2026-09-02", Name: " Quốc khánh "}, {Date: "2026-01-01", Name: "Tết Dương lịch"}})
	if err != nil || list[0].Date != "2026-01-01" || list[1].Name != "Quốc khánh" {
		t.Fatalf("ParseHolidays = %v, %v", list, err)
	}
	for _, bad := range [][]Holiday{
		{{Date: "2026-02-30"}},
		{{Date: "02/09/2026"}},
		{{Date: "2026-09-02"}, {Date: "2026-09-02"}},
		{{Date: "2026-09-02", Name: strings.Repeat("x", 201)}},
	} {
		if _, err := ParseHolidays(bad); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("ParseHolidays(%v) = %v, want EINVALID", bad, err)
		}
	}
}
