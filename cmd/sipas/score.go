package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

func cmdScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("score", stderr)
	dbPath := dbFlag(fs)
	agency := fs.String("agency", "", "agency code (its subtree is scored)")
	from := fs.String("from", "", "first day, YYYY-MM-DD (Vietnam time)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (inclusive)")
	inst := fs.String("instrument", "sipas-2017", "instrument id")
	format := fs.String("format", "table", "table, json or csv")
	level := fs.Float64("level", 0.95, "confidence level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" && *format != "csv" {
		return fmt.Errorf("--format must be table, json or csv")
	}
	if !(*level > 0.5 && *level < 1) {
		return fmt.Errorf("--level must be between 0.5 and 1 (e.g. 0.95)")
	}
	if *agency == "" {
		return fmt.Errorf("--agency is required")
	}
	p, err := survey.ParsePeriod(*from, *to)
	if err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	in, err := db.Instruments().Current(*inst)
	if err != nil {
		return err
	}
	a, err := db.FindAgency(ctx, *agency)
	if err != nil {
		return err
	}
	svc := &report.Service{Agencies: db, Stats: db, Volumes: db, Reorg: db, Instruments: db.Instruments(), Options: scoring.Options{Level: *level}}
	sc, err := svc.Scores(ctx, report.Query{Agency: a, Instrument: in, Period: p})
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sc)
	case "csv":
		return scoreCSV(stdout, sc)
	}
	return scoreTable(stdout, sc, in)
}

type scoreRow struct {
	code, label string
	e           scoring.Estimate
}

func scoreRows(sc *report.Scores, in *survey.Instrument) []scoreRow {
	rows := []scoreRow{{"", "Chỉ số chung (overall)", sc.Overall.Estimate}}
	for _, e := range sc.Elements {
		label := e.Code
		for _, el := range in.Elements {
			if el.Code == e.Code {
				label = el.VI
			}
		}
		rows = append(rows, scoreRow{e.Code, label, e.Estimate})
		for _, it := range sc.Items {
			k, _ := in.ItemIndex(it.Code)
			if in.Items[k].Element == e.Code {
				rows = append(rows, scoreRow{it.Code, "  " + in.Items[k].VI, it.Estimate})
			}
		}
	}
	if len(sc.Elements) == 0 {
		for _, it := range sc.Items {
			k, _ := in.ItemIndex(it.Code)
			rows = append(rows, scoreRow{it.Code, in.Items[k].VI, it.Estimate})
		}
	}
	return rows
}

func scoreTable(w io.Writer, sc *report.Scores, in *survey.Instrument) error {
	fmt.Fprintf(w, "%s (%s) — %s, %s đến %s — khoảng tin cậy %s%%\n", sc.AgencyName, sc.Agency, sc.Instrument, sc.From, sc.To,
		report.Number(100*sc.ConfidenceLevel, 0, "vi"))
	fmt.Fprintf(w, "Số người trả lời: %s", report.Number(float64(sc.Respondents), 0, "vi"))
	if sc.SetAside > 0 {
		fmt.Fprintf(w, " (%s phiếu tách riêng, không tính vào chỉ số)", report.Number(float64(sc.SetAside), 0, "vi"))
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MÃ\tTIÊU CHÍ\tCHỈ SỐ\tKHOẢNG TIN CẬY\tn\tGHI CHÚ")
	for _, r := range scoreRows(sc, in) {
		note := strings.Join(r.e.Flags, ", ")
		if !r.e.Reportable {
			note = strings.TrimSpace(r.e.Reason + " " + note)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.code, r.label, report.Shown(r.e, "vi"),
			report.Interval(r.e.CILow, r.e.CIHigh, "vi"), report.Number(float64(r.e.N), 0, "vi"), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if pv := sc.Previous; pv != nil {
		ch := pv.Change
		verdict := "không khác biệt có ý nghĩa thống kê"
		switch ch.Significant {
		case "higher":
			verdict = "tăng có ý nghĩa thống kê"
		case "lower":
			verdict = "giảm có ý nghĩa thống kê"
		}
		fmt.Fprintf(w, "\nSo với kỳ trước (%s đến %s): %s, thay đổi %s điểm %s — %s\n", pv.From, pv.To,
			report.Shown(pv.Overall, "vi"), report.Signed(ch.Diff, "vi"), report.Interval(ch.CILow, ch.CIHigh, "vi"), verdict)
	}
	return nil
}

func scoreCSV(w io.Writer, sc *report.Scores) error {
	cw := csv.NewWriter(w)
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	cw.Write([]string{"agency", "instrument", "from", "to", "confidence_level", "level", "code", "index", "se", "ci_low", "ci_high", "n", "reportable", "reason"})
	emit := func(kind, code string, e scoring.Estimate) {
		cw.Write([]string{sc.Agency, sc.Instrument, sc.From, sc.To, strconv.FormatFloat(sc.ConfidenceLevel, 'f', -1, 64), kind, code,
			f(e.Index), f(e.SE), f(e.CILow), f(e.CIHigh), strconv.FormatInt(e.N, 10), strconv.FormatBool(e.Reportable), e.Reason})
	}
	emit("overall", "", sc.Overall.Estimate)
	for _, e := range sc.Elements {
		emit("element", e.Code, e.Estimate)
	}
	for _, it := range sc.Items {
		emit("criterion", it.Code, it.Estimate)
	}
	cw.Flush()
	return cw.Error()
}
