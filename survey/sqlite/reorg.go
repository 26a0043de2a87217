package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

// Reorganisations (survey.ReorgStore): moves here, merges and splits in
// reorg_merge.go, closures in reorg_close.go, the tree's history in
// reorg_read.go. The tables are described in migrations/0016_reorg.sql.

var _ survey.ReorgStore = (*DB)(nil)

// firstDay starts the parent span of an agency not created by a
// reorganisation: it has had its parent since before anything was
// recorded.
const firstDay = "0001-01-01"

// Reorganise implements survey.ReorgStore. The events are applied in order
// in one write transaction, each against the tree the earlier ones left;
// the first refusal rolls back all of them. Each event's form is checked
// again (survey.CheckMove, CheckMerge, CheckSplit, CheckClose, against the
// database's clock) before what needs the tree. The outcomes say what
// each event created, moved and closed.
func (db *DB) Reorganise(ctx context.Context, events []survey.Event, by survey.Actor) ([]survey.Outcome, error) {
	if len(events) == 0 {
		return nil, survey.Errorf(survey.EINVALID, "no reorganisation events")
	}
	outcomes := make([]survey.Outcome, len(events))
	if err := db.reorganise(ctx, events, outcomes, by); err != nil {
		return nil, err
	}
	// Counters carry their agency: a moved counter's cached answer names
	// the old one, and agencies closed.
	db.countersChanged()
	return outcomes, nil
}

// reorganise applies events in one transaction, recording what each did
// in outcomes (meaningless unless it succeeds).
func (db *DB) reorganise(ctx context.Context, events []survey.Event, outcomes []survey.Outcome, by survey.Actor) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reorganise: %w", err)
	}
	defer tx.Rollback()
	now := db.Now()
	for i := range events {
		ev := &events[i]
		r := &reorg{ctx: ctx, tx: tx, now: now, by: by, out: &outcomes[i]}
		err := r.apply(ev)
		if err == nil && ev.Kind != survey.EventClose {
			// Today's tree was checked; a back-dated event can still loop
			// on a past day. (A closure changes no parent.)
			err = r.loopsSince(eventDay(ev))
		}
		if err != nil {
			var se *survey.Error
			if errors.As(err, &se) {
				se.Line = ev.Line
				return se
			}
			return fmt.Errorf("reorganise: event %d (line %d): %w", i+1, ev.Line, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reorganise: %w", err)
	}
	return nil
}

// reorg applies one event within the transaction of a Reorganise.
type reorg struct {
	ctx context.Context
	tx  *sql.Tx
	now time.Time
	by  survey.Actor
	out *survey.Outcome // what the event did
}

func (r *reorg) apply(ev *survey.Event) error {
	switch {
	case ev.Kind == survey.EventMove && ev.Move != nil:
		if err := survey.CheckMove(ev.Move, r.now); err != nil {
			return err
		}
		return r.move(ev.Move)
	case ev.Kind == survey.EventMerge && ev.Merge != nil:
		if err := survey.CheckMerge(ev.Merge, r.now); err != nil {
			return err
		}
		return r.merge(ev.Merge)
	case ev.Kind == survey.EventSplit && ev.Split != nil:
		if err := survey.CheckSplit(ev.Split, r.now); err != nil {
			return err
		}
		return r.split(ev.Split)
	case ev.Kind == survey.EventClose && ev.Close != nil:
		if err := survey.CheckClose(ev.Close, r.now); err != nil {
			return err
		}
		return r.close(ev.Close)
	}
	return invalid("kind", "event kind %q: want %s, %s, %s or %s, with its details", ev.Kind,
		survey.EventMove, survey.EventMerge, survey.EventSplit, survey.EventClose)
}

// move gives an agency a new parent from a date: its current span ends on
// the date and the next starts there (or, dated the day the current span
// starts, the current span's parent is replaced).
func (r *reorg) move(m *survey.Move) error {
	a, err := r.find("agency", m.Agency)
	if err != nil {
		return err
	}
	p, err := r.find("parent", m.Parent)
	if err != nil {
		return err
	}
	switch {
	case a.closed:
		return invalid("agency", "%s is closed", a.code)
	case p.closed:
		return invalid("parent", "%s is closed", p.code)
	case a.parentID == p.id:
		return invalid("parent", "%s is already under %s", a.code, p.code)
	}
	if cycle, err := r.beneath(a.id, p.id); err != nil {
		return err
	} else if cycle {
		return invalid("parent", "moving %s under %s would make a cycle: %s is beneath %s", a.code, p.code, p.code, a.code)
	}
	if m.Date < a.since {
		return invalid("date", "%s's current parent dates from %s; a move must come after it", a.code, a.since)
	}
	if m.Date < p.born {
		return invalid("date", "%s did not exist on %s (it dates from %s)", p.code, m.Date, p.born)
	}
	if err := r.setParent(a, p.id, m.Date); err != nil {
		return err
	}
	if err := r.history("agency", a.id, "parent", a.parentCode, p.code); err != nil {
		return err
	}
	return r.audit("agency.move", fmt.Sprintf("move %s: %s from %s to %s", m.Date, a.code, orRoot(a.parentCode), p.code))
}

func orRoot(code string) string {
	if code == "" {
		return "(root)"
	}
	return code
}

// node is an agency as a reorganisation sees it.
type node struct {
	id         int64
	code, name string
	parentID   int64 // 0: a root
	parentCode string
	closed     bool
	since      string // the day its current parent span starts
	born       string // the day its first parent span starts
}

// lookup returns the agency with code, or nil when there is none.
func (r *reorg) lookup(code string) (*node, error) {
	var n node
	err := r.tx.QueryRowContext(r.ctx, `SELECT a.id, a.code, a.name, COALESCE(a.parent_id, 0), COALESCE(p.code, ''), a.closed_at IS NOT NULL,
		COALESCE((SELECT from_day FROM agency_parents WHERE agency_id = a.id AND to_day IS NULL), ?),
		COALESCE((SELECT min(from_day) FROM agency_parents WHERE agency_id = a.id), ?)
		FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id WHERE a.code = ?`, firstDay, firstDay, code).
		Scan(&n.id, &n.code, &n.name, &n.parentID, &n.parentCode, &n.closed, &n.since, &n.born)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find agency %s: %w", code, err)
	}
	return &n, nil
}

