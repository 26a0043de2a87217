package dashboard

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/chart"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

// rankWait is how long the overview waits for rank intervals that are not
// cached yet before showing the table without them.
const rankWait = 150 * time.Millisecond

// overviewRow is one child agency in the league table.
type overviewRow struct {
	Code, Name             string
	Closed                 bool
	AgencyURL, OverviewURL string
	Index                  string
	Reportable             bool
	CI                     string
	CIBar                  template.HTML
	N                      string
	SetAside               string // beside N, "" when none
	Rate                   rateView
	Change                 string
	ChangeSig, ChangeMark  string
	VsRestSig, VsRestMark  string
	Rank                   string
	// Merged and PrevMerged mark a row (its previous period) that holds
	// predecessors' ratings.
	Merged, PrevMerged *mergeNote
	// Under says the row counts only the days its unit was under this
	// agency (it moved within the period).
	Under string
	child *report.Child
}

// sortHeader is a sortable column header.
type sortHeader struct {
	Label, URL, Aria string
}

// overviewPage is the league table of an agency's children.
type overviewPage struct {
	dashBase
	Agency       *survey.Agency
	ParentURL    string
	AgencyURL    string
	Period       periodView
	Instrument   string
	Whole        overviewRow
	Rows         []overviewRow
	Headers      map[string]sortHeader
	RanksPending bool
	Legend       string
	RateLegend   string
	Weighting    string
	Weightings   []presetLink
	CSVURL       string
	XLSXURL      string
	Action       string
	// As is the roll-up mode's sentence.
	As asView
}

// overviewData computes the league table of a's children for q, and
// says which agencies of the subtree are parents; names knows the
// subtree's names (for the notes of rows that hold predecessors' ratings).
func (h *Handler) overviewData(ctx context.Context, a *survey.Agency, q *dashQuery) (ch *report.Children, parents map[string]bool, names *agencyNames, err error) {
	ch, err = h.Reports.Children(ctx, q.reportQuery(a, q.Period), report.ChildrenOptions{RankWait: rankWait})
	if err != nil {
		return nil, nil, nil, err
	}
	sub, err := h.Store.ListAgencies(ctx, a.Code)
	if err != nil {
		return nil, nil, nil, err
	}
	parents = map[string]bool{}
	for _, x := range sub {
		if x.ParentCode != "" {
			parents[x.ParentCode] = true
		}
	}
	return ch, parents, h.names(ctx, sub...), nil
}

// sortKeys are the overview's sort columns and their default directions.
var sortKeys = map[string]string{"name": "asc", "index": "asc", "n": "desc", "change": "asc"}

// sortChildren orders the rows; rows without a value go last whatever the
// direction.
func sortChildren(kids []report.Child, key, dir string) {
	desc := dir == "desc"
	val := func(c *report.Child) (float64, bool) {
		switch key {
		case "n":
			return float64(c.Overall.N), true
		case "change":
			if c.Change.Diff == nil || !c.Overall.Reportable || !c.Previous.Reportable {
				return 0, false
			}
			return *c.Change.Diff, true
		default:
			if !c.Overall.Reportable || c.Overall.Index == nil {
				return 0, false
			}
			return *c.Overall.Index, true
		}
	}
	sort.SliceStable(kids, func(i, j int) bool {
		a, b := &kids[i], &kids[j]
		if key == "name" {
			an, bn := strings.ToLower(a.Name), strings.ToLower(b.Name)
			if desc {
				return an > bn
			}
			return an < bn
		}
		va, oka := val(a)
		vb, okb := val(b)
		switch {
		case oka != okb:
			return oka
		case !oka || va == vb:
			return a.Code < b.Code
		case desc:
			return va > vb
		default:
			return va < vb
		}
	})
}

func (h *Handler) rowOf(c *report.Child, q *dashQuery, parents map[string]bool, names *agencyNames) overviewRow {
	t := dtr(q.Lang)
	r := overviewRow{Code: c.Code, Name: c.Name, Closed: c.Closed, child: c,
		AgencyURL: q.link("/dashboard/agency/"+c.Code, "sort", "", "dir", ""),
		Index:     report.Shown(c.Overall, q.Lang), Reportable: c.Overall.Reportable,
		N: report.Number(float64(c.Overall.N), 0, q.Lang), SetAside: setAsideOf(c.SetAside, q.Lang), Rate: h.rateOf(c.Denominators, q.Lang), Change: "–", Rank: "–",
		CIBar: chart.CIBar("ci-"+c.Code, t.ChartCI, t.ChartCIDesc, c.Overall, q.Lang)}
	r.Under = report.UnderNote(c, q.Lang)
	if names != nil {
		r.Merged = mergeNoteOf(c.Combined, c.Overall.N, false, names, q.Lang)
		r.PrevMerged = mergeNoteOf(c.PreviousCombined, c.Previous.N, true, names, q.Lang)
	}
	if parents[c.Code] {
		r.OverviewURL = q.link("/dashboard/overview/"+c.Code, "sort", "", "dir", "")
	}
	if c.Overall.Reportable {
		r.CI = report.Interval(c.Overall.CILow, c.Overall.CIHigh, q.Lang)
	}
	if c.Overall.Reportable && c.Previous.Reportable {
		r.Change = report.Signed(c.Change.Diff, q.Lang)
		switch c.Change.Significant {
		case "higher":
			r.ChangeSig, r.ChangeMark = "higher", t.Up
		case "lower":
			r.ChangeSig, r.ChangeMark = "lower", t.Down
		}
	}
	if c.Overall.Reportable {
		switch c.VsRest.Significant {
		case "higher":
			r.VsRestSig, r.VsRestMark = "higher", t.Higher
		case "lower":
			r.VsRestSig, r.VsRestMark = "lower", t.Lower
		}
	}
	if c.Rank != nil {
		r.Rank = fmt.Sprintf("%d–%d / %d", c.Rank.Low, c.Rank.High, c.Rank.Of)
	}
	return r
}

