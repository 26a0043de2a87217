package survey

import (
	"context"
	"strings"
	"time"
)

// A reorganisation changes the tree of agencies from a date: an agency
// moves under another parent, several merge into one, or one splits into
// several. Nothing is deleted: predecessors are closed on the date and
// keep their ratings; the lineage (who became whom, when) is data, and the
// reports read the tree as it was on each day.

// Kinds of reorganisation events.
const (
	EventMove  = "move"
	EventMerge = "merge"
	EventSplit = "split"
	EventClose = "close"
)

// What happens to a predecessor's counters in a merge.
const (
	// CountersMove: the counters go to the successor from the date; their
	// QR codes keep working until rotated.
	CountersMove = "move"
	// CountersClose: the counters close on the date with their agency.
	CountersClose = "close"
)

// MaxFutureDays is how far ahead of today a reorganisation may be dated.
// It is 0: a merger closes its predecessors and moves their counters when
// it is recorded, so it is recorded on or after the day it applies (a
// decision taken ahead is entered on that day, or imported then).
const MaxFutureDays = 0

// MinReorgYear is the earliest year a reorganisation may be dated.
const MinReorgYear = 2000

// MaxMergeFrom caps the predecessors of one merge.
const MaxMergeFrom = 100

// Move gives Agency a new parent from Date on.
type Move struct {
	Agency string `json:"agency"`
	Parent string `json:"parent"`
	Date   string `json:"date"`
}

// Merge closes the agencies From on Date and makes Into their successor.
// Into is created (named Name, under Parent, or under the first
// predecessor's parent when Parent is empty) when it does not exist.
// Counters is CountersMove (the default) or CountersClose: moved counters
// keep their id and QR codes, and one whose code the successor already
// has becomes FROM-CODE; closed counters stay with their agency. A
// predecessor keeps its last parent (its closure says when it ended), and
// its ratings stay its own: reports read them through the lineage.
type Merge struct {
	Into     string   `json:"into"`
	From     []string `json:"from"`
	Date     string   `json:"date"`
	Name     string   `json:"name"`
	Parent   string   `json:"parent"`
	Counters string   `json:"counters"`
}

// SplitPart is one successor of a split: its code, its name when it is
// created, its parent (default the old agency's), and the old agency's
// counters it takes over.
type SplitPart struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Parent   string   `json:"parent"`
	Counters []string `json:"counters"`
}

// Split closes From on Date and divides its counters among the successors;
// counters given to none close with it. History before the date stays
// with From, offered as each successor's predecessor.
type Split struct {
	From string      `json:"from"`
	Date string      `json:"date"`
	Into []SplitPart `json:"into"`
}

// Close closes Agency on Date with its open counters, as a district
// closes once its communes have merged or moved out (2025). It leaves no
// lineage: the agency has no successor, and it keeps its last parent (its
// closure says when it ended).
type Close struct {
	Agency string `json:"agency"`
	Date   string `json:"date"`
}

// Event is one reorganisation event, as a CSV import line gives it: Kind
// says which of Move, Merge, Split and Close is set.
type Event struct {
	Kind  string
	Move  *Move
	Merge *Merge
	Split *Split
	Close *Close
	// Line is the event's line in an import (0 otherwise).
	Line int
}

// What an event did to a counter (CounterChange.Action).
const (
	CounterMoved  = "moved"
	CounterClosed = "closed"
)

// CounterChange is what an event did to one counter, each named by its
// key AGENCY/CODE: moved From one key To another (the same counter: its id
// and QR codes stay; the code changes when it clashed at the successor),
// or closed (To empty).
type CounterChange struct {
	From   string `json:"from"`
	To     string `json:"to,omitempty"`
	Action string `json:"action"`
}

// Outcome is what an applied event did: the agencies it created (a merge's
// into, a split's new successors) and the counters it moved or closed, in
// the order it did so. A move changes no counter: they go with their
// agency.
type Outcome struct {
	Created  []string
	Counters []CounterChange
}

