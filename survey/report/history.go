package report

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/sipas/sipas/survey"
)

// Roll-up modes of a report over a reorganised tree.
const (
	// AsDated (the default) counts each agency's ratings under the parent
	// it had on the day they were given.
	AsDated = "dated"
	// AsCurrent rolls the whole period up under today's tree, each merged
	// agency's ratings under its successor: a unit's history as it is now.
	AsCurrent = "current"
)

// ValidAs reports whether as is a roll-up mode ("" is AsDated).
func ValidAs(as string) bool { return as == "" || as == AsDated || as == AsCurrent }

// ReorgSource reads the tree's history (survey.ReorgStore).
type ReorgSource interface {
	TreeHistory(ctx context.Context) ([]survey.ParentSpan, []survey.LineageEntry, error)
}

// history is the tree's history as a report reads it, by agency id, with
// every agency: read once per report, whatever periods it loads.
type history struct {
	spans map[int64][]survey.ParentSpan
	// preds are each merge successor's predecessors and the day they
	// merged into it.
	preds map[int64][]merged
	// merged are the merged agencies' successors and days, and absorbed
	// the agencies that went into the successor with each.
	merged   map[int64]survey.Merger
	absorbed map[int64][]int64
	// splits are each split agency's successors and the day.
	splits map[int64][]merged
	// days are the days the tree changed, sorted.
	days []string
	// all is every agency as it is today, and byID the same by id.
	all  []*survey.Agency
	byID map[int64]*survey.Agency
	ids  map[string]int64 // by code
}

// code is the code of agency id ("" when unknown).
func (h *history) code(id int64) string {
	if a := h.byID[id]; a != nil {
		return a.Code
	}
	return ""
}

type merged struct {
	id  int64
	day string
}

// loadHistory reads the tree's history; nil when the tree never changed
// (no move, merge or split), which reports read as they always did.
func (s *Service) loadHistory(ctx context.Context) (*history, error) {
	if s.Reorg == nil {
		return nil, nil
	}
	spans, links, err := s.Reorg.TreeHistory(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the tree's history: %w", err)
	}
	h := &history{spans: map[int64][]survey.ParentSpan{}, preds: map[int64][]merged{}, merged: map[int64]survey.Merger{}, splits: map[int64][]merged{}}
	seen := map[string]bool{}
	for _, sp := range spans {
		h.spans[sp.AgencyID] = append(h.spans[sp.AgencyID], sp)
		for _, d := range []string{sp.From, sp.To} {
			if d != "" && d != "0001-01-01" && !seen[d] {
				seen[d] = true
				h.days = append(h.days, d)
			}
		}
	}
	for _, l := range links {
		if !seen[l.Date] {
			seen[l.Date] = true
			h.days = append(h.days, l.Date)
		}
	}
	if len(h.days) == 0 {
		return nil, nil
	}
	all, err := s.Agencies.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	h.all, h.byID = all, make(map[int64]*survey.Agency, len(all))
	h.ids = make(map[string]int64, len(all))
	for _, a := range all {
		h.byID[a.ID], h.ids[a.Code] = a, a.ID
	}
	for _, l := range links {
		pred, succ := h.ids[l.Predecessor], h.ids[l.Successor]
		if l.Kind == survey.EventSplit {
			h.splits[pred] = append(h.splits[pred], merged{id: succ, day: l.Date})
		}
		if l.Kind != survey.EventMerge {
			continue
		}
		h.preds[succ] = append(h.preds[succ], merged{id: pred, day: l.Date})
		h.merged[pred] = survey.Merger{Into: succ, Day: l.Date}
	}
	h.absorbed = h.absorbedSets()
	sort.Strings(h.days)
	return h, nil
}

// absorbedSets lists, for each merged agency, the agencies that went into
// its successor with it: itself and the sub-agencies it held by parent
// span on the day of its merger (closed ones: a merger takes no open
// sub-agency), without those that had merged elsewhere by then, which go
// with their own successors (or with it, as its predecessors).
func (h *history) absorbedSets() map[int64][]int64 {
	trees := map[string]map[int64][]int64{} // by day: each agency's sub-agencies by span
	out := make(map[int64][]int64, len(h.merged))
	for x, m := range h.merged {
		kids := trees[m.Day]
		if kids == nil {
			kids = map[int64][]int64{}
			for c, p := range survey.TreeOn(h.spans, nil, m.Day) {
				kids[p] = append(kids[p], c)
			}
			trees[m.Day] = kids
		}
		set, seen := []int64{x}, map[int64]bool{x: true}
		for i := 0; i < len(set); i++ {
			for _, k := range kids[set[i]] {
				if mk, ok := h.merged[k]; seen[k] || ok && mk.Day <= m.Day {
					continue
				}
				seen[k] = true
				set = append(set, k)
			}
		}
		out[x] = set
	}
	return out
}

