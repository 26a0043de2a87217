package dashboard

import (
	"bytes"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Exports hold what the pages show: a few lines naming the agency, the
// period and the confidence level, then one table. CSV is UTF-8 with a
// byte-order mark (so that Excel reads Vietnamese correctly), comma
// separated, numbers with a decimal point; XLSX has numeric cells.
// Indices that are not reportable are left empty with the reason.

// cell is one value of an export: text, or a number with decimals.
type cell struct {
	S   string
	F   *float64
	dec int
}

func txt(s string) cell { return cell{S: s} }

func num(v *float64, dec int) cell {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return cell{}
	}
	r := math.Round(*v*math.Pow10(dec)) / math.Pow10(dec)
	return cell{F: &r, dec: dec}
}

func count(n int64) cell { v := float64(n); return cell{F: &v} }

func (c cell) String() string {
	if c.F != nil {
		return strconv.FormatFloat(*c.F, 'f', c.dec, 64)
	}
	return csvSafe(c.S)
}

// table is an export.
type table struct {
	Name   string     // file name without extension
	Meta   [][]string // heading lines
	Header []string
	Rows   [][]cell
}

func (t *table) csv() []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := newCSVWriter(&b)
	for _, m := range t.Meta {
		safe := make([]string, len(m))
		for i, v := range m {
			safe[i] = csvSafe(v)
		}
		w.Write(safe)
	}
	w.Write(nil)
	w.Write(t.Header)
	rec := make([]string, len(t.Header))
	for _, r := range t.Rows {
		rec = rec[:0]
		for _, c := range r {
			rec = append(rec, c.String())
		}
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

func (t *table) xlsx() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "SIPAS"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	dec2, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return nil, err
	}
	row := 1
	put := func(col int, v any) error {
		ref, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return f.SetCellValue(sheet, ref, v)
	}
	for _, m := range t.Meta {
		for i, v := range m {
			if err := put(i+1, v); err != nil {
				return nil, err
			}
		}
		row++
	}
	row++
	for i, h := range t.Header {
		if err := put(i+1, h); err != nil {
			return nil, err
		}
	}
	end, _ := excelize.CoordinatesToCellName(max(len(t.Header), 1), row)
	f.SetCellStyle(sheet, "A"+strconv.Itoa(row), end, bold)
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: "A" + strconv.Itoa(row+1), ActivePane: "bottomLeft"})
	for _, r := range t.Rows {
		row++
		for i, c := range r {
			var err error
			switch {
			case c.F != nil:
				err = put(i+1, *c.F)
				if err == nil && c.dec > 0 {
					ref, _ := excelize.CoordinatesToCellName(i+1, row)
					err = f.SetCellStyle(sheet, ref, ref, dec2)
				}
			case c.S != "":
				err = put(i+1, c.S)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	f.SetColWidth(sheet, "A", "A", 14)
	f.SetColWidth(sheet, "B", "B", 40)
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