// CountCounters is the number of counter changes of outcomes with action
// (CounterMoved or CounterClosed).
func CountCounters(outcomes []Outcome, action string) int {
	n := 0
	for _, o := range outcomes {
		for _, c := range o.Counters {
			if c.Action == action {
				n++
			}
		}
	}
	return n
}

// LineageEntry is one link of an agency's lineage: Predecessor became (or
// became part of) Successor on Date, by a merge or a split.
type LineageEntry struct {
	Kind            string    `json:"kind"`
	Date            string    `json:"date"`
	Predecessor     string    `json:"predecessor"`
	PredecessorName string    `json:"predecessor_name"`
	Successor       string    `json:"successor"`
	SuccessorName   string    `json:"successor_name"`
	RecordedAt      time.Time `json:"recorded_at"`
	RecordedBy      string    `json:"recorded_by"`
}

// ParentSpan is an agency's parent over a span of days: From inclusive,
// To exclusive ("" for no end: the current parent). ParentID 0 is a root.
type ParentSpan struct {
	AgencyID int64
	ParentID int64
	From, To string
}

// Lineage is an agency's predecessors and successors.
type Lineage struct {
	Agency       string         `json:"agency"`
	Predecessors []LineageEntry `json:"predecessors"`
	Successors   []LineageEntry `json:"successors"`
	// Parents is the agency's parent history, oldest first.
	Parents []ParentChange `json:"parents"`
}

// ParentChange is one parent an agency had from a date.
type ParentChange struct {
	Parent string `json:"parent"`
	From   string `json:"from"`
	To     string `json:"to,omitempty"`
}

// ReorgStore applies reorganisations and reads the tree's history. Every
// event is checked against the tree as it is (and as the earlier events of
// the same call leave it) before anything is written: a call applies all
// of its events or none.
type ReorgStore interface {
	// Reorganise applies events in order in one transaction and returns
	// what each did (its Outcome, by index). Errors are EINVALID (with the
	// event's Line) or ENOTFOUND, and leave the tree unchanged.
	Reorganise(ctx context.Context, events []Event, by Actor) ([]Outcome, error)
	// Lineage returns an agency's predecessors, successors and parents.
	Lineage(ctx context.Context, code string) (*Lineage, error)
	// TreeHistory returns every agency's parent spans and every lineage
	// link, for the reports to read the tree of any day.
	TreeHistory(ctx context.Context) ([]ParentSpan, []LineageEntry, error)
}

// ParseDay parses a YYYY-MM-DD date of a reorganisation, which may lie at
// most MaxFutureDays after today (in Vietnam).
func ParseDay(field, s string, today time.Time) (string, error) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), Vietnam)
	if err != nil {
		return "", fieldError(field, "%s: %q is not a date YYYY-MM-DD", field, s)
	}
	y, m, dd := today.In(Vietnam).Date()
	if d.After(time.Date(y, m, dd, 0, 0, 0, 0, Vietnam).AddDate(0, 0, MaxFutureDays)) {
		return "", fieldError(field, "%s: %s is in the future: a reorganisation is recorded on or after the day it applies", field, s)
	}
	if d.Year() < MinReorgYear {
		return "", fieldError(field, "%s: %s is before %d", field, s, MinReorgYear)
	}
	return d.Format("2006-01-02"), nil
}

// checkCode checks an agency code named by a field of an event.
func checkCode(field, code string) error {
	if err := ValidateCode(code); err != nil {
		return fieldError(field, "%s: %s", field, err.Message)
	}
	return nil
}

// checkName checks an optional name (one line, as ValidateName).
func checkName(field, name string) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", nil
	}
	n, err := ValidateName(name)
	if err != nil {
		return "", fieldError(field, "%s: %s", field, err.Message)
	}
	return n, nil
}

