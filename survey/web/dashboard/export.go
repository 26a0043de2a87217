package dashboard

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// sendTable answers t as CSV or XLSX, by the URL's extension.
func sendTable(c *gin.Context, t *table) error {
	c.Header("Cache-Control", "no-store")
	if strings.HasSuffix(c.Request.URL.Path, ".xlsx") {
		b, err := t.xlsx()
		if err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		c.Header("Content-Disposition", `attachment; filename="`+t.Name+`.xlsx"`)
		c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
		return nil
	}
	c.Header("Content-Disposition", `attachment; filename="`+t.Name+`.csv"`)
	httpx.WriteBody(c, http.StatusOK, "text/csv; charset=utf-8", t.csv())
	return nil
}

// exportMeta is the heading of every export.
func exportMeta(lang string, a *survey.Agency, in *survey.Instrument, p survey.Period, level float64) [][]string {
	t := dtr(lang)
	return [][]string{
		{t.XAgency, a.Code, a.Name},
		{t.XPeriod, p.FromString(), p.ToString()},
		{t.XPrevious, p.Previous().FromString(), p.Previous().ToString()},
		{t.XInstrument, fmt.Sprintf("%s v%d", in.ID, in.Version)},
		{t.XLevel, report.Number(100*level, 0, lang) + "%"},
	}
}

// estCells are index, CI low, CI high, n, the ratings set aside (empty
// where they are not known: elements and criteria) and the note of an
// estimate.
func estCells(e scoring.Estimate, setAside cell, lang string) []cell {
	if !e.Reportable {
		return []cell{{}, {}, {}, count(e.N), setAside, txt(report.NotEnough(lang))}
	}
	return []cell{num(e.Index, 2), num(e.CILow, 2), num(e.CIHigh, 2), count(e.N), setAside, {}}
}

// denomCells are the dossiers, response rate (%), on-time rate, its CI and
// n of d, and the weighting code (the parent's row adds the weighting in
// words, with the reason).
func denomCells(d report.Denominators, weighting string) []cell {
	out := make([]cell, 0, 7)
	if d.Dossiers != nil {
		out = append(out, count(*d.Dossiers))
	} else {
		out = append(out, cell{})
	}
	if d.ResponseRate != nil {
		r := 100 * *d.ResponseRate
		out = append(out, num(&r, 2))
	} else {
		out = append(out, cell{})
	}
	if o := d.OnTime; o != nil {
		out = append(out, num(&o.Rate, 2), num(&o.CILow, 2), num(&o.CIHigh, 2), count(o.N))
	} else {
		out = append(out, cell{}, cell{}, cell{}, cell{})
	}
	return append(out, txt(weighting))
}

// pad fills r with empty cells up to n.
func pad(r []cell, n int) []cell {
	for len(r) < n {
		r = append(r, cell{})
	}
	return r
}

func exportHeader(lang string, extra ...string) []string {
	return append(append([]string{}, dtr(lang).XHeader...), extra...)
}

// OverviewExport downloads the overview's league table as CSV or XLSX.
func (h *Handler) OverviewExport(c *gin.Context) error {
	a, q, err := h.overviewRequest(c)
	if err != nil {
		return err
	}
	ch, _, names, err := h.overviewData(c.Request.Context(), a, q)
	if err != nil {
		return err
	}
	extra := append(append(append([]string{}, dtr(q.Lang).XOverview...), dtr(q.Lang).XDenom...), dtr(q.Lang).XMerge)
	t := &table{Name: fmt.Sprintf("sipas-overview-%s-%s-%s", a.Code, q.Period.FromString(), q.Period.ToString()),
		Meta: exportMeta(q.Lang, a, q.Instrument, q.Period, ch.ConfidenceLevel), Header: exportHeader(q.Lang, extra...)}
	row := func(code, name string, e scoring.Estimate, setAside int64) []cell {
		return append([]cell{txt(code), txt(name)}, estCells(e, count(setAside), q.Lang)...)
	}
	// The denominators come after the overview's own columns, which the
	// parent's row leaves empty.
	denomAt := len(dtr(q.Lang).XHeader) + len(dtr(q.Lang).XOverview)
	t.Rows = append(t.Rows, append(append(pad(row(a.Code, dtr(q.Lang).Whole+" "+a.Name, ch.Overall, ch.SetAside), denomAt),
		denomCells(ch.Denominators, ch.Weighting)...), txt(weightingText(ch.Weights, q.Lang)), cell{}))
	sortChildren(ch.Children, q.Sort, q.Dir)
	for _, k := range ch.Children {
		r := row(k.Code, k.Name, k.Overall, k.SetAside)
		if k.Overall.Reportable && k.Previous.Reportable {
			r = append(r, num(k.Change.Diff, 2), txt(k.Change.Significant))
		} else {
			r = append(r, cell{}, cell{})
		}
		if k.Overall.Reportable {
			r = append(r, txt(k.VsRest.Significant))
		} else {
			r = append(r, cell{})
		}
		if k.Rank != nil {
			r = append(r, count(int64(k.Rank.Low)), count(int64(k.Rank.High)), count(int64(k.Rank.Of)))
		}
		note := joinNotes(mergeNoteOf(k.Combined, k.Overall.N, false, names, q.Lang), mergeNoteOf(k.PreviousCombined, k.Previous.N, true, names, q.Lang))
		if u := report.UnderNote(&k, q.Lang); u != "" {
			note = strings.TrimPrefix(note+"; "+u, "; ")
		}
		t.Rows = append(t.Rows, append(append(pad(r, denomAt), denomCells(k.Denominators, ch.Weighting)...), cell{}, txt(note)))
	}
	return sendTable(c, t)
}

