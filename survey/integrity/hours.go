package integrity

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

// Span is one opening interval of a day, in minutes since midnight (Vietnam
// time), From < To.
type Span struct{ From, To int }

// Hours are an agency's opening hours: the spans of each day of the week,
// indexed by time.Weekday (Sunday = 0). A day without spans is closed.
type Hours [7][]Span

// dayNames are the keys of the JSON form of Hours, by time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// DefaultHours are the opening hours of a one-stop office when none are set:
// Monday to Friday 07:00–11:30 and 13:30–17:00.
func DefaultHours() Hours {
	var h Hours
	for d := time.Monday; d <= time.Friday; d++ {
		h[d] = []Span{{7 * 60, 11*60 + 30}, {13*60 + 30, 17 * 60}}
	}
	return h
}

// ParseHours reads opening hours from their JSON form: a day key ("mon" …
// "sun") to a list of "HH:MM-HH:MM" spans; a missing day or an empty list
// is closed. It returns EINVALID, naming the day, for an unknown day, a
// span that does not parse, is empty or ends before it starts, spans that
// overlap, and for hours with no open day at all.
func ParseHours(in map[string][]string) (Hours, error) {
	var h Hours
	index := map[string]int{}
	for i, n := range dayNames {
		index[n] = i
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	open := false
	for _, k := range keys {
		d, ok := index[k]
		if !ok {
			return Hours{}, survey.Errorf(survey.EINVALID, "hours: unknown day %q (use mon, tue, wed, thu, fri, sat, sun)", k)
		}
		for _, s := range in[k] {
			sp, err := parseSpan(s)
			if err != nil {
				return Hours{}, survey.Errorf(survey.EINVALID, "hours: %s: %v", k, err)
			}
			h[d] = append(h[d], sp)
		}
		sort.Slice(h[d], func(i, j int) bool { return h[d][i].From < h[d][j].From })
		for i := 1; i < len(h[d]); i++ {
			if h[d][i].From < h[d][i-1].To {
				return Hours{}, survey.Errorf(survey.EINVALID, "hours: %s: %s overlaps %s", k, h[d][i-1], h[d][i])
			}
		}
		open = open || len(h[d]) > 0
	}
	if !open {
		return Hours{}, survey.Errorf(survey.EINVALID, "hours: no day is open; give at least one span such as \"mon\": [\"07:00-11:30\"]")
	}
	return h, nil
}

func parseSpan(s string) (Span, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Span{}, fmt.Errorf("%q is not a span HH:MM-HH:MM", s)
	}
	f, err1 := parseClock(from)
	t, err2 := parseClock(to)
	switch {
	case err1 != nil || err2 != nil:
		return Span{}, fmt.Errorf("%q is not a span HH:MM-HH:MM", s)
	case t <= f:
		return Span{}, fmt.Errorf("%q is empty or ends before it starts", s)
	}
	return Span{f, t}, nil
}

// parseClock reads "HH:MM" (00:00 … 24:00) as minutes since midnight.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	var hh, mm int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("bad clock")
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &hh, &mm); err != nil || hh > 24 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("bad clock")
	}
	return hh*60 + mm, nil
}

// String formats a span as "HH:MM-HH:MM".
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
}

// Map is the JSON form of h (every day, closed ones with an empty list).
func (h Hours) Map() map[string][]string {
	out := make(map[string][]string, 7)
	for d, spans := range h {
		list := make([]string, 0, len(spans))
		for _, s := range spans {
			list = append(list, s.String())
		}
		out[dayNames[d]] = list
	}
	return out
}

// MarshalJSON writes h in the form ParseHours reads.
func (h Hours) MarshalJSON() ([]byte, error) { return json.Marshal(h.Map()) }

// UnmarshalJSON reads h with ParseHours.
func (h *Hours) UnmarshalJSON(b []byte) error {
	var m map[string][]string
	if err := json.Unmarshal(b, &m); err != nil {
		return survey.Errorf(survey.EINVALID, "hours: %v", err)
	}
	v, err := ParseHours(m)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// Holiday is a public holiday: a date (YYYY-MM-DD, Vietnam) on which one-stop
// offices are closed whatever their hours say — or, when Working is set, a
// make-up working day (ngày làm bù, a Saturday worked in exchange for a
// bridge holiday) on which they open with their Monday hours.
type Holiday struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Working bool   `json:"working,omitempty"`
}

// ParseHolidays checks a list of holidays: every date must parse and appear
// once, and a name is at most 200 characters. EINVALID names the first bad
// entry.
func ParseHolidays(in []Holiday) ([]Holiday, error) {
	seen := map[string]bool{}
	out := make([]Holiday, 0, len(in))
	for i, h := range in {
		d, err := time.ParseInLocation("2006-01-02", h.Date, survey.Vietnam)
		if err != nil || d.Format("2006-01-02") != h.Date {
			return nil, survey.Errorf(survey.EINVALID, "holidays[%d]: %q is not a date YYYY-MM-DD", i, h.Date)
		}
		if seen[h.Date] {
			return nil, survey.Errorf(survey.EINVALID, "holidays[%d]: %s is listed twice", i, h.Date)
		}
		seen[h.Date] = true
		name := strings.TrimSpace(h.Name)
		if len([]rune(name)) > 200 {
			return nil, survey.Errorf(survey.EINVALID, "holidays[%d]: name longer than 200 characters", i)
		}
		out = append(out, Holiday{Date: h.Date, Name: name, Working: h.Working})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// Calendar is when an agency's office is open: its hours, the public
// holidays and the make-up working days.
type Calendar struct {
	Hours    Hours
	Holidays map[string]bool // dates YYYY-MM-DD, closed
	Working  map[string]bool // dates YYYY-MM-DD, open with Monday's hours
}

// NewCalendar returns the calendar of hours and holidays.
func NewCalendar(h Hours, holidays []Holiday) *Calendar {
	c := &Calendar{Hours: h, Holidays: map[string]bool{}, Working: map[string]bool{}}
	for _, d := range holidays {
		if d.Working {
			c.Working[d.Date] = true
		} else {
			c.Holidays[d.Date] = true
		}
	}
	return c
}

// spans returns the opening spans of t's date (Vietnam): none on a
// holiday, Monday's on a make-up working day, else its weekday's.
func (c *Calendar) spans(l time.Time) []Span {
	date := l.Format("2006-01-02")
	switch {
	case c.Holidays[date]:
		return nil
	case c.Working[date]:
		return c.Hours[time.Monday]
	}
	return c.Hours[l.Weekday()]
}

// OpenDay reports whether the office opens at all on t's date (Vietnam).
func (c *Calendar) OpenDay(t time.Time) bool {
	return len(c.spans(t.In(survey.Vietnam))) > 0
}

// Open reports whether t (Vietnam time) is within the opening hours of its
// day, widened by grace at both ends of every span; never on a holiday.
func (c *Calendar) Open(t time.Time, grace time.Duration) bool {
	l := t.In(survey.Vietnam)
	m := l.Hour()*60 + l.Minute()
	g := int(grace / time.Minute)
	for _, s := range c.spans(l) {
		if m >= s.From-g && m < s.To+g {
			return true
		}
	}
	return false
}
