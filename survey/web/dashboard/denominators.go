package dashboard

import (
	"fmt"

	"github.com/sipas/sipas/survey/report"
)

// rateView is the response rate shown beside an n: "6,0 % số hồ sơ", or
// "chưa có số hồ sơ"; Low marks a rate below the threshold, with the
// textual marker Flag (never colour alone).
type rateView struct {
	Text, Flag string
	Low        bool
}

// pct formats a share in percent with dec decimals: "6,0 %" in Vietnamese
// (a space before the sign, as Vietnamese typography has it), "6.0%" in
// English.
func pct(v float64, dec int, lang string) string {
	if lang == "en" {
		return report.Number(v, dec, lang) + "%"
	}
	return report.Number(v, dec, lang) + " %"
}

// lowThreshold is the configured threshold of a low response rate.
func (h *Handler) lowThreshold() float64 {
	if report.ValidLowResponseRate(h.LowResponseRate) {
		return h.LowResponseRate
	}
	return report.DefaultLowResponseRate
}

// rateOf is the response rate of d as shown.
func (h *Handler) rateOf(d report.Denominators, lang string) rateView {
	t := dtr(lang)
	if d.ResponseRate == nil {
		return rateView{Text: t.NoDossiers}
	}
	v := rateView{Text: fmt.Sprintf(t.RateOf, pct(100**d.ResponseRate, 1, lang))}
	if d.LowResponse(h.lowThreshold()) {
		v.Low, v.Flag = true, fmt.Sprintf(t.LowRate, pct(100*h.lowThreshold(), 0, lang))
	}
	return v
}

// rateLegend explains the response rate and its threshold.
func (h *Handler) rateLegend(lang string) string {
	return fmt.Sprintf(dtr(lang).RateLegend, pct(100*h.lowThreshold(), 0, lang))
}

// weightingText says in words how an index over several parts was
// weighted and, for respondents chosen for want of volumes, why.
func weightingText(w report.Weights, lang string) string {
	t := dtr(lang)
	if w.Weighting == report.WeightVolume {
		return t.WeightVolume
	}
	if w.Reason == nil {
		return t.WeightResp
	}
	return fmt.Sprintf(t.WeightBecause, t.WeightResp, reasonText(*w.Reason, lang))
}

// reasonText is why volumes could not weight an index, in lang.
func reasonText(r report.Reason, lang string) string {
	t := dtr(lang)
	switch r.Code {
	case report.ReasonNoVolumes:
		return t.ReasonNoVolumes
	case report.ReasonMissingVolume:
		return fmt.Sprintf(t.ReasonMissingVolume, r.Agency)
	case report.ReasonNoDossiers:
		return fmt.Sprintf(t.ReasonNoDossiers, r.Agency)
	case report.ReasonReorganised:
		return t.ReasonReorganised
	}
	return r.String()
}

// onTimeText is the on-time rate of the dossiers returned in the period
// with its interval and n, or that no due dates are known.
func onTimeText(d report.Denominators, lang string) string {
	t := dtr(lang)
	o := d.OnTime
	if o == nil {
		return t.NoOnTime
	}
	return fmt.Sprintf(t.OnTimeFmt, pct(o.Rate, 2, lang), report.Number(o.CILow, 1, lang), report.Number(o.CIHigh, 1, lang),
		report.Number(float64(o.N), 0, lang))
}

// weightingLinks is the switch between the weightings of a page.
func weightingLinks(q *dashQuery, path string) []presetLink {
	t := dtr(q.Lang)
	var out []presetLink
	for _, w := range []struct{ id, label string }{{"", t.WeightAuto}, {report.WeightVolume, t.WeightByVolume}, {report.WeightRespondents, t.WeightByResp}} {
		out = append(out, presetLink{Label: w.label, URL: q.link(path, "weighting", w.id), Current: q.Weighting == w.id})
	}
	return out
}
