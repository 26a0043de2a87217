package sqlite

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/sipas/sipas/survey"
)

// merge closes the agencies m.From on m.Date and makes m.Into (created
// when it does not exist) their successor, moving or closing their open
// counters.
func (r *reorg) merge(m *survey.Merge) error {
	froms := make([]*node, len(m.From))
	codes := make([]string, len(m.From))
	for i, code := range m.From {
		f, err := r.find("from", code)
		if err != nil {
			return err
		}
		if f.closed {
			return invalid("from", "%s is already closed", f.code)
		}
		if m.Date < f.since {
			return invalid("date", "%s is a date before %s existed under its current parent (from %s)", m.Date, f.code, f.since)
		}
		froms[i], codes[i] = f, f.code
	}
	into, err := r.lookup(m.Into)
	if err != nil {
		return err
	}
	if into != nil {
		if err := r.checkSuccessor("into", into, m.Date, m.Parent, froms, "merging into it"); err != nil {
			return err
		}
	}
	for _, f := range froms {
		if err := r.checkNoneBeneath("from", f, m.Date); err != nil {
			return err
		}
	}
	var notes []string
	if into == nil {
		parentCode := m.Parent
		if parentCode == "" {
			parentCode = froms[0].parentCode
		}
		if into, err = r.create(m.Into, m.Name, parentCode, m.Date, froms, "merge"); err != nil {
			return err
		}
		notes = append(notes, "new")
	} else if m.Name != "" {
		if renamed, err := r.rename(into, m.Name); err != nil {
			return err
		} else if renamed {
			notes = append(notes, "renamed")
		}
	}
	notes = append(notes, "counters moved")
	if m.Counters == survey.CountersClose {
		notes[len(notes)-1] = "counters closed"
	}
	for _, f := range froms {
		if m.Counters == survey.CountersClose {
			if _, err := r.closeCounters(f, m.Date); err != nil {
				return err
			}
		} else {
			cs, err := r.openCounters(f)
			if err != nil {
				return err
			}
			for _, c := range cs {
				code, err := r.moveCounter(c, f, into, "from")
				if err != nil {
					return err
				}
				if code != c.code {
					notes = append(notes, fmt.Sprintf("%s/%s is now %s/%s", f.code, c.code, into.code, code))
				}
			}
		}
		if err := r.closeAgency(f, m.Date); err != nil {
			return err
		}
		if err := r.link(survey.EventMerge, m.Date, f, into); err != nil {
			return err
		}
	}
	return r.audit("agency.merge", fmt.Sprintf("merge %s: %s → %s (%s)", m.Date, strings.Join(codes, ", "), into.code, strings.Join(notes, "; ")))
}

// split closes s.From on s.Date, makes each of s.Into (created when it
// does not exist) its successor with the counters it names, and closes the
// counters named by none.
func (r *reorg) split(s *survey.Split) error {
	f, err := r.find("from", s.From)
	if err != nil {
		return err
	}
	if f.closed {
		return invalid("from", "%s is already closed", f.code)
	}
	if s.Date < f.since {
		return invalid("date", "%s is a date before %s existed under its current parent (from %s)", s.Date, f.code, f.since)
	}
	if err := r.checkNoneBeneath("from", f, s.Date); err != nil {
		return err
	}
	parts := make([]*node, len(s.Into))
	var partCodes, notes []string
	for i := range s.Into {
		p := &s.Into[i]
		n, err := r.lookup(p.Code)
		if err != nil {
			return err
		}
		if n != nil {
			if err := r.checkSuccessor("into", n, s.Date, p.Parent, []*node{f}, "splitting into it"); err != nil {
				return err
			}
			if p.Name != "" {
				if _, err := r.rename(n, p.Name); err != nil {
					return err
				}
			}
			partCodes = append(partCodes, n.code)
		} else {
			parentCode := p.Parent
			if parentCode == "" {
				parentCode = f.parentCode
			}
			if n, err = r.create(p.Code, p.Name, parentCode, s.Date, []*node{f}, "split"); err != nil {
				return err
			}
			partCodes = append(partCodes, n.code+" (new)")
		}
		for _, code := range p.Counters {
			c, ok, err := r.counterOf(f, code)
			if err != nil {
				return err
			}
			if !ok {
				return invalid("into", "counter %s is not a counter of %s", code, f.code)
			}
			if c.closed {
				return invalid("into", "counter %s of %s is closed: only open counters move", code, f.code)
			}
			moved, err := r.moveCounter(c, f, n, "into")
			if err != nil {
				return err
			}
			notes = append(notes, fmt.Sprintf("%s/%s → %s/%s", f.code, code, n.code, moved))
		}
		parts[i] = n
	}
	closed, err := r.closeCounters(f, s.Date)
	if err != nil {
		return err
	}
	if len(closed) > 0 {
		notes = append(notes, "closed "+strings.Join(closed, ", "))
	}
	if len(notes) == 0 {
		notes = append(notes, "no counters")
	}
	if err := r.closeAgency(f, s.Date); err != nil {
		return err
	}
	for _, n := range parts {
		if err := r.link(survey.EventSplit, s.Date, f, n); err != nil {
			return err
		}
	}
	return r.audit("agency.split", fmt.Sprintf("split %s: %s → %s (counters: %s)", s.Date, f.code, strings.Join(partCodes, ", "), strings.Join(notes, "; ")))
}

