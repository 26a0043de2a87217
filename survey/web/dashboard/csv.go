package dashboard

import (
	"bufio"
	"io"
	"strings"
	"unicode"
)

// CSV is written for spreadsheets, whatever separator they split on: the
// comma of this file, or the semicolon or tab that spreadsheets use where the
// decimal separator is a comma (as in Vietnam).
//
//   - csvSafe neutralises, with an apostrophe, every formula character
//     (= + - @) that begins a text cell or a part of it between separators;
//   - csvWriter quotes every field that holds a comma, semicolon, tab,
//     newline, quote or leading or trailing blank, so that no separator
//     convention splits a field into cells, one of which could then start a
//     formula ("x;=2+5;y" stays one cell).

// csvSafe returns s so that no spreadsheet reads any part of it as a
// formula: an apostrophe goes before a formula character that starts the
// text or follows a separator of any convention (comma, semicolon, tab,
// newline), blanks skipped. Read back whole, "x;=2+5" is "x;'=2+5".
func csvSafe(s string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		switch {
		case start && (r == ' ' || r == '\u00a0'):
			// blanks that an importer may trim
		case start && strings.ContainsRune("=+-@", r):
			b.WriteByte('\'')
			start = false
		case strings.ContainsRune(",;\t\r\n", r):
			start = true
		default:
			start = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// csvWriter writes RFC 4180 records (lines end in \n, as encoding/csv
// writes them) with the quoting above.
type csvWriter struct {
	w *bufio.Writer
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: bufio.NewWriter(w)} }

// Write writes one record; fields are written as given (text cells must
// have been through csvSafe).
func (c *csvWriter) Write(rec []string) error {
	for i, f := range rec {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if csvNeedsQuotes(f) {
			c.w.WriteByte('"')
			c.w.WriteString(strings.ReplaceAll(f, `"`, `""`))
			c.w.WriteByte('"')
		} else {
			c.w.WriteString(f)
		}
	}
	err := c.w.WriteByte('\n')
	return err
}

// Flush writes what is buffered.
func (c *csvWriter) Flush() error { return c.w.Flush() }

func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if strings.ContainsAny(f, ",;\t\r\n\"") {
		return true
	}
	first, last := []rune(f)[0], []rune(f)[len([]rune(f))-1]
	return unicode.IsSpace(first) || unicode.IsSpace(last)
}
