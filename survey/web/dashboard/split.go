package dashboard

import (
	"context"
	"fmt"
	"strings"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// splitRow is one counter's dossier-bound and open-QR ratings side by
// side, with the difference and its marker (only where significant after
// the adjustment across the agency's counters).
type splitRow struct {
	Code, Name              string
	Dossier, Open           estView
	Diff, DiffSig, DiffMark string
}

// agencySplit fills the split of the agency's counters' ratings by
// channel: every counter of the page's instrument or with ratings of it,
// and the dossier ratings without a counter when there are any.
func (h *Handler) agencySplit(ctx context.Context, a *survey.Agency, q *dashQuery, cs []*survey.Counter, p *agencyPage) error {
	t := dtr(q.Lang)
	sp, err := h.Reports.CounterSplit(ctx, h.Store, report.Query{Agency: a, Instrument: q.Instrument, Period: q.Period})
	if err != nil {
		return err
	}
	p.SplitNote = fmt.Sprintf(t.SplitNote, strings.ToUpper(sp.Adjust[:1])+sp.Adjust[1:])
	p.SplitInstrument = fmt.Sprintf(t.SplitInstrument, q.Instrument.Title.In(q.Lang))
	for _, cn := range cs {
		r := sp.Row(cn.ID)
		if cn.Instrument != q.Instrument.ID && r.Dossier.Respondents+r.Open.Respondents == 0 {
			continue
		}
		p.Split = append(p.Split, splitOf(cn.Code, cn.Name, r, q.Lang))
	}
	if r := sp.Row(0); r.Dossier.Respondents+r.Open.Respondents > 0 {
		p.Split = append(p.Split, splitOf("-", t.NoCounter, r, q.Lang))
	}
	return nil
}

func splitOf(code, name string, r report.CounterSplitRow, lang string) splitRow {
	t := dtr(lang)
	s := splitRow{Code: code, Name: name, Diff: "–",
		Dossier: estOf(code, t.SplitDossier, r.Dossier.Overall, lang),
		Open:    estOf(code, t.SplitOpen, r.Open.Overall, lang)}
	if r.Dossier.Overall.Reportable && r.Open.Overall.Reportable {
		s.Diff = report.Signed(r.Diff.Diff, lang)
		switch r.Diff.Significant {
		case "higher":
			s.DiffSig, s.DiffMark = "higher", t.OpenHigher
		case "lower":
			s.DiffSig, s.DiffMark = "lower", t.OpenLower
		}
	}
	return s
}
