package dashboard

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// A plan's targets as the pages show them (with the current index and its
// status) and as its forms take them (a textarea, one target a line).

// targetView is one target of a plan with the current index of the plan's
// agency and its status.
type targetView struct {
	Indicator, Instrument, Label, Target string
	Current                              estView
	Status, StatusLabel                  string
}

// targetViews returns the status of plan's targets at the plan's agency
// from the start of its year to today, and a note when the year has not
// begun. Without see (the user reads the plan only because their unit
// lies beneath its agency, survey.CanSee false) the current index, its
// interval and n are left out: the status alone is shown.
func (h *Handler) targetViews(ctx context.Context, plan *survey.Plan, see bool, lang string) ([]targetView, string, error) {
	pt := ptr(lang)
	ts, p, ok, err := h.Reports.PlanTargets(ctx, plan, h.Now())
	if err != nil {
		return nil, "", err
	}
	out := make([]targetView, 0, len(ts))
	for _, s := range ts {
		label := h.indicatorLabel(s.Instrument, s.Indicator, lang)
		v := targetView{Indicator: s.Indicator, Instrument: s.Instrument, Label: label,
			Target: report.Number(s.Target, decimals(s.Target), lang) + "%",
			Status: s.Status, StatusLabel: report.TargetLabel(s.Status, lang)}
		if see {
			v.Current = estOf(s.Indicator, label, s.Current, lang)
		}
		out = append(out, v)
	}
	note := pt.PlanPeriod
	if ok {
		note += ": " + viDate(p.From) + " – " + viDate(p.To)
	} else {
		note = pt.PlanNotBegun
	}
	return out, note, nil
}

// decimals is how many decimals show a target as typed (90, 92,5, 92,25).
func decimals(v float64) int {
	for d := 0; d < 2; d++ {
		if math.Abs(v*math.Pow10(d)-math.Round(v*math.Pow10(d))) < 1e-9 {
			return d
		}
	}
	return 2
}

// indicatorLabel names an indicator of an instrument: the overall index,
// an element or a criterion.
func (h *Handler) indicatorLabel(instrument, code, lang string) string {
	if code == survey.IndicatorOverall {
		return dtr(lang).OverallIdx
	}
	in, err := h.Instruments.Current(instrument)
	if err != nil {
		return code
	}
	if k, ok := in.ItemIndex(code); ok {
		return code + " " + in.Items[k].In(lang)
	}
	for _, e := range in.Elements {
		if e.Code == code {
			return code + " " + e.In(lang)
		}
	}
	return code
}

// parseTargetsText reads the targets textarea: one target a line,
// "indicator target" with an optional "instrument:" before the indicator
// and a decimal comma or point. It returns the line of each target too, so
// that the domain's "target 2" can be shown as its line.
func parseTargetsText(s, lang string) ([]survey.PlanTarget, []int, error) {
	var ts []survey.PlanTarget
	var lines []int
	for i, line := range strings.Split(s, "\n") {
		fs := strings.Fields(line)
		if len(fs) == 0 {
			continue
		}
		bad := formMessage(fmt.Sprintf(ptr(lang).TargetLine, i+1))
		if len(fs) != 2 {
			return nil, nil, bad
		}
		v, err := strconv.ParseFloat(strings.Replace(strings.TrimSuffix(fs[1], "%"), ",", ".", 1), 64)
		if err != nil {
			return nil, nil, bad
		}
		t := survey.PlanTarget{Indicator: fs[0], Target: v}
		if inst, ind, ok := strings.Cut(fs[0], ":"); ok {
			t.Instrument, t.Indicator = inst, ind
		}
		ts = append(ts, t)
		lines = append(lines, i+1)
	}
	return ts, lines, nil
}

// formMessage is a form's error already worded for the user.
type formMessage string

func (m formMessage) Error() string { return string(m) }

// targetsText writes a plan's targets as the textarea takes them.
func targetsText(p *survey.Plan, lang string) string {
	var b strings.Builder
	for _, t := range p.Targets {
		if t.Instrument != "" && t.Instrument != p.Instrument {
			b.WriteString(t.Instrument + ":")
		}
		b.WriteString(t.Indicator + " " + report.Number(t.Target, decimals(t.Target), lang) + "\n")
	}
	return b.String()
}
