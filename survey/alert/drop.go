package alert

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// BaselineMonths is how many months before the month checked are pooled
// as the baseline a drop is measured against.
const BaselineMonths = 3

// Baseline is the BaselineMonths whole months before month.
func Baseline(month survey.Period) survey.Period {
	return survey.Period{From: month.From.AddDate(0, -BaselineMonths, 0), To: month.From.AddDate(0, 0, -1)}
}

// candidate is one agency's change in one instrument.
type candidate struct {
	instrument *survey.Instrument
	report.AgencyChange
}

// drops finds the agencies whose overall index in month is significantly
// below their baseline, every agency of every instrument forming one
// family of comparisons.
func (c *Checker) drops(ctx context.Context, _ time.Time, month survey.Period) ([]*survey.Alert, error) {
	roots, err := c.roots(ctx)
	if err != nil {
		return nil, err
	}
	base := Baseline(month)
	ids := c.Report.Instruments.IDs()
	sort.Strings(ids)
	var cands []candidate
	for _, id := range ids {
		in, err := c.Report.Instruments.Current(id)
		if err != nil {
			return nil, err
		}
		for _, root := range roots {
			cs, err := c.Report.AllAgainst(ctx, report.Query{Agency: root, Instrument: in, Period: month}, base)
			if err != nil {
				return nil, err
			}
			for _, ch := range cs {
				cands = append(cands, candidate{instrument: in, AgencyChange: ch})
			}
		}
	}
	level := c.Report.Level()
	var out []*survey.Alert
	for _, i := range significantDrops(cands, c.Report.Adjust, level) {
		out = append(out, dropAlert(cands[i], month, base, c.Report.Adjust))
	}
	return out, nil
}

// significantDrops adjusts the changes of cands as one family (method holm
// or bh; the unknown is holm) and returns the indices of those
// significantly lower after the adjustment. A candidate without a change
// (an index not reportable) is not in the family; the adjusted p-value is
// written back into its Change.
func significantDrops(cands []candidate, method string, level float64) []int {
	cs := make([]scoring.Comparison, len(cands))
	for i := range cands {
		cs[i] = cands[i].Change
	}
	scoring.AdjustComparisons(cs, method, level)
	var out []int
	for i := range cs {
		cands[i].Change = cs[i]
		if cs[i].Significant == "lower" {
			out = append(out, i)
		}
	}
	return out
}

// roots are the agencies without a parent.
func (c *Checker) roots(ctx context.Context) ([]*survey.Agency, error) {
	as, err := c.Report.Agencies.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []*survey.Agency
	for _, a := range as {
		if a.ParentID == 0 {
			out = append(out, a)
		}
	}
	return out, nil
}

// adjustName is the adjustment as messages name it.
func adjustName(method string) string {
	if method == scoring.MethodBH {
		return "Benjamini–Hochberg"
	}
	return "Holm"
}

func dropAlert(c candidate, month, base survey.Period, method string) *survey.Alert {
	cur, then, ch := c.Current, c.Baseline, c.Change
	msg := fmt.Sprintf("%s: chỉ số hài lòng chung (%s) tháng %s là %s %s (n = %d), so với ba tháng trước (%s–%s: %s %s, n = %d) thay đổi %s điểm phần trăm, khoảng tin cậy %s; giảm có ý nghĩa thống kê sau hiệu chỉnh %s trên tất cả các đơn vị được kiểm tra.",
		c.Name, c.instrument.ID, monthText(month), report.Percent(cur.Index, "vi"), report.Interval(cur.CILow, cur.CIHigh, "vi"), cur.N,
		base.From.Format("01/2006"), base.To.Format("01/2006"), report.Percent(then.Index, "vi"), report.Interval(then.CILow, then.CIHigh, "vi"), then.N,
		report.Signed(ch.Diff, "vi"), report.Interval(ch.CILow, ch.CIHigh, "vi"), adjustName(method))
	return &survey.Alert{Kind: survey.AlertDrop, AgencyID: c.AgencyID, Agency: c.Code, AgencyName: c.Name,
		Key: c.instrument.ID + "/" + survey.IndicatorOverall, Period: monthName(month), Message: msg,
		Value: cur.Index, Low: cur.CILow, High: cur.CIHigh, Change: ch.Diff, ChangeLow: ch.CILow, ChangeHigh: ch.CIHigh,
		Link: "/dashboard/agency/" + url.PathEscape(c.Code) + "?" + periodQuery(month) + "&instrument=" + url.QueryEscape(c.instrument.ID)}
}