// idOf is the id of the agency with code (0 when unknown).
func (h *history) idOf(code string) int64 { return h.ids[code] }

// successors lists the merge successors by id.
func (h *history) successors() []int64 {
	out := make([]int64, 0, len(h.preds))
	for id := range h.preds {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// subtreeToday is the set of agencies in root's subtree in today's tree.
func (h *history) subtreeToday(root int64) map[int64]bool {
	kids := map[int64][]int64{}
	for _, a := range h.all {
		kids[a.ParentID] = append(kids[a.ParentID], a.ID)
	}
	out := map[int64]bool{root: true}
	for q := []int64{root}; len(q) > 0; q = q[1:] {
		for _, k := range kids[q[0]] {
			if !out[k] {
				out[k] = true
				q = append(q, k)
			}
		}
	}
	return out
}

// mergedInto is the last day within p on which predecessors merged into
// agency id ("" when none did; h may be nil).
func (h *history) mergedInto(id int64, p survey.Period) string {
	if h == nil {
		return ""
	}
	last := ""
	for _, pr := range h.preds[id] {
		if pr.day >= p.FromString() && pr.day <= p.ToString() && pr.day > last {
			last = pr.day
		}
	}
	return last
}

// existed reports whether agency id was in the tree on day: some span
// covers it, and it had not merged into a successor.
func (h *history) existed(id int64, day string) bool {
	if m, ok := h.merged[id]; ok && day >= m.Day {
		return false
	}
	for _, sp := range h.spans[id] {
		if sp.From <= day && (sp.To == "" || day < sp.To) {
			return true
		}
	}
	return false
}

// segments cuts p at the days the tree changed within it: the tree is the
// same on every day of a segment.
func (h *history) segments(p survey.Period) []survey.Period {
	var out []survey.Period
	from := p.From
	for _, d := range h.days {
		day, err := parseDay(d)
		if err != nil || !day.After(from) || day.After(p.To) {
			continue
		}
		out = append(out, survey.Period{From: from, To: day.AddDate(0, 0, -1)})
		from = day
	}
	return append(out, survey.Period{From: from, To: p.To})
}

// order lists the subtree of root in a tree given by parent, parents
// before children (siblings by code), as ListAgencies does; each agency is
// a copy with ParentID set from parent.
func order(all []*survey.Agency, root int64, parent func(*survey.Agency) (int64, bool)) []*survey.Agency {
	kids := map[int64][]*survey.Agency{}
	var top *survey.Agency
	for _, a := range all {
		if a.ID == root {
			c := *a
			top = &c
		}
		p, ok := parent(a)
		if !ok || a.ID == root {
			continue
		}
		c := *a
		c.ParentID = p
		kids[p] = append(kids[p], &c)
	}
	if top == nil {
		return nil
	}
	out := []*survey.Agency{top}
	for i := 0; i < len(out); i++ {
		ks := kids[out[i].ID]
		sort.Slice(ks, func(a, b int) bool { return ks[a].Code < ks[b].Code })
		out = append(out, ks...)
	}
	return out
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// parseDay parses a YYYY-MM-DD day in Vietnam.
func parseDay(d string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", d, survey.Vietnam)
}

// follow returns the agency that carries on agency a today: a itself, or
// the successor it was merged into (through later mergers too) and the
// day of its first merger.
func (h *history) follow(a *survey.Agency) (*survey.Agency, string) {
	if h == nil {
		return a, ""
	}
	id, day := a.ID, ""
	for i := 0; i < 64; i++ { // a lineage is acyclic; the bound guards a corrupt one
		m, ok := h.merged[id]
		if !ok {
			break
		}
		if day == "" {
			day = m.Day
		}
		id = m.Into
	}
	if x := h.byID[id]; x != nil && id != a.ID {
		return x, day
	}
	return a, ""
}

// splitOf returns the successors of agency a when it split, and the day.
func (h *history) splitOf(a *survey.Agency) ([]string, string) {
	if h == nil || len(h.splits[a.ID]) == 0 {
		return nil, ""
	}
	var codes []string
	for _, s := range h.splits[a.ID] {
		codes = append(codes, h.code(s.id))
	}
	sort.Strings(codes)
	return codes, h.splits[a.ID][0].day
}
