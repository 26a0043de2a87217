package alert

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// targets finds, for every plan of month's year, the targets missed with
// confidence in month: the interval of the plan agency's index (weighted
// as its scores are) lies wholly below the target, and the index is
// reportable (report.TargetNotMet).
func (c *Checker) targets(ctx context.Context, _ time.Time, month survey.Period) ([]*survey.Alert, error) {
	if c.Plans == nil {
		return nil, nil
	}
	plans, err := c.Plans.ListPlans(ctx, survey.PlanFilter{Year: month.From.Year()})
	if err != nil {
		return nil, err
	}
	var out []*survey.Alert
	for _, pl := range plans {
		if len(pl.Targets) == 0 {
			continue
		}
		ts, err := c.Report.Targets(ctx, pl, month)
		if err != nil {
			return nil, fmt.Errorf("plan %d: %w", pl.ID, err)
		}
		for _, ts := range ts {
			if ts.Status == report.TargetNotMet {
				out = append(out, targetAlert(pl, ts, month))
			}
		}
	}
	return out, nil
}

func targetAlert(pl *survey.Plan, ts report.TargetStatus, month survey.Period) *survey.Alert {
	inst := ts.Instrument
	if inst == "" {
		inst = pl.Instrument
	}
	cur, tg := ts.Current, ts.Target
	gap := minus(cur.Index, tg)
	what := "chỉ số " + ts.Indicator
	if ts.Indicator == survey.IndicatorOverall {
		what = "chỉ số hài lòng chung"
	}
	msg := fmt.Sprintf("%s: chỉ tiêu %s (%s) của kế hoạch «%s» năm %d là %s; tháng %s chỉ số là %s %s (n = %d), cách chỉ tiêu %s điểm phần trăm, khoảng %s: cả khoảng tin cậy nằm dưới chỉ tiêu.",
		pl.AgencyName, what, inst, pl.Title, pl.Year, report.Percent(&tg, "vi"), monthText(month),
		report.Percent(cur.Index, "vi"), report.Interval(cur.CILow, cur.CIHigh, "vi"), cur.N,
		report.Signed(gap, "vi"), report.Interval(minus(cur.CILow, tg), minus(cur.CIHigh, tg), "vi"))
	return &survey.Alert{Kind: survey.AlertBelowTarget, AgencyID: pl.AgencyID, Agency: pl.AgencyCode, AgencyName: pl.AgencyName,
		Key: inst + "/" + ts.Indicator, Period: monthName(month), Message: msg,
		Value: cur.Index, Low: cur.CILow, High: cur.CIHigh,
		Change: gap, ChangeLow: minus(cur.CILow, tg), ChangeHigh: minus(cur.CIHigh, tg),
		Link: "/dashboard/plans/" + strconv.FormatInt(pl.ID, 10), PlanID: pl.ID}
}