// CheckMerge checks a merge's form: a successor, at least one predecessor,
// none twice and none the successor itself, a date, a counters policy.
func CheckMerge(m *Merge, today time.Time) error {
	m.Into, m.Parent = strings.TrimSpace(m.Into), strings.TrimSpace(m.Parent)
	m.Counters = strings.ToLower(strings.TrimSpace(m.Counters))
	if m.Into == "" {
		return fieldError("into", "into is required")
	}
	if err := checkCode("into", m.Into); err != nil {
		return err
	}
	if m.Parent != "" {
		if err := checkCode("parent", m.Parent); err != nil {
			return err
		}
	}
	if len(m.From) == 0 {
		return fieldError("from", "from is empty: name the agencies that merge")
	}
	if len(m.From) > MaxMergeFrom {
		return fieldError("from", "at most %d agencies merge at once", MaxMergeFrom)
	}
	seen := map[string]bool{}
	for i, f := range m.From {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
			return fieldError("from", "from: item %d is empty", i+1)
		case f == m.Into:
			return fieldError("from", "%s cannot merge into itself", f)
		case seen[f]:
			return fieldError("from", "%s is named twice", f)
		}
		if err := checkCode("from", f); err != nil {
			return err
		}
		seen[f] = true
		m.From[i] = f
	}
	var err error
	if m.Date, err = ParseDay("date", m.Date, today); err != nil {
		return err
	}
	switch m.Counters {
	case "":
		m.Counters = CountersMove
	case CountersMove, CountersClose:
	default:
		return fieldError("counters", "counters must be %q or %q", CountersMove, CountersClose)
	}
	m.Name, err = checkName("name", m.Name)
	return err
}

// CheckMove checks a move's form.
func CheckMove(m *Move, today time.Time) error {
	m.Agency, m.Parent = strings.TrimSpace(m.Agency), strings.TrimSpace(m.Parent)
	if m.Agency == "" {
		return fieldError("agency", "agency is required")
	}
	if m.Parent == "" {
		return fieldError("parent", "parent is required")
	}
	if m.Parent == m.Agency {
		return fieldError("parent", "%s cannot be its own parent", m.Agency)
	}
	if err := checkCode("agency", m.Agency); err != nil {
		return err
	}
	if err := checkCode("parent", m.Parent); err != nil {
		return err
	}
	var err error
	m.Date, err = ParseDay("date", m.Date, today)
	return err
}

// CheckClose checks a closure's form.
func CheckClose(c *Close, today time.Time) error {
	c.Agency = strings.TrimSpace(c.Agency)
	if c.Agency == "" {
		return fieldError("agency", "agency is required")
	}
	if err := checkCode("agency", c.Agency); err != nil {
		return err
	}
	var err error
	c.Date, err = ParseDay("date", c.Date, today)
	return err
}

// CheckSplit checks a split's form.
func CheckSplit(s *Split, today time.Time) error {
	s.From = strings.TrimSpace(s.From)
	if s.From == "" {
		return fieldError("from", "from is required")
	}
	if err := checkCode("from", s.From); err != nil {
		return err
	}
	if len(s.Into) < 1 {
		return fieldError("into", "into is empty: name the successors")
	}
	if len(s.Into) > MaxMergeFrom {
		return fieldError("into", "at most %d successors", MaxMergeFrom)
	}
	seen, counters := map[string]bool{}, map[string]bool{}
	for i := range s.Into {
		p := &s.Into[i]
		p.Code = strings.TrimSpace(p.Code)
		switch {
		case p.Code == "":
			return fieldError("into", "into: successor %d has no code", i+1)
		case p.Code == s.From:
			return fieldError("into", "%s cannot succeed itself", p.Code)
		case seen[p.Code]:
			return fieldError("into", "%s is named twice", p.Code)
		}
		if err := checkCode("into", p.Code); err != nil {
			return err
		}
		p.Parent = strings.TrimSpace(p.Parent)
		if p.Parent != "" {
			if err := checkCode("parent", p.Parent); err != nil {
				return err
			}
		}
		var err error
		if p.Name, err = checkName("name", p.Name); err != nil {
			return err
		}
		seen[p.Code] = true
		for j, c := range p.Counters {
			c = strings.TrimSpace(c)
			if c == "" {
				return fieldError("into", "%s: counter %d has no code", p.Code, j+1)
			}
			p.Counters[j] = c
			if counters[c] {
				return fieldError("into", "counter %s is given to two successors", c)
			}
			counters[c] = true
		}
	}
	var err error
	s.Date, err = ParseDay("date", s.Date, today)
	return err
}
