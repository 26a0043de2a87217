package document

import (
	"errors"
	"fmt"
	"io"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// XLSX writes the report as an XLSX workbook, one sheet per section.
// Nothing is written when building the workbook fails.
func XLSX(w io.Writer, r *report.Periodic, in *survey.Instrument, lang string) error {
	if r == nil {
		return errors.New("document: no report")
	}
	b, err := newBook()
	if err != nil {
		return fmt.Errorf("document: xlsx: %w", err)
	}
	defer b.f.Close()
	t := textsFor(lang)
	for _, s := range []func(*book, *report.Periodic, *survey.Instrument, *texts, string) error{
		sheetSummary, sheetTrend, sheetChanges, sheetChildren, sheetWeakest, sheetTargets, sheetTasks, sheetByUnit, sheetOfficial,
	} {
		if err := s(b, r, in, t, lang); err != nil {
			return fmt.Errorf("document: xlsx %s: %w", b.sheet, err)
		}
	}
	b.f.SetActiveSheet(0)
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("document: xlsx: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func sheetSummary(b *book, r *report.Periodic, in *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Summary); err != nil {
		return err
	}
	title := ""
	if in != nil {
		title = in.Title.In(lang)
	}
	meta := [][]any{
		{t.Title},
		{t.Agency, r.Agency, r.AgencyName},
		{t.Period, periodName(r.Period, lang), r.Period},
		{t.XFrom, r.From},
		{t.XTo, r.To},
	}
	if !r.Complete {
		meta = append(meta, []any{t.AsOf, r.AsOf})
	}
	meta = append(meta, []any{t.Instrument, fmt.Sprintf("%s v%d", r.Instrument, r.InstrumentVersion), title},
		[]any{t.Level, confLevel(r.ConfidenceLevel), levelText(r.ConfidenceLevel, lang)})
	if sc := r.Scores; sc != nil {
		meta = append(meta, []any{t.Respondents, sc.Respondents}, []any{t.SetAside, sc.SetAside, t.SetAsideNote})
		w := t.WeightRespondents
		if sc.Weighting == report.WeightVolume {
			w = t.WeightVolume
		}
		meta = append(meta, []any{t.Weighting, w})
		if sc.Dossiers != nil {
			meta = append(meta, []any{t.Dossiers, *sc.Dossiers})
		}
		if sc.ResponseRate != nil {
			meta = append(meta, []any{t.ResponseRate + " (%)", 100 * *sc.ResponseRate})
		}
	}
	for _, m := range meta {
		if err := b.put(m...); err != nil {
			return err
		}
	}
	if err := b.f.SetCellStyle(b.sheet, "A1", "A1", b.bold); err != nil {
		return err
	}
	b.row++
	if err := b.header(t.Code, t.Indicator, t.Index, t.XLow, t.XHigh, t.N, t.Note); err != nil {
		return err
	}
	sc := r.Scores
	if sc == nil {
		return nil
	}
	if err := b.put(row(survey.IndicatorOverall, t.Overall, est(sc.Overall.Estimate), noteOf(sc.Overall.Estimate, t, lang))...); err != nil {
		return err
	}
	for _, e := range sc.Elements {
		if err := b.put(row(e.Code, indicatorName(in, e.Code, t, lang), est(e.Estimate), noteOf(e.Estimate, t, lang))...); err != nil {
			return err
		}
	}
	for _, it := range sc.Items {
		if err := b.put(row(it.Code, itemText(in, it.Code, lang), est(it.Estimate), noteOf(it.Estimate, t, lang))...); err != nil {
			return err
		}
	}
	return nil
}

func sheetTrend(b *book, r *report.Periodic, _ *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Trend); err != nil {
		return err
	}
	if err := b.header(t.Month, t.XFrom, t.XTo, t.Index, t.XLow, t.XHigh, t.N, t.SetAside, t.Note); err != nil {
		return err
	}
	if r.Trend == nil {
		return nil
	}
	for _, m := range r.Trend.Months {
		if err := b.put(row(m.Month, m.From, m.To, est(m.Overall), m.SetAside, noteOf(m.Overall, t, lang))...); err != nil {
			return err
		}
	}
	return nil
}