// dashRequest reads the agency of a dashboard URL (checking the user may
// see it) and the period, instrument and language of its query.
func (h *Handler) dashRequest(c *gin.Context) (*survey.Agency, *dashQuery, error) {
	a, err := h.dashAgency(c)
	if err != nil {
		return nil, nil, err
	}
	q, err := h.parseDashQuery(c)
	if err != nil {
		return nil, nil, err
	}
	return a, q, nil
}

// overviewRequest reads the agency and the query of an overview page or
// its export, with the sort order defaulted and checked.
func (h *Handler) overviewRequest(c *gin.Context) (*survey.Agency, *dashQuery, error) {
	a, q, err := h.dashRequest(c)
	if err != nil {
		return nil, nil, err
	}
	if q.Sort == "" {
		q.Sort = "index"
	}
	if _, ok := sortKeys[q.Sort]; !ok {
		return nil, nil, fail(http.StatusBadRequest, dtr(q.Lang).BadSort)
	}
	if q.Dir == "" {
		q.Dir = sortKeys[q.Sort]
	}
	return a, q, nil
}

// Overview shows the league table of an agency's sub-units for a period.
func (h *Handler) Overview(c *gin.Context) error {
	a, q, err := h.overviewRequest(c)
	if err != nil {
		return err
	}
	ch, parents, names, err := h.overviewData(c.Request.Context(), a, q)
	if err != nil {
		return err
	}
	t := dtr(q.Lang)
	path := "/dashboard/overview/" + a.Code
	p := &overviewPage{dashBase: h.dashBase(c, t.OverviewTitle+" – "+a.Name), Agency: a,
		Period: h.periodView(q, path), Instrument: q.Instrument.Title.In(q.Lang),
		AgencyURL: q.link("/dashboard/agency/"+a.Code, "sort", "", "dir", ""),
		CSVURL:    q.link(path + "/export.csv"), XLSXURL: q.link(path + "/export.xlsx"), Action: path,
		RanksPending: ch.Ranks.Status == "pending", Headers: map[string]sortHeader{},
		Weighting: weightingText(ch.Weights, q.Lang), Weightings: weightingLinks(q, path), RateLegend: h.rateLegend(q.Lang)}
	if a.ParentCode != "" {
		if ok, _ := survey.CanSee(c.Request.Context(), h.Store, httpx.CurrentUser(c), a.ParentCode); ok {
			p.ParentURL = q.link("/dashboard/overview/"+a.ParentCode, "sort", "", "dir", "")
		}
	}
	rules := h.Reports.Options.Rules
	if rules == (scoring.Rules{}) {
		rules = scoring.DefaultRules()
	}
	p.Legend = fmt.Sprintf(t.Legend, strings.ToUpper(ch.Adjust[:1])+ch.Adjust[1:], rules.MinN, ch.Ranks.Replicates)
	whole := report.Child{Code: a.Code, Name: t.Whole + " " + a.Name, Overall: ch.Overall, Respondents: ch.Respondents, SetAside: ch.SetAside, Denominators: ch.Denominators}
	p.Whole = h.rowOf(&whole, q, nil, nil)
	p.As = asViewOf(q, path)
	sortChildren(ch.Children, q.Sort, q.Dir)
	for i := range ch.Children {
		p.Rows = append(p.Rows, h.rowOf(&ch.Children[i], q, parents, names))
	}
	for key, label := range map[string]string{"name": t.Unit, "index": t.Index, "n": t.N, "change": t.Change} {
		h := sortHeader{Label: label, URL: q.link(path, "sort", key, "dir", sortKeys[key])}
		if key == q.Sort {
			other, aria := "asc", "ascending"
			if q.Dir == "asc" {
				other = "desc"
			} else {
				aria = "descending"
			}
			h.URL, h.Aria = q.link(path, "sort", key, "dir", other), aria
		}
		p.Headers[key] = h
	}
	return h.render(c, http.StatusOK, "overview", p)
}
