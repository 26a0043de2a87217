package survey

import (
	"io"
	"slices"
	"strings"
	"time"
)

// MaxReorgEvents caps the events of one reorganisation import: a province
// applies hundreds of mergers at once, never tens of thousands.
const MaxReorgEvents = 10000

// reorgColumns is the header of a reorganisation import, in its order.
var reorgColumns = []string{"kind", "date", "agency", "parent", "into", "from", "name", "counters"}

// ParseReorganisation reads a reorganisation from CSV, one event a line,
// with the header kind,date,agency,parent,into,from,name,counters (UTF-8,
// an optional BOM, columns in any order, blank lines skipped):
//
//	move,2025-07-01,C1,D2,,,,
//	merge,2025-07-01,,,P-MOI,X-A;X-B;X-C,Phường Mới,move
//	split,2025-07-01,OLD,,NEW1;NEW2,,Tên 1;Tên 2,NEW1=Q1 Q2;NEW2=Q3
//	close,2025-07-01,D-X,,,,,
//
// A move names agency and parent. A close names agency (it closes with
// its open counters, once the earlier lines have left it no open
// sub-agency). A merge names into, from (codes
// separated by ';'), optionally name, parent and counters (move or close).
// A split names agency (the one split) and into (its successors' codes),
// optionally name (their names in the same order, ';'-separated; an empty
// one for an existing agency), parent (of every successor) and counters
// (CODE=counter counter;… : which of the old agency's counters each
// successor takes). Each event is checked with CheckMove, CheckMerge,
// CheckSplit or CheckClose against today; the columns an event's kind does not use must
// be empty. Errors are EINVALID with the file line (the header is line 1)
// and name the column. A file without events is refused, as is one of more
// than MaxReorgEvents.
func ParseReorganisation(r io.Reader, today time.Time) ([]Event, error) {
	rows, lines, err := readCSV(r, reorgColumns, nil)
	if err != nil {
		return nil, err
	}
	if len(rows) > MaxReorgEvents {
		return nil, &Error{Code: EINVALID, Message: "too many events: at most " + itoa(MaxReorgEvents) + " a file", Line: lines[MaxReorgEvents]}
	}
	out := make([]Event, len(rows))
	for i, m := range rows {
		ev, err := reorgEvent(m, today)
		if err != nil {
			err.Line = lines[i]
			return nil, err
		}
		ev.Line = lines[i]
		out[i] = ev
	}
	return out, nil
}

// reorgEvent builds and checks the event of one CSV row.
func reorgEvent(m map[string]string, today time.Time) (Event, *Error) {
	kind := strings.ToLower(m["kind"])
	var used []string
	var ev Event
	switch kind {
	case EventMove:
		used = []string{"agency", "parent"}
		ev = Event{Kind: EventMove, Move: &Move{Agency: m["agency"], Parent: m["parent"], Date: m["date"]}}
	case EventMerge:
		used = []string{"into", "from", "name", "parent", "counters"}
		ev = Event{Kind: EventMerge, Merge: &Merge{Into: m["into"], From: splitList(m["from"]), Date: m["date"],
			Name: m["name"], Parent: m["parent"], Counters: strings.ToLower(m["counters"])}}
	case EventSplit:
		used = []string{"agency", "into", "name", "parent", "counters"}
		s, err := splitEvent(m)
		if err != nil {
			return Event{}, err
		}
		ev = Event{Kind: EventSplit, Split: s}
	case EventClose:
		used = []string{"agency"}
		ev = Event{Kind: EventClose, Close: &Close{Agency: m["agency"], Date: m["date"]}}
	case "":
		return Event{}, fieldError("kind", "kind is required (move, merge, split or close)")
	default:
		return Event{}, fieldError("kind", "kind: %q is not move, merge, split or close", m["kind"])
	}
	if m["date"] == "" {
		return Event{}, fieldError("date", "date is required (YYYY-MM-DD)")
	}
	for _, col := range reorgColumns[2:] {
		if m[col] != "" && !slices.Contains(used, col) {
			return Event{}, fieldError(col, "%s: a %s does not use this column; leave it empty", col, kind)
		}
	}
	var err error
	switch kind {
	case EventMove:
		err = CheckMove(ev.Move, today)
	case EventMerge:
		err = CheckMerge(ev.Merge, today)
	case EventSplit:
		err = CheckSplit(ev.Split, today)
	case EventClose:
		err = CheckClose(ev.Close, today)
	}
	if err != nil {
		return Event{}, columnError(err)
	}
	return ev, nil
}

// splitEvent reads a split's columns: the successors' codes, their names
// in the same order, and which counters each takes.
func splitEvent(m map[string]string) (*Split, *Error) {
	s := &Split{From: m["agency"], Date: m["date"]}
	if s.From == "" {
		return nil, fieldError("agency", "agency is required: the agency that splits")
	}
	codes := splitList(m["into"])
	if len(codes) == 0 {
		return nil, fieldError("into", "into is empty: name the successors, separated by ';'")
	}
	var names []string
	if m["name"] != "" {
		// Names keep their empty places: "Tên 1;;Tên 3" names the first
		// and third successors only.
		names = strings.Split(m["name"], ";")
		if len(names) != len(codes) {
			return nil, fieldError("name", "name: %d names for %d successors (give one for each, in the order of into)", len(names), len(codes))
		}
	}
	index := map[string]int{}
	for i, c := range codes {
		p := SplitPart{Code: c, Counters: []string{}}
		if names != nil {
			p.Name = strings.TrimSpace(names[i])
		}
		p.Parent = m["parent"]
		s.Into = append(s.Into, p)
		if _, dup := index[c]; !dup {
			index[c] = i
		}
	}
	for _, item := range splitList(m["counters"]) {
		code, list, ok := strings.Cut(item, "=")
		code = strings.TrimSpace(code)
		if !ok || code == "" {
			return nil, fieldError("counters", "counters: %q is not CODE=counter counter…", item)
		}
		i, known := index[code]
		if !known {
			return nil, fieldError("counters", "counters: %s is not one of the successors in into", code)
		}
		if len(s.Into[i].Counters) > 0 {
			return nil, fieldError("counters", "counters: %s is given counters twice", code)
		}
		s.Into[i].Counters = strings.Fields(list)
		if len(s.Into[i].Counters) == 0 {
			return nil, fieldError("counters", "counters: %s= names no counter", code)
		}
	}
	return s, nil
}

// splitList splits a ';'-separated list, trimming each item and dropping
// empty ones.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ";") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// columnError makes a Check error's message name its CSV column (the
// checks' fields are the columns' names; a split's "from", the agency
// column, is checked before, so it never reaches here).
func columnError(err error) *Error {
	e, ok := err.(*Error)
	if !ok {
		return &Error{Code: EINVALID, Message: err.Error()}
	}
	for field := range e.Fields {
		if !strings.HasPrefix(e.Message, field) {
			e.Message = "column " + field + ": " + e.Message
		}
	}
	return e
}