func sheetChanges(b *book, r *report.Periodic, in *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Changes); err != nil {
		return err
	}
	if err := b.header(t.XKind, t.XPeriodCode, t.XFrom, t.XTo, t.XIndicatorCode, t.Indicator,
		t.Then+": "+t.Index, t.Then+": "+t.XLow, t.Then+": "+t.XHigh, t.Then+": "+t.N,
		t.Now+": "+t.Index, t.Now+": "+t.XLow, t.Now+": "+t.XHigh, t.Now+": "+t.N,
		t.Change, t.XChange+": "+t.XLow, t.XChange+": "+t.XHigh, t.XP, t.PAdj, t.Verdict, t.Note); err != nil {
		return err
	}
	for _, c := range r.Changes {
		kind := t.Prior
		if c.Against == report.AgainstYearBefore {
			kind = t.YearBefore
		}
		ok := c.Note == "" && enough(c.Current, c.Then)
		words, _ := compareWords(c.Change, ok, t, lang)
		vals := row(kind, c.Period, c.From, c.To, c.Indicator, indicatorName(in, c.Indicator, t, lang), est(c.Then), est(c.Current))
		if ok && c.Change.Diff != nil {
			vals = append(vals, f64(c.Change.Diff), f64(c.Change.CILow), f64(c.Change.CIHigh), pvalOf(c.Change.P), pvalOf(c.Change.PAdj))
		} else {
			vals = append(vals, nil, nil, nil, nil, nil)
		}
		note := ""
		if c.Note != "" {
			note = t.NotComparable
		}
		if err := b.put(append(vals, words, note)...); err != nil {
			return err
		}
	}
	return nil
}

func pvalOf(p *float64) any {
	if p == nil {
		return nil
	}
	return pval(*p)
}

func sheetChildren(b *book, r *report.Periodic, _ *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Children); err != nil {
		return err
	}
	if err := b.header(t.Code, t.Unit, t.Index, t.XLow, t.XHigh, t.N, t.SetAside,
		t.VsRest+" "+t.XPoints, t.VsRest+": "+t.XLow, t.VsRest+": "+t.XHigh, t.PAdj, t.Verdict, t.XRankLow, t.XRankHigh, t.XOf, t.XClosed, t.Note); err != nil {
		return err
	}
	if r.Children == nil {
		return nil
	}
	for _, c := range r.Children.Children {
		words, _ := compareWords(c.VsRest, c.Overall.Reportable, t, lang)
		vals := row(c.Code, c.Name, est(c.Overall), c.SetAside)
		if c.Overall.Reportable && c.VsRest.Diff != nil {
			vals = append(vals, f64(c.VsRest.Diff), f64(c.VsRest.CILow), f64(c.VsRest.CIHigh), pvalOf(c.VsRest.PAdj))
		} else {
			vals = append(vals, nil, nil, nil, nil)
		}
		vals = append(vals, words)
		if k := c.Rank; k != nil {
			vals = append(vals, k.Low, k.High, k.Of)
		} else {
			vals = append(vals, nil, nil, nil)
		}
		closed := t.No
		if c.Closed {
			closed = t.Yes
		}
		if err := b.put(append(vals, closed, noteOf(c.Overall, t, lang))...); err != nil {
			return err
		}
	}
	return nil
}

func sheetWeakest(b *book, r *report.Periodic, in *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Weakest); err != nil {
		return err
	}
	if err := b.header(t.XOrder, t.Code, t.Criterion, t.Index, t.XLow, t.XHigh, t.N, t.Note); err != nil {
		return err
	}
	for i, it := range r.Weakest {
		if err := b.put(row(i+1, it.Code, itemText(in, it.Code, lang), est(it.Estimate), noteOf(it.Estimate, t, lang))...); err != nil {
			return err
		}
	}
	if len(r.Weakest) > 0 {
		b.row++
		return b.put(t.WeakestNote)
	}
	return nil
}

func sheetOfficial(b *book, r *report.Periodic, _ *survey.Instrument, t *texts, lang string) error {
	if err := b.start(t.Sheets.Official); err != nil {
		return err
	}
	if err := b.header(t.XOfficialIndex, t.XYear, t.XScore, t.XRank, t.XOf, t.XText,
		t.Platform, t.XLow, t.XHigh, t.N, t.XFrom, t.XTo, t.Note); err != nil {
		return err
	}
	for _, o := range r.Official {
		res := o.OfficialResult
		var rank, of any
		if res.Rank != nil {
			rank = *res.Rank
		}
		if res.Of != nil {
			of = *res.Of
		}
		vals := row(res.Index, res.Year, res.Score, rank, of, report.OfficialText(&res, lang), est(o.Platform), o.From, o.To, noteOf(o.Platform, t, lang))
		if err := b.put(vals...); err != nil {
			return err
		}
	}
	b.row++
	return b.put(report.OfficialNote(lang))
}