// AgencyExport downloads an agency's indices, elements and criteria as
// CSV or XLSX.
func (h *Handler) AgencyExport(c *gin.Context) error {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	in := q.Instrument
	sc, err := h.Reports.Scores(c.Request.Context(), q.reportQuery(a, q.Period))
	if err != nil {
		return err
	}
	extra, levels := append(append(append([]string{}, dtr(q.Lang).XAgencyCols...), dtr(q.Lang).XDenom...), dtr(q.Lang).XMerge), dtr(q.Lang).XLevels
	t := &table{Name: fmt.Sprintf("sipas-agency-%s-%s-%s", a.Code, q.Period.FromString(), q.Period.ToString()),
		Meta: exportMeta(q.Lang, a, in, q.Period, sc.ConfidenceLevel), Header: exportHeader(q.Lang, extra...)}
	// The denominators are the agency's: only its overall row has them.
	overall := append(append([]cell{txt(a.Code), txt(a.Name)}, estCells(sc.Overall.Estimate, count(sc.SetAside), q.Lang)...), txt(levels[0]), num(sc.Overall.Mean, 2))
	overall = append(pad(overall, len(dtr(q.Lang).XHeader)+len(dtr(q.Lang).XAgencyCols)), denomCells(sc.Denominators, sc.Weighting)...)
	overall = append(overall, txt(weightingText(sc.Weights, q.Lang)))
	// The merger note is the last column: every index of the export (the
	// elements' and criteria's too) holds the same predecessors' ratings.
	note, cols := txt(mergeNoteOf(sc.Combined, sc.Overall.N, false, h.names(c.Request.Context(), a), q.Lang).export()), len(t.Header)
	t.Rows = append(t.Rows, append(pad(overall, cols-1), note))
	for i, e := range sc.Elements {
		r := append(append([]cell{txt(e.Code), txt(in.Elements[i].In(q.Lang))}, estCells(e.Estimate, cell{}, q.Lang)...), txt(levels[1]), num(e.Mean, 2))
		t.Rows = append(t.Rows, append(pad(r, cols-1), note))
	}
	for k, it := range sc.Items {
		r := append(append([]cell{txt(it.Code), txt(in.Items[k].In(q.Lang))}, estCells(it.Estimate, cell{}, q.Lang)...), txt(levels[2]), num(it.Mean, 2))
		for _, n := range it.Counts {
			r = append(r, count(n))
		}
		t.Rows = append(t.Rows, append(pad(append(r, count(it.NoOpinion)), cols-1), note))
	}
	return sendTable(c, t)
}

// ResponsesExport streams the raw responses of the agency's subtree as
// CSV (admins only): no personal data is stored, so none is exported.
func (h *Handler) ResponsesExport(c *gin.Context) error {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	in := q.Instrument
	header := []string{"response_id", "submitted_at", "local_date", "agency", "counter", "instrument", "instrument_version", "channel", "flag"}
	for _, it := range in.Items {
		header = append(header, it.Code)
	}
	fu := "followup"
	if in.Followup != nil {
		fu = in.Followup.Code
	}
	header = append(header, fu, "comment")
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="sipas-responses-%s-%s-%s-%s.csv"`, a.Code, in.ID, q.Period.FromString(), q.Period.ToString()))
	c.Status(http.StatusOK)
	c.Writer.WriteString("\ufeff")
	w := newCSVWriter(c.Writer)
	w.Write(header)
	rec := make([]string, len(header))
	versions := map[int]*survey.Instrument{}
	err = h.Store.EachResponse(c.Request.Context(), survey.ResponseFilter{Agency: a.Code, Period: q.Period, Instrument: in.ID}, func(r *survey.Response) error {
		v := versions[r.InstrumentVersion]
		if v == nil {
			var err error
			if v, err = h.Instruments.Version(in.ID, r.InstrumentVersion); err != nil {
				return err
			}
			versions[r.InstrumentVersion] = v
		}
		rec = append(rec[:0], strconv.FormatInt(r.ID, 10), r.SubmittedAt.In(survey.Vietnam).Format("2006-01-02T15:04:05-07:00"), r.LocalDate,
			csvSafe(r.AgencyCode), csvSafe(r.CounterCode), r.InstrumentID, strconv.Itoa(r.InstrumentVersion), r.Channel, r.Flag)
		for _, it := range in.Items {
			val := ""
			if k, ok := v.ItemIndex(it.Code); ok && k < len(r.Answers) {
				switch a := r.Answers[k]; {
				case a >= 1 && a <= 5:
					val = strconv.Itoa(int(a))
				case a == survey.AnswerNA:
					val = "na"
				}
			}
			rec = append(rec, val)
		}
		f := ""
		if v.Followup != nil && r.Followup >= 1 && r.Followup <= len(v.Followup.Options) {
			f = v.Followup.Options[r.Followup-1].Value
		}
		rec = append(rec, f, csvSafe(r.Comment))
		return w.Write(rec)
	})
	w.Flush()
	if err != nil {
		// The header is sent: the truncated file ends with the error line.
		h.Log.Error("responses export", "id", httpx.RequestID(c), "agency", a.Code, "err", err)
		w.Write([]string{"# export incomplete: internal error"})
		w.Flush()
	}
	return nil
}
