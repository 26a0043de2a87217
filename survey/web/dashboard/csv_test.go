package dashboard

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// hostile are texts a citizen or an importer could put in an exported cell.
var hostile = []string{
	"=2+5", "+2+5", "-2+5", "@SUM(A1)", "\t=1", "\r=1", "x;=2+5;y", "a,=1+1,b", "b\t=HYPERLINK(\"http://x\")",
	"  =1+1", "ok;@x", "line\n=1", `q"=1`, "trailing ", "; =cmd|' /C calc'!A0",
}

// formulaLike reports whether a spreadsheet would read cell as a formula:
// its first character that is not blank (spaces, tabs and carriage returns
// are trimmed by some importers) starts one, and it is not a plain number.
func formulaLike(cell string) bool {
	t := strings.TrimLeft(cell, " \t\r\n\u00a0")
	if t == "" || !strings.ContainsRune("=+-@", rune(t[0])) {
		return false
	}
	_, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	return err != nil
}

// TestCSVNoFormulaInAnySeparator writes a table whose text cells are
// hostile and reads it back splitting on comma, semicolon and tab in turn,
// as spreadsheets of different locales do: no cell is a formula.
func TestCSVNoFormulaInAnySeparator(t *testing.T) {
	tb := &table{Name: "t", Meta: [][]string{{"Đơn vị", "=META", "x;=2"}}, Header: []string{"Mã", "Tên", "n"}}
	for i, h := range hostile {
		v := float64(-i)
		tb.Rows = append(tb.Rows, []cell{txt(h), txt("tên " + h), {F: &v}})
	}
	out := tb.csv()
	for _, sep := range []rune{',', ';', '\t'} {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff"))))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("separator %q: %v", sep, err)
		}
		for _, rec := range recs {
			for _, c := range rec {
				if formulaLike(c) {
					t.Errorf("separator %q: cell %q reads as a formula", sep, c)
				}
			}
		}
	}
	// Read with the file's own separator, the texts come back whole (with
	// the apostrophe where one was needed), and numbers stay numbers.
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := recs[len(recs)-len(hostile):]
	for i, h := range hostile {
		if got := strings.ReplaceAll(rows[i][0], "'", ""); got != strings.ReplaceAll(h, "'", "") {
			t.Errorf("row %d: got %q, want %q with apostrophes", i, rows[i][0], h)
		}
		if want := strconv.Itoa(-i); rows[i][2] != want && !(i == 0 && rows[i][2] == "0") {
			t.Errorf("row %d: number %q, want %s", i, rows[i][2], want)
		}
	}
}

func TestCSVSafe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Sở Tư pháp", "Sở Tư pháp"}, {"", ""}, {"=1", "'=1"}, {"  @x", "  '@x"}, {"a=1", "a=1"}, {"1-2", "1-2"},
		{"x;=2+5;y", "x;'=2+5;y"}, {"a, -b", "a, '-b"}, {"l1\n+l2", "l1\n'+l2"}, {"tab\t@", "tab\t'@"},
	} {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