// checkSuccessor checks an existing agency s that is to succeed preds on
// day: it is open, none of them, none of their predecessors (that would be
// a loop in the lineage, possible once a closed predecessor is reopened),
// not beneath any of them, it existed on day, and parent, when given, is
// its parent already (an existing agency moves by a move event).
func (r *reorg) checkSuccessor(field string, s *node, day, parent string, preds []*node, verb string) error {
	if s.closed {
		return invalid(field, "%s is closed", s.code)
	}
	for _, p := range preds {
		if s.id == p.id {
			return invalid(field, "%s cannot succeed itself", s.code)
		}
		var loop bool
		err := r.tx.QueryRowContext(r.ctx, `WITH RECURSIVE before(id) AS (
			SELECT predecessor_id FROM agency_lineage WHERE successor_id = ?
			UNION SELECT l.predecessor_id FROM agency_lineage l JOIN before ON l.successor_id = before.id
		) SELECT EXISTS (SELECT 1 FROM before WHERE id = ?)`, p.id, s.id).Scan(&loop)
		if err != nil {
			return fmt.Errorf("lineage of %s: %w", p.code, err)
		}
		if loop {
			return invalid(field, "%s is a predecessor of %s: %s would make a loop", s.code, p.code, verb)
		}
		under, err := r.beneath(p.id, s.id)
		if err != nil {
			return err
		}
		if under {
			return invalid(field, "%s lies beneath %s, which closes: move it out first", s.code, p.code)
		}
	}
	if day < s.born {
		return invalid("date", "%s is a date before %s existed (from %s)", day, s.code, s.born)
	}
	if parent != "" && parent != s.parentCode {
		return invalid("parent", "%s exists, under %s: a parent is given only for a new agency (move it with a move event)", s.code, orRoot(s.parentCode))
	}
	return nil
}

// create stores a new agency that succeeds preds from day, under
// parentCode ("" for a root), its first parent span starting on day.
func (r *reorg) create(code, name, parentCode, day string, preds []*node, kind string) (*node, error) {
	field := "into"
	if err := survey.ValidateCode(code); err != nil {
		return nil, invalid(field, "%s", err.Message)
	}
	if name == "" {
		return nil, invalid("name", "%s does not exist: give a name to create it", code)
	}
	name, verr := survey.ValidateName(name)
	if verr != nil {
		return nil, invalid("name", "%s", verr.Message)
	}
	n := &node{code: code, name: name, since: day, born: day}
	if parentCode != "" {
		p, err := r.find("parent", parentCode)
		if err != nil {
			return nil, err
		}
		for _, pr := range preds {
			if pr.id == p.id {
				return nil, invalid("parent", "%s closes in this %s: it cannot be %s's parent", p.code, kind, code)
			}
		}
		if p.closed {
			return nil, invalid("parent", "%s, the parent of %s, is closed", p.code, code)
		}
		if day < p.born {
			return nil, invalid("date", "%s, the parent of %s, did not exist on %s (it dates from %s)", p.code, code, day, p.born)
		}
		n.parentID, n.parentCode = p.id, p.code
	}
	parent := sql.NullInt64{Int64: n.parentID, Valid: n.parentID != 0}
	res, err := r.tx.ExecContext(r.ctx, `INSERT INTO agencies(code, name, parent_id, created_at) VALUES (?, ?, ?, ?)`, code, name, parent, ms(r.now))
	if err != nil {
		return nil, fmt.Errorf("create agency %s: %w", code, err)
	}
	if n.id, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO agency_parents(agency_id, parent_id, from_day, to_day) VALUES (?, ?, ?, NULL)`, n.id, parent, day); err != nil {
		return nil, fmt.Errorf("create agency %s: %w", code, err)
	}
	r.out.Created = append(r.out.Created, code)
	return n, nil
}

// rename gives an agency a new name, reporting whether it changed.
func (r *reorg) rename(a *node, name string) (bool, error) {
	name, verr := survey.ValidateName(name)
	if verr != nil {
		return false, invalid("name", "%s", verr.Message)
	}
	if name == a.name {
		return false, nil
	}
	if _, err := r.tx.ExecContext(r.ctx, `UPDATE agencies SET name = ? WHERE id = ?`, name, a.id); err != nil {
		return false, fmt.Errorf("rename %s: %w", a.code, err)
	}
	old := a.name
	a.name = name
	return true, r.history("agency", a.id, "name", old, name)
}

// closeAgency closes an agency at the start of day.
func (r *reorg) closeAgency(a *node, day string) error {
	at, err := dayStart(day)
	if err != nil {
		return err
	}
	if _, err := r.tx.ExecContext(r.ctx, `UPDATE agencies SET closed_at = ? WHERE id = ?`, at, a.id); err != nil {
		return fmt.Errorf("close %s: %w", a.code, err)
	}
	a.closed = true
	return r.history("agency", a.id, "status", "open", "closed")
}

// link records that pred became (part of) succ on day.
func (r *reorg) link(kind, day string, pred, succ *node) error {
	name := r.by.Name
	if name == "" {
		name = "system"
	}
	_, err := r.tx.ExecContext(r.ctx, `INSERT INTO agency_lineage(kind, day, predecessor_id, successor_id, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)`,
		kind, day, pred.id, succ.id, ms(r.now), name)
	if err != nil {
		return fmt.Errorf("lineage %s → %s: %w", pred.code, succ.code, err)
	}
	return nil
}