// find returns the agency with code, ENOTFOUND naming field when there is
// none.
func (r *reorg) find(field, code string) (*node, error) {
	n, err := r.lookup(code)
	if err == nil && n == nil {
		e := survey.Errorf(survey.ENOTFOUND, "agency %q not found", code)
		e.Fields = map[string]string{field: e.Message}
		return nil, e
	}
	return n, err
}

// beneath reports whether the agency id lies beneath root in the current
// tree (closed agencies included).
func (r *reorg) beneath(root, id int64) (bool, error) {
	var in bool
	err := r.tx.QueryRowContext(r.ctx, `WITH RECURSIVE down(id) AS (
		SELECT id FROM agencies WHERE parent_id = ?
		UNION SELECT c.id FROM agencies c JOIN down ON c.parent_id = down.id
	) SELECT EXISTS (SELECT 1 FROM down WHERE id = ?)`, root, id).Scan(&in)
	return in, err
}

// setParent makes parent (0: none) the agency's parent from day on.
func (r *reorg) setParent(a *node, parent int64, day string) error {
	p := sql.NullInt64{Int64: parent, Valid: parent != 0}
	if a.since == day {
		// Dated the day the current span starts: replace its parent rather
		// than leave an empty span. When that brings back the parent of
		// the span before, the two are one span again.
		var prev sql.NullInt64
		err := r.tx.QueryRowContext(r.ctx, `SELECT parent_id FROM agency_parents WHERE agency_id = ? AND to_day = ?`, a.id, day).Scan(&prev)
		rejoin := err == nil && prev == p
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("move %s: %w", a.code, err)
		}
		if rejoin {
			if _, err := r.tx.ExecContext(r.ctx, `DELETE FROM agency_parents WHERE agency_id = ? AND to_day IS NULL`, a.id); err != nil {
				return fmt.Errorf("move %s: %w", a.code, err)
			}
			_, err = r.tx.ExecContext(r.ctx, `UPDATE agency_parents SET to_day = NULL WHERE agency_id = ? AND to_day = ?`, a.id, day)
		} else {
			_, err = r.tx.ExecContext(r.ctx, `UPDATE agency_parents SET parent_id = ? WHERE agency_id = ? AND to_day IS NULL`, p, a.id)
		}
		if err != nil {
			return fmt.Errorf("move %s: %w", a.code, err)
		}
	} else {
		// An agency with no span at all (written around CreateAgency) gets
		// its past parent first.
		if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO agency_parents(agency_id, parent_id, from_day, to_day)
			SELECT id, parent_id, ?, ? FROM agencies WHERE id = ? AND NOT EXISTS (SELECT 1 FROM agency_parents WHERE agency_id = ?)`,
			firstDay, day, a.id, a.id); err != nil {
			return fmt.Errorf("move %s: %w", a.code, err)
		}
		if _, err := r.tx.ExecContext(r.ctx, `UPDATE agency_parents SET to_day = ? WHERE agency_id = ? AND to_day IS NULL`, day, a.id); err != nil {
			return fmt.Errorf("move %s: %w", a.code, err)
		}
		if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO agency_parents(agency_id, parent_id, from_day, to_day) VALUES (?, ?, ?, NULL)`, a.id, p, day); err != nil {
			return fmt.Errorf("move %s: %w", a.code, err)
		}
	}
	if _, err := r.tx.ExecContext(r.ctx, `UPDATE agencies SET parent_id = ? WHERE id = ?`, p, a.id); err != nil {
		return fmt.Errorf("move %s: %w", a.code, err)
	}
	return nil
}

