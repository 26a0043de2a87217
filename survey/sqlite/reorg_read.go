package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

// lineageCols reads a lineage link with its agencies' codes and names.
const lineageCols = `SELECT l.kind, l.day, p.code, p.name, s.code, s.name, l.recorded_at, l.recorded_by
	FROM agency_lineage l JOIN agencies p ON p.id = l.predecessor_id JOIN agencies s ON s.id = l.successor_id`

func scanLineage(sc scanner) (survey.LineageEntry, error) {
	var e survey.LineageEntry
	var at int64
	err := sc.Scan(&e.Kind, &e.Date, &e.Predecessor, &e.PredecessorName, &e.Successor, &e.SuccessorName, &at, &e.RecordedBy)
	e.RecordedAt = time.UnixMilli(at).UTC()
	return e, err
}

// Lineage implements survey.ReorgStore: an agency's predecessors and
// successors by date, and its parents oldest first, read in one snapshot.
func (db *DB) Lineage(ctx context.Context, code string) (*survey.Lineage, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("lineage: %w", err)
	}
	defer tx.Rollback()
	a, err := findAgency(ctx, tx, code)
	if err != nil {
		return nil, err
	}
	l := &survey.Lineage{Agency: a.Code}
	if l.Predecessors, err = collectRows(ctx, tx, scanLineage, lineageCols+` WHERE l.successor_id = ? ORDER BY l.day, l.id`, a.ID); err != nil {
		return nil, fmt.Errorf("lineage of %s: %w", code, err)
	}
	if l.Successors, err = collectRows(ctx, tx, scanLineage, lineageCols+` WHERE l.predecessor_id = ? ORDER BY l.day, l.id`, a.ID); err != nil {
		return nil, fmt.Errorf("lineage of %s: %w", code, err)
	}
	l.Parents, err = collectRows(ctx, tx, func(sc scanner) (survey.ParentChange, error) {
		var c survey.ParentChange
		return c, sc.Scan(&c.Parent, &c.From, &c.To)
	}, `SELECT COALESCE(p.code, ''), s.from_day, COALESCE(s.to_day, '') FROM agency_parents s LEFT JOIN agencies p ON p.id = s.parent_id
		WHERE s.agency_id = ? ORDER BY s.from_day`, a.ID)
	if err != nil {
		return nil, fmt.Errorf("parents of %s: %w", code, err)
	}
	return l, nil
}

// TreeHistory implements survey.ReorgStore: every parent span by agency
// and day, and every lineage link by day, read in one snapshot.
func (db *DB) TreeHistory(ctx context.Context) ([]survey.ParentSpan, []survey.LineageEntry, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("tree history: %w", err)
	}
	defer tx.Rollback()
	spans, err := collectRows(ctx, tx, func(sc scanner) (survey.ParentSpan, error) {
		var s survey.ParentSpan
		return s, sc.Scan(&s.AgencyID, &s.ParentID, &s.From, &s.To)
	}, `SELECT agency_id, COALESCE(parent_id, 0), from_day, COALESCE(to_day, '') FROM agency_parents ORDER BY agency_id, from_day`)
	if err != nil {
		return nil, nil, fmt.Errorf("tree history: %w", err)
	}
	links, err := collectRows(ctx, tx, scanLineage, lineageCols+` ORDER BY l.day, l.id`)
	if err != nil {
		return nil, nil, fmt.Errorf("tree history: %w", err)
	}
	return spans, links, nil
}

// HoldersOf implements survey.HolderLister: the codes of the agencies
// whose history holds code's — the agencies it was merged or split into,
// the parent of an agency that did not merge (a closed sub-agency went
// into its parent's successor with it), and theirs in turn, recursively
// (nothing for an unknown code).
func (db *DB) HoldersOf(ctx context.Context, code string) ([]string, error) {
	out := []string{}
	err := eachRow(ctx, db.read, `WITH RECURSIVE up(id) AS (
			SELECT id FROM agencies WHERE code = ?
			UNION SELECT l.successor_id FROM agency_lineage l JOIN up ON l.predecessor_id = up.id
			UNION SELECT a.parent_id FROM agencies a JOIN up ON a.id = up.id
				WHERE a.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agency_lineage m WHERE m.predecessor_id = a.id AND m.kind = 'merge')
		) SELECT a.code FROM up JOIN agencies a ON a.id = up.id WHERE a.code != ? ORDER BY a.code`, func(sc scanner) error {
		var c string
		if err := sc.Scan(&c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}, code, code)
	if err != nil {
		return nil, fmt.Errorf("holders of %s: %w", code, err)
	}
	return out, nil
}
