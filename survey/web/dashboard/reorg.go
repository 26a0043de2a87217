package dashboard

import (
	"context"
	"fmt"
	"strings"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// A reorganised tree shows on the pages in three ways: the sentence saying
// how the page rolls it up (asView, with the switch to the other mode), an
// agency's lineage (lineageView), and a note wherever an index holds the
// ratings of an agency's predecessors (mergeNote), on the page and in the
// exports.

// asView is the page's sentence about its roll-up mode and the link to
// the other mode.
type asView struct {
	Text, SwitchURL, SwitchLabel string
	Current                      bool
}

func asViewOf(q *dashQuery, path string) asView {
	t := dtr(q.Lang)
	if q.As == report.AsCurrent {
		return asView{Text: t.AsCurrentText, SwitchURL: q.link(path, "as", "", "page", ""), SwitchLabel: t.ToDated, Current: true}
	}
	return asView{Text: t.AsDatedText, SwitchURL: q.link(path, "as", report.AsCurrent, "page", ""), SwitchLabel: t.ToCurrent}
}

// agencyNames finds agencies' names by code for the notes and the lineage,
// each at most once a page.
type agencyNames struct {
	ctx   context.Context
	store survey.AgencyStore
	m     map[string]string
}

func (h *Handler) names(ctx context.Context, known ...*survey.Agency) *agencyNames {
	n := &agencyNames{ctx: ctx, store: h.Store, m: map[string]string{}}
	for _, a := range known {
		n.m[a.Code] = a.Name
	}
	return n
}

// of is the name of code, "" when there is no such agency.
func (n *agencyNames) of(code string) string {
	if name, ok := n.m[code]; ok {
		return name
	}
	name := ""
	if a, err := n.store.FindAgency(n.ctx, code); err == nil {
		name = a.Name
	}
	n.m[code] = name
	return name
}

// label is "CODE Name", or the code alone.
func (n *agencyNames) label(code string) string {
	if name := n.of(code); name != "" {
		return code + " " + name
	}
	return code
}

// mergeNote marks an index that holds predecessors' ratings: Text is the
// note ("trước sáp nhập: gộp từ 3 đơn vị cũ"), Codes the predecessors'
// codes and Names their codes with names, for a title and the exports.
type mergeNote struct {
	Text, Codes, Names string
}

// export is the note as an export's cell gives it.
func (m *mergeNote) export() string {
	if m == nil {
		return ""
	}
	return m.Text + " (" + m.Names + ")"
}

// mergeNoteOf is the note of an index of respondents combined from codes
// (nil when it holds none); prev words it for the previous period. An
// index without respondents holds nobody's ratings: it gets no note,
// although the report names the predecessors of the days it covers.
func mergeNoteOf(codes []string, respondents int64, prev bool, n *agencyNames, lang string) *mergeNote {
	if len(codes) == 0 || respondents <= 0 {
		return nil
	}
	text := report.CombinedText(len(codes), lang)
	if prev {
		text = fmt.Sprintf(dtr(lang).PrevCombined, text)
	}
	labels := make([]string, len(codes))
	for i, c := range codes {
		labels[i] = n.label(c)
	}
	return &mergeNote{Text: text, Codes: strings.Join(codes, ", "), Names: strings.Join(labels, "; ")}
}

// joinNotes is the export cell of a row's notes.
func joinNotes(ms ...*mergeNote) string {
	var out []string
	for _, m := range ms {
		if s := m.export(); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

// combinedMonth is a month of the trend whose index is its predecessors'.
type combinedMonth struct {
	Month string // "03/2026"
	Note  *mergeNote
}

// lineageView is the agency page's "Lịch sử tổ chức": one line per
// predecessor event, successor event and parent change. Empty when the
// agency has no history.
type lineageView struct {
	Items []lineageItem
}

// lineageItem is one line: a lead ("Sáp nhập từ:"), the agencies it
// names, and its date phrase ("— 01/07/2025", "từ 01/03/2026").
type lineageItem struct {
	Kind     string // merged-from, split-from, merged-into, split-into, parent
	Lead     string
	Agencies []agencyLink
	Tail     string
}

// agencyLink is an agency named in the lineage, with a link to its page
// when the user may see it.
type agencyLink struct {
	Code, Name, URL string
}

// agencyLineage builds the lineage block of a.
func (h *Handler) agencyLineage(ctx context.Context, u *survey.User, a *survey.Agency, q *dashQuery, n *agencyNames) (lineageView, error) {
	var v lineageView
	l, err := h.Store.Lineage(ctx, a.Code)
	if err != nil {
		return v, fmt.Errorf("lineage of %s: %w", a.Code, err)
	}
	t := dtr(q.Lang)
	// Whether the user may open each agency's page, asked once per code.
	var seeErr error
	sees := map[string]bool{}
	link := func(code, name string) agencyLink {
		if name == "" {
			name = n.of(code)
		}
		al := agencyLink{Code: code, Name: name}
		ok, asked := sees[code]
		if !asked {
			var err error
			if ok, err = survey.CanSee(ctx, h.Store, u, code); err != nil && seeErr == nil {
				seeErr = err
			}
			sees[code] = ok
		}
		if ok {
			al.URL = q.link("/dashboard/agency/"+code, "page", "", "low", "", "sort", "", "dir", "")
		}
		return al
	}
	// One line per event: the links of one merger or split share a kind
	// and a date.
	group := func(es []survey.LineageEntry, pred bool) {
		idx := map[string]int{}
		for _, e := range es {
			kind, lead := "merged-into", t.MergedInto
			code, name := e.Successor, e.SuccessorName
			switch {
			case pred && e.Kind == survey.EventSplit:
				kind, lead = "split-from", t.SplitFrom
			case pred:
				kind, lead = "merged-from", t.MergedFrom
			case e.Kind == survey.EventSplit:
				kind, lead = "split-into", t.SplitInto
			}
			if pred {
				code, name = e.Predecessor, e.PredecessorName
			}
			key := kind + "|" + e.Date
			i, ok := idx[key]
			if !ok {
				i = len(v.Items)
				idx[key] = i
				v.Items = append(v.Items, lineageItem{Kind: kind, Lead: lead, Tail: "— " + report.DayText(e.Date)})
			}
			v.Items[i].Agencies = append(v.Items[i].Agencies, link(code, name))
		}
	}
	group(l.Predecessors, true)
	group(l.Successors, false)
	// The parents, when the agency has had more than one.
	if len(l.Parents) > 1 {
		for i, p := range l.Parents {
			it := lineageItem{Kind: "parent", Lead: t.Under}
			if p.Parent == "" {
				it.Lead = t.NoParent
			} else {
				it.Agencies = []agencyLink{link(p.Parent, "")}
			}
			var when []string
			if i > 0 && p.From != "" {
				when = append(when, fmt.Sprintf(t.Since, report.DayText(p.From)))
			}
			if p.To != "" {
				when = append(when, fmt.Sprintf(t.Until, report.DayText(p.To)))
			}
			it.Tail = strings.Join(when, " ")
			v.Items = append(v.Items, it)
		}
	}
	if seeErr != nil {
		return v, fmt.Errorf("lineage of %s: %w", a.Code, seeErr)
	}
	return v, nil
}