func (r *reorg) history(entity string, id int64, field, old, new string) error {
	if err := history(r.ctx, r.tx, r.now, r.by, entity, id, field, old, new); err != nil {
		return fmt.Errorf("reorganise: history: %w", err)
	}
	return nil
}

func (r *reorg) audit(action, detail string) error {
	if err := audit(r.ctx, r.tx, r.now, r.by, action, detail); err != nil {
		return fmt.Errorf("reorganise: audit: %w", err)
	}
	return nil
}

// invalid is an EINVALID error naming one field of an event.
func invalid(field, format string, args ...any) *survey.Error {
	e := survey.Errorf(survey.EINVALID, format, args...)
	e.Fields = map[string]string{field: e.Message}
	return e
}

// dayStart is midnight in Vietnam at the start of day, in milliseconds,
// as closed_at holds it.
func dayStart(day string) (int64, error) {
	d, err := time.ParseInLocation("2006-01-02", day, survey.Vietnam)
	if err != nil {
		return 0, fmt.Errorf("day %q: %w", day, err)
	}
	return ms(d), nil
}

// listCodes joins codes for a message, the first few of many.
func listCodes(codes []string) string {
	const most = 5
	if len(codes) > most {
		return strings.Join(codes[:most], ", ") + fmt.Sprintf(" and %d more", len(codes)-most)
	}
	return strings.Join(codes, ", ")
}

// eventDay is the day an event takes effect.
func eventDay(ev *survey.Event) string {
	switch {
	case ev.Move != nil:
		return ev.Move.Date
	case ev.Merge != nil:
		return ev.Merge.Date
	case ev.Split != nil:
		return ev.Split.Date
	case ev.Close != nil:
		return ev.Close.Date
	}
	return ""
}

// loopsSince refuses a tree that loops on any day from day on: the tree
// of each day it changes (survey.TreeOn), every agency under the parent of
// its span, a merged agency under its successor from its merger.
func (r *reorg) loopsSince(day string) error {
	spans := map[int64][]survey.ParentSpan{}
	days := map[string]bool{day: true}
	err := eachRow(r.ctx, r.tx, `SELECT agency_id, COALESCE(parent_id, 0), from_day, COALESCE(to_day, '') FROM agency_parents`, func(sc scanner) error {
		var s survey.ParentSpan
		if err := sc.Scan(&s.AgencyID, &s.ParentID, &s.From, &s.To); err != nil {
			return err
		}
		spans[s.AgencyID] = append(spans[s.AgencyID], s)
		for _, d := range []string{s.From, s.To} {
			if d >= day {
				days[d] = true
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check the tree's history: %w", err)
	}
	merged := map[int64]survey.Merger{}
	err = eachRow(r.ctx, r.tx, `SELECT predecessor_id, successor_id, day FROM agency_lineage WHERE kind = 'merge'`, func(sc scanner) error {
		var p int64
		var m survey.Merger
		if err := sc.Scan(&p, &m.Into, &m.Day); err != nil {
			return err
		}
		merged[p] = m
		if m.Day >= day {
			days[m.Day] = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check the tree's history: %w", err)
	}
	for d := range days {
		if d == "" {
			continue
		}
		if id, ok := survey.TreeLoop(survey.TreeOn(spans, merged, d)); ok {
			return invalid("date", "the tree would loop on %s (through agency %s)", d, r.codeOf(id))
		}
	}
	return nil
}

// codeOf is an agency's code, for a message.
func (r *reorg) codeOf(id int64) string {
	var code string
	if err := r.tx.QueryRowContext(r.ctx, `SELECT code FROM agencies WHERE id = ?`, id).Scan(&code); err != nil {
		return fmt.Sprint(id)
	}
	return code
}
