package public

import (
	"html/template"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/chart"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

type resultsPage struct {
	basePage
	Agency, Lead string
	Periods      []periodView
	TrendChart   template.HTML
	Trend        []monthView
}

type periodView struct {
	ID, Title, Range string
	Overall          estView
	Elements         []rowView
	// Children is nil when the agency has no published child.
	Children []rowView
}

// estView is an index as shown: the figures only when reportable.
type estView struct {
	Index, Interval, N string
	Reportable         bool
}

type rowView struct {
	Name, URL string
	estView
}

type monthView struct {
	Month string
	estView
}

func est(e report.PublicEstimate, lang string) estView {
	v := estView{N: report.Number(float64(e.N), 0, lang), Reportable: e.Reportable}
	if e.Reportable {
		v.Index = report.Number(*e.Index, 1, lang) + "%"
		v.Interval = report.Number(*e.CILow, 1, lang) + " – " + report.Number(*e.CIHigh, 1, lang) + "%"
	}
	return v
}

func (h *Handler) resultsPage(c *gin.Context, in *survey.Instrument, periods []survey.ReportPeriod, pub *report.Public) *resultsPage {
	lang := httpx.Lang(c)
	t := tr(lang)
	p := &resultsPage{basePage: h.base(c, t.Title+" – "+pub.AgencyName), Agency: pub.AgencyName}
	p.Lead = sprintf(t.Lead, pub.AgencyName)
	names := map[string]string{}
	for _, e := range in.Elements {
		names[e.Code] = e.Text.In(lang)
	}
	suffix := ""
	if lang == "en" {
		suffix = "?lang=en"
	}
	for i, pp := range pub.Periods {
		v := periodView{ID: pp.Kind, Title: t.periodTitle(periods[i]), Range: report.DayText(pp.From) + " – " + report.DayText(pp.To),
			Overall: est(pp.Overall, lang)}
		for _, e := range pp.Elements {
			v.Elements = append(v.Elements, rowView{Name: names[e.Code], estView: est(e.PublicEstimate, lang)})
		}
		for _, ch := range pp.Children {
			v.Children = append(v.Children, rowView{Name: ch.Name, URL: "/p/" + url.PathEscape(ch.Code) + suffix, estView: est(ch.PublicEstimate, lang)})
		}
		p.Periods = append(p.Periods, v)
	}
	for _, m := range pub.Trend {
		p.Trend = append(p.Trend, monthView{Month: m.Month[5:7] + "/" + m.Month[:4], estView: est(m.PublicEstimate, lang)})
	}
	p.TrendChart = chart.Trend("trend", t.Trend+" – "+pub.AgencyName, sprintf(t.TrendDesc, pub.AgencyName), pub.Months, lang)
	return p
}
