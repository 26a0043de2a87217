package document

import (
	"fmt"
	"math"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey/report"
)

// In the workbook numbers are numbers (indices and intervals in percent
// with two decimals, p-values and levels with four, counts whole), statuses and
// verdicts are words, and an index the reporting rules do not allow is an
// empty cell with "chưa đủ dữ liệu" in the note column.

// pval is a p-value cell, written with four decimals.
type pval float64

// confLevel is a confidence level cell (0.9833), written with four decimals.
type confLevel float64

// book writes the sheets of a workbook.
type book struct {
	f              *excelize.File
	bold, dec, dp4 int
	sheet          string
	row            int
}

func newBook() (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f}
	var err error
	if b.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, err
	}
	if b.dec, err = f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil { // 0.00
		return nil, err
	}
	dp4 := "0.0000"
	if b.dp4, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dp4}); err != nil {
		return nil, err
	}
	return b, nil
}

// start begins a sheet; the first one renames the default sheet.
func (b *book) start(name string) error {
	if b.sheet == "" {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	b.sheet, b.row = name, 0
	return nil
}

// put writes one row: strings as text, whole numbers as counts, float64
// with two decimals, pval and confLevel with four; nil leaves the cell empty.
func (b *book) put(vals ...any) error {
	b.row++
	for i, v := range vals {
		ref, err := excelize.CoordinatesToCellName(i+1, b.row)
		if err != nil {
			return err
		}
		style := 0
		switch x := v.(type) {
		case nil:
			continue
		case string:
			if x == "" {
				continue
			}
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
			v, style = math.Round(x*100)/100, b.dec
		case pval:
			v, style = math.Round(float64(x)*1e4)/1e4, b.dp4
		case confLevel:
			if x == 0 {
				continue
			}
			v, style = math.Round(float64(x)*1e4)/1e4, b.dp4
		}
		if err := b.f.SetCellValue(b.sheet, ref, v); err != nil {
			return err
		}
		if style != 0 {
			if err := b.f.SetCellStyle(b.sheet, ref, ref, style); err != nil {
				return err
			}
		}
	}
	return nil
}

// header writes a bold header row and freezes the rows above and at it.
func (b *book) header(cols ...string) error {
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = c
	}
	if err := b.put(vals...); err != nil {
		return err
	}
	end, err := excelize.CoordinatesToCellName(max(len(cols), 1), b.row)
	if err != nil {
		return err
	}
	if err := b.f.SetCellStyle(b.sheet, fmt.Sprintf("A%d", b.row), end, b.bold); err != nil {
		return err
	}
	return b.f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, YSplit: b.row, TopLeftCell: fmt.Sprintf("A%d", b.row+1), ActivePane: "bottomLeft"})
}

// f64 is a number cell, or empty for nil.
func f64(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// est is index, CI low, CI high and n of an estimate: the first three
// empty when it may not be reported.
func est(e scoring.Estimate) []any {
	if !e.Reportable {
		return []any{nil, nil, nil, e.N}
	}
	return []any{f64(e.Index), f64(e.CILow), f64(e.CIHigh), e.N}
}

// noteOf is the note column of an estimate: "chưa đủ dữ liệu" when it may
// not be reported.
func noteOf(e scoring.Estimate, t *texts, lang string) any {
	if !e.Reportable {
		return report.NotEnough(lang)
	}
	return estOf(e, t, lang).Note
}

func row(parts ...any) []any {
	var out []any
	for _, p := range parts {
		if s, ok := p.([]any); ok {
			out = append(out, s...)
		} else {
			out = append(out, p)
		}
	}
	return out
}
