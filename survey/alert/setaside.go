package alert

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// counterShare is one counter's ratings of a month: set aside (x) out of
// all those of people (n: counted and set aside; the honeypot's bots are
// no one's).
type counterShare struct {
	agency  *survey.Agency
	counter *survey.Counter
	x, n    int64
}

// setAside finds the counters whose share of set-aside ratings in month is
// unusual: at least MinSetAside set aside, and the lower end of the share's
// Wilson interval, at the simultaneous level of every counter with ratings
// in the month (Bonferroni), above the share of all the other counters of
// the province together.
func (c *Checker) setAside(ctx context.Context, _ time.Time, month survey.Period) ([]*survey.Alert, error) {
	if c.Integrity == nil {
		return nil, nil
	}
	as, err := c.Report.Agencies.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	var shares []counterShare
	var x, n int64
	for _, a := range as {
		rows, err := c.Integrity.IntegrityCounts(ctx, a.Code, month, "")
		if err != nil {
			return nil, fmt.Errorf("integrity counts of %s: %w", a.Code, err)
		}
		if len(rows) == 0 {
			continue
		}
		counters, err := c.Report.Agencies.ListCounters(ctx, a.Code)
		if err != nil {
			return nil, err
		}
		byID := map[int64]*survey.Counter{}
		for _, k := range counters {
			byID[k.ID] = k
		}
		at := map[int64]int{} // counter id → index in shares
		for _, r := range rows {
			x += r.SetAside
			n += r.Counted + r.SetAside
			k := byID[r.CounterID]
			if k == nil { // the dossier ratings without a counter
				continue
			}
			i, ok := at[k.ID]
			if !ok {
				i = len(shares)
				at[k.ID] = i
				shares = append(shares, counterShare{agency: a, counter: k})
			}
			shares[i].x += r.SetAside
			shares[i].n += r.Counted + r.SetAside
		}
	}
	return c.unusualShares(shares, x, n, month), nil
}

// unusualShares applies the rule of setAside to the counters' shares, x
// of n being the province's.
func (c *Checker) unusualShares(shares []counterShare, x, n int64, month survey.Period) []*survey.Alert {
	least := c.MinSetAside
	if least <= 0 {
		least = DefaultMinSetAside
	}
	m := 0
	for _, s := range shares {
		if s.n > 0 {
			m++
		}
	}
	simLevel := scoring.SimultaneousLevel(c.Report.Level(), m)
	var out []*survey.Alert
	for _, s := range shares {
		if s.x < least || n-s.n <= 0 {
			continue
		}
		rest := float64(x-s.x) / float64(n-s.n)
		ci := scoring.Wilson(s.x, s.n, simLevel)
		if !(ci.Low > rest) {
			continue
		}
		share, lo, hi, restPct := 100*float64(s.x)/float64(s.n), 100*ci.Low, 100*ci.High, 100*rest
		msg := fmt.Sprintf("%s, quầy %s «%s»: tháng %s có %d trong %d phiếu bị để riêng (%s, khoảng tin cậy đồng thời %s), cao hơn rõ rệt tỷ lệ của các quầy khác trong tỉnh (%s, %d trong %d phiếu); cần xem lại các phiếu này.",
			s.agency.Name, s.counter.Code, s.counter.Name, monthText(month), s.x, s.n, report.Percent(&share, "vi"),
			report.Interval(&lo, &hi, "vi"), report.Percent(&restPct, "vi"), x-s.x, n-s.n)
		out = append(out, &survey.Alert{Kind: survey.AlertSetAside, AgencyID: s.agency.ID, Agency: s.agency.Code, AgencyName: s.agency.Name,
			Key: s.counter.Code, Period: monthName(month), Message: msg,
			Value: &share, Low: &lo, High: &hi, Change: ptr(share - restPct), ChangeLow: ptr(lo - restPct), ChangeHigh: ptr(hi - restPct),
			Link: "/dashboard/agency/" + url.PathEscape(s.agency.Code) + "/integrity?" + periodQuery(month)})
	}
	return out
}
