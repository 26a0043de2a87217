package survey

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// VolumeRow is one imported monthly dossier count: how many dossiers an
// agency received in a month, for agencies whose one-stop software does not
// register each dossier.
type VolumeRow struct {
	AgencyCode string
	Month      string // YYYY-MM
	Dossiers   int64
}

// VolumeImported says what importing a row did: whether it replaced a count
// imported before, and how many registered dossiers of that agency and
// month it stands in for (an imported count replaces them).
type VolumeImported struct {
	Agency     string `json:"agency"`
	Month      string `json:"month"`
	Dossiers   int64  `json:"dossiers"`
	Replaced   *int64 `json:"replaced_import"`
	Registered int64  `json:"registered_dossiers_replaced"`
}

// Volume is what is known of an agency's dossiers in a period: how many it
// received (Dossiers, when Known), from registrations and monthly imports,
// and how many of those returned in the period with a due date were on
// time.
type Volume struct {
	Dossiers int64
	// Known is false when part of the period has no count: a month with an
	// imported count that the period cuts (the import is monthly).
	Known bool
	// Returned counts dossiers returned in the period that had a due date;
	// OnTime those of them returned no later than due.
	Returned, OnTime int64
}

// Add adds o into v (a subtree's volume is the sum of its agencies'); the
// sum is known only when both parts are.
func (v *Volume) Add(o *Volume) {
	if o == nil {
		return
	}
	v.Dossiers += o.Dossiers
	v.Known = v.Known && o.Known
	v.Returned += o.Returned
	v.OnTime += o.OnTime
}

// ParseMonth checks a month YYYY-MM.
func ParseMonth(v string) (time.Time, *Error) {
	t, err := time.ParseInLocation("2006-01", v, Vietnam)
	if err != nil || len(v) != 7 {
		return time.Time{}, Errorf(EINVALID, "month: %q is not a month YYYY-MM", v)
	}
	if t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}, Errorf(EINVALID, "month: %q is outside the years 2000-2200", v)
	}
	return t, nil
}

// MaxVolume caps one month's imported count.
const MaxVolume = 100_000_000

// ParseVolumesCSV reads volumes with the header agency,month,dossiers. It
// returns the rows and the file line of each; a bad row's error carries
// its line.
func ParseVolumesCSV(r io.Reader) ([]*VolumeRow, []int, error) {
	rows, lines, err := readCSV(r, []string{"agency", "month", "dossiers"}, nil)
	if err != nil {
		return nil, nil, err
	}
	out := make([]*VolumeRow, 0, len(rows))
	seen := map[string]int{}
	for i, row := range rows {
		fail := func(msg string) error { return &Error{Code: EINVALID, Message: msg, Line: lines[i]} }
		v := &VolumeRow{AgencyCode: strings.TrimSpace(row["agency"]), Month: strings.TrimSpace(row["month"])}
		if err := ValidateCode(v.AgencyCode); err != nil {
			return nil, nil, fail("agency: " + err.Message)
		}
		if _, err := ParseMonth(v.Month); err != nil {
			return nil, nil, fail(err.Message)
		}
		n, perr := strconv.ParseInt(strings.TrimSpace(row["dossiers"]), 10, 64)
		switch {
		case perr != nil:
			return nil, nil, fail("dossiers: " + quote(row["dossiers"]) + " is not a whole number")
		case n < 0:
			return nil, nil, fail("dossiers: a count cannot be negative")
		case n > MaxVolume:
			return nil, nil, fail("dossiers: more than 100000000 in a month")
		}
		v.Dossiers = n
		key := v.AgencyCode + " " + v.Month
		if first, dup := seen[key]; dup {
			return nil, nil, fail("agency " + v.AgencyCode + ", month " + v.Month + " is already on line " + itoa(first))
		}
		seen[key] = lines[i]
		out = append(out, v)
	}
	return out, lines, nil
}

// ParseDossiersCSV reads dossier registrations with the header
// code,agency,received_at and the optional columns counter, procedure,
// procedure_name, due_at, returned_at (empty cells: not given).
func ParseDossiersCSV(r io.Reader) ([]*DossierRegistration, []int, error) {
	rows, lines, err := readCSV(r, []string{"code", "agency", "received_at"},
		[]string{"counter", "procedure", "procedure_name", "due_at", "returned_at"})
	if err != nil {
		return nil, nil, err
	}
	out := make([]*DossierRegistration, 0, len(rows))
	seen := map[string]int{}
	for i, row := range rows {
		due, ret := row["due_at"], row["returned_at"]
		d, err := ParseDossier(DossierInput{Code: row["code"], Agency: row["agency"], Counter: row["counter"],
			Procedure: row["procedure"], ProcedureName: row["procedure_name"], ReceivedAt: strings.TrimSpace(row["received_at"]),
			DueAt: trimmed(due), ReturnedAt: trimmed(ret)})
		if err != nil {
			e := err.(*Error)
			return nil, nil, &Error{Code: EINVALID, Message: e.Message, Fields: e.Fields, Line: lines[i]}
		}
		if first, dup := seen[d.Code]; dup {
			return nil, nil, &Error{Code: EINVALID, Message: "dossier code is already on line " + itoa(first), Line: lines[i]}
		}
		seen[d.Code] = lines[i]
		out = append(out, d)
	}
	return out, lines, nil
}

func trimmed(s string) *string {
	s = strings.TrimSpace(s)
	return &s
}
