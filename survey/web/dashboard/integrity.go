package dashboard

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// integrityPage is an agency's integrity page: per counter, the ratings
// counted and set aside, why, when (windows of ten minutes at the finest),
// and the index with and without them.
type integrityPage struct {
	dashBase
	Agency    *survey.Agency
	Period    periodView
	Admin     bool
	AgencyURL string
	ReviewURL string
	Counters  []integrityRow
	// The opening hours that apply, where they are set, and the holidays.
	Hours               []hoursRow
	HoursFrom, HoursAPI string
	Holidays            string
	AdjustNote          string
}

// integrityRow is one counter of the page.
type integrityRow struct {
	Code, Name, Instrument            string
	Counted, SetAside, Accepted, Bots string
	HasAccepted, HasBots              bool
	Reasons                           []reasonRow
	Windows                           []windowRow
	With, Without                     estView
	Channels                          splitRow
}

// reasonRow is one reason with its count of set-aside ratings.
type reasonRow struct{ Key, Label, N string }

// windowRow is one window in which ratings were set aside.
type windowRow struct {
	Date, Span, Reasons, Ratings, Observed string
}

// hoursRow is one day of the opening hours.
type hoursRow struct{ Day, Spans string }

// IntegrityPage shows what the integrity signals set aside at the agency's
// own counters in the period, and the opening hours they are judged
// against (admins, and officials of the agency or above).
func (h *Handler) IntegrityPage(c *gin.Context) error {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	t := dtr(q.Lang)
	// Every counter with its own instrument: the page has no instrument
	// switch.
	r, err := h.Reports.Integrity(ctx, h.Store, report.Query{Agency: a, Period: q.Period})
	if err != nil {
		return err
	}
	path := "/dashboard/agency/" + a.Code
	p := &integrityPage{dashBase: h.dashBase(c, t.IntegrityTitle+" – "+a.Name), Agency: a,
		Period: h.periodView(q, path+"/integrity"), Admin: httpx.CurrentUser(c).Role == survey.RoleAdmin,
		AgencyURL:  q.link(path, "page", "", "low", ""),
		ReviewURL:  flaggedQuery{Agency: a.Code, Status: flaggedPending, Lang: q.Lang}.link(flaggedPath),
		HoursAPI:   fmt.Sprintf(t.IgHoursNote, a.Code),
		AdjustNote: fmt.Sprintf(t.SplitNote, strings.ToUpper(r.Adjust[:1])+r.Adjust[1:]) + " " + t.IgChNote}
	p.Period.Instrument = nil
	for _, row := range r.Counters {
		p.Counters = append(p.Counters, h.integrityRowOf(row, q.Lang))
	}
	hours, from, err := h.Store.AgencyHours(ctx, a.Code)
	if err != nil {
		return err
	}
	switch from {
	case "":
		p.HoursFrom = t.IgHoursDefault
	case a.Code:
		p.HoursFrom = t.IgHoursOwn
	default:
		p.HoursFrom = fmt.Sprintf(t.IgHoursInherited, from)
	}
	// Monday first, Sunday last.
	byDay := hours.Map()
	for i := 1; i <= 7; i++ {
		d := time.Weekday(i % 7)
		spans := byDay[dayKey(d)]
		text := t.IgHoursClosed
		if len(spans) > 0 {
			text = strings.ReplaceAll(strings.Join(spans, ", "), "-", "–")
		}
		p.Hours = append(p.Hours, hoursRow{Day: t.IgWeekdays[d], Spans: text})
	}
	holidays, err := h.Store.Holidays(ctx)
	if err != nil {
		return err
	}
	p.Holidays = fmt.Sprintf(t.IgDays, len(holidays))
	return h.render(c, http.StatusOK, "integrity", p)
}

// integrityRowOf is the view of one counter's row.
func (h *Handler) integrityRowOf(r report.IntegrityCounter, lang string) integrityRow {
	t := dtr(lang)
	num := func(n int64) string { return report.Number(float64(n), 0, lang) }
	code, name := r.Counter, r.Name
	if code == "" {
		code, name = "-", t.NoCounter
	}
	in := r.Instrument
	if inst, err := h.Instruments.Current(r.Instrument); err == nil {
		in = inst.Title.In(lang)
	}
	v := integrityRow{Code: code, Name: name, Instrument: in,
		Counted: num(r.Counted), SetAside: num(r.SetAside), Accepted: num(r.Accepted), Bots: num(r.Bots),
		HasAccepted: r.Accepted > 0, HasBots: r.Bots > 0,
		With:    estOf(code, t.IgIndexWith, r.Index.WithSetAside, lang),
		Without: estOf(code, t.IgIndexWithout, r.Index.Without, lang),
		Channels: splitOf(code, name, report.CounterSplitRow{Dossier: r.Channels.Dossier, Open: r.Channels.Open,
			Diff: r.Channels.Diff}, lang)}
	for _, k := range report.Reasons() {
		if n := r.ByReason[k]; n > 0 {
			v.Reasons = append(v.Reasons, reasonRow{Key: k, Label: reasonLabel(t, k), N: num(n)})
		}
	}
	for _, w := range r.Windows {
		labels := make([]string, 0, len(w.Reasons))
		for _, k := range w.Reasons {
			labels = append(labels, reasonLabel(t, k))
		}
		date := w.Date
		if d, err := time.ParseInLocation("2006-01-02", w.Date, survey.Vietnam); err == nil {
			date = viDate(d)
		}
		v.Windows = append(v.Windows, windowRow{Date: date, Span: w.From + "–" + w.To, Reasons: strings.Join(labels, "; "),
			Ratings:  num(w.Ratings),
			Observed: fmt.Sprintf(t.IgObservedFmt, num(w.Observed), expectedText(w.Expected, lang))})
	}
	return v
}

// expectedText is how many ratings a window was expected to hold, to one
// decimal ("< 0,1" below it: "0,0" would read as "none at all").
func expectedText(v float64, lang string) string {
	if v < 0.05 {
		return "< " + report.Number(0.1, 1, lang)
	}
	return report.Number(v, 1, lang)
}

// reasonLabel is a reason in plain words (its key when it has none).
func reasonLabel(t *Texts, key string) string {
	if s, ok := t.IgReasons[key]; ok {
		return s
	}
	return key
}

// dayKey is the key of a weekday in integrity.Hours' JSON form.
func dayKey(d time.Weekday) string {
	return strings.ToLower(d.String()[:3])
}
