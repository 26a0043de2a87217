package survey

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxImportRows caps the rows of one CSV import.
const MaxImportRows = 100000

// readCSV reads a CSV with a header naming at least the required columns (in
// any order; optional columns may be absent). It returns each row as a map
// by column name and the file line on which each row starts.
func readCSV(r io.Reader, required, optional []string) ([]map[string]string, []int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, &Error{Code: EINVALID, Message: "empty file: expected a header line " + strings.Join(required, ","), Line: 1}
	}
	if err != nil {
		return nil, nil, csvErr(err, 1)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff") // Excel's BOM
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, k := range append(append([]string{}, required...), optional...) {
			known = known || k == h
		}
		if !known {
			return nil, nil, &Error{Code: EINVALID, Message: "unknown column " + quote(h) + " in header (expected " + strings.Join(append(append([]string{}, required...), optional...), ",") + ")", Line: 1}
		}
		if _, dup := col[h]; dup {
			return nil, nil, &Error{Code: EINVALID, Message: "column " + quote(h) + " appears twice in the header", Line: 1}
		}
		col[h] = i
	}
	for _, k := range required {
		if _, ok := col[k]; !ok {
			return nil, nil, &Error{Code: EINVALID, Message: "header is missing column " + quote(k), Line: 1}
		}
	}
	var rows []map[string]string
	var lines []int
	for {
		line, _ := cr.FieldPos(0)
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvErr(err, line)
		}
		line, _ = cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(head) {
			return nil, nil, &Error{Code: EINVALID, Message: "wrong number of fields", Line: line}
		}
		m := map[string]string{}
		for name, i := range col {
			if !utf8.ValidString(rec[i]) {
				return nil, nil, &Error{Code: EINVALID, Message: "invalid UTF-8 (save the file as CSV UTF-8)", Line: line}
			}
			m[name] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, m)
		lines = append(lines, line)
		if len(rows) > MaxImportRows {
			return nil, nil, &Error{Code: EINVALID, Message: "too many rows", Line: line}
		}
	}
	if len(rows) == 0 {
		return nil, nil, &Error{Code: EINVALID, Message: "no rows after the header", Line: 2}
	}
	return rows, lines, nil
}

func quote(s string) string { return "\"" + s + "\"" }

func csvErr(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{Code: EINVALID, Message: "malformed CSV: " + pe.Err.Error(), Line: pe.StartLine}
	}
	return &Error{Code: EINVALID, Message: "could not read CSV", Line: line}
}

// ParseAgenciesCSV reads agencies from CSV with the header code,name,parent
// (parent may be empty or absent). Each row is validated; errors carry the
// file line. The returned lines give each agency's file line.
func ParseAgenciesCSV(r io.Reader) ([]*Agency, []int, error) {
	rows, lines, err := readCSV(r, []string{"code", "name"}, []string{"parent"})
	if err != nil {
		return nil, nil, err
	}
	out := make([]*Agency, len(rows))
	seen := map[string]int{}
	for i, m := range rows {
		a := &Agency{Code: m["code"], Name: m["name"], ParentCode: m["parent"]}
		if err := a.Validate(); err != nil {
			e := err.(*Error)
			e.Line = lines[i]
			return nil, nil, e
		}
		if prev, dup := seen[a.Code]; dup {
			return nil, nil, &Error{Code: EINVALID, Message: "agency code " + quote(a.Code) + " repeats line " + itoa(prev), Line: lines[i]}
		}
		seen[a.Code] = lines[i]
		out[i] = a
	}
	return out, lines, nil
}

// ParseCountersCSV reads counters from CSV with the header
// agency,code,name,instrument (instrument may be empty: sipas-2017).
func ParseCountersCSV(r io.Reader, reg *Instruments) ([]*Counter, []int, error) {
	rows, lines, err := readCSV(r, []string{"agency", "code", "name"}, []string{"instrument"})
	if err != nil {
		return nil, nil, err
	}
	out := make([]*Counter, len(rows))
	for i, m := range rows {
		c := &Counter{AgencyCode: m["agency"], Code: m["code"], Name: m["name"], Instrument: m["instrument"]}
		if err := c.Validate(reg); err != nil {
			e := err.(*Error)
			e.Line = lines[i]
			return nil, nil, e
		}
		out[i] = c
	}
	return out, lines, nil
}

// ImportLine maps an error from a store import (whose Line is the 1-based
// position in the list) to the file line of that row.
func ImportLine(err error, lines []int) error {
	var e *Error
	if errors.As(err, &e) && e.Line > 0 && e.Line <= len(lines) {
		e.Line = lines[e.Line-1]
	}
	return err
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
