package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
)

// taskCols are a task's columns, read from plan_tasks t joined to its
// responsible agency a.
const taskCols = `t.id, t.plan_id, t.title, t.responsible_id, a.code, a.name, t.criteria, t.start, t.due, t.description, t.status,
	t.created_at, t.created_by, t.updated_at`

const taskFrom = ` FROM plan_tasks t JOIN agencies a ON a.id = t.responsible_id`

func scanTask(sc scanner) (*survey.Task, error) {
	var t survey.Task
	var criteria string
	var created, updated int64
	if err := sc.Scan(&t.ID, &t.PlanID, &t.Title, &t.ResponsibleID, &t.Responsible, &t.ResponsibleName, &criteria,
		&t.Start, &t.Due, &t.Description, &t.Status, &created, &t.CreatedBy, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(criteria), &t.Criteria); err != nil {
		return nil, fmt.Errorf("task %d: stored criteria: %w", t.ID, err)
	}
	if t.Criteria == nil {
		t.Criteria = []string{}
	}
	t.CreatedAt, t.UpdatedAt = msTime(created), msTime(updated)
	return &t, nil
}

// CreateTask implements survey.PlanStore. The plan and the responsible
// agency must exist (ENOTFOUND); the responsible agency must be open and be
// the plan's agency or lie beneath it (EINVALID, naming the field
// "responsible"). The task starts as survey.TaskTodo with one progress
// entry saying so.
func (db *DB) CreateTask(ctx context.Context, t *survey.Task, by survey.Actor) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create task: %w", err)
	}
	defer tx.Rollback()
	p, err := findPlan(ctx, tx, t.PlanID)
	if err != nil {
		return err
	}
	r, err := findAgency(ctx, tx, t.Responsible)
	if err != nil {
		return err
	}
	var in bool
	if err := tx.QueryRowContext(ctx, `WITH RECURSIVE up(id) AS (
		SELECT ? UNION SELECT a.parent_id FROM agencies a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL
	) SELECT EXISTS (SELECT 1 FROM up WHERE id = ?)`, r.ID, p.AgencyID).Scan(&in); err != nil {
		return fmt.Errorf("create task: subtree: %w", err)
	}
	if !in {
		return fieldErr("responsible", "agency %s is not %s or beneath it: a task of %s's plan is carried out within its subtree",
			r.Code, p.AgencyCode, p.AgencyCode)
	}
	if r.ClosedAt != nil {
		return fieldErr("responsible", "agency %s is closed", r.Code)
	}
	if t.Criteria == nil {
		t.Criteria = []string{}
	}
	criteria, _ := json.Marshal(t.Criteria) // a list of strings
	now := db.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO plan_tasks(plan_id, title, responsible_id, criteria, start, due, description, status,
		created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, t.Title, r.ID, string(criteria), t.Start, t.Due, t.Description, survey.TaskTodo, ms(now), actorName(by), ms(now))
	if err != nil {
		return fmt.Errorf("create task: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("create task: %w", err)
	}
	first := survey.Progress{At: msTime(ms(now)), By: actorName(by), Status: survey.TaskTodo}
	if err := appendProgress(ctx, tx, id, first); err != nil {
		return err
	}
	detail := fmt.Sprintf("task %d of plan %d: %s (%s, due %s)", id, p.ID, t.Title, r.Code, t.Due)
	if err := audit(ctx, tx, now, by, "task.create", detail); err != nil {
		return fmt.Errorf("create task: audit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create task: %w", err)
	}
	t.ID, t.PlanID, t.Status = id, p.ID, survey.TaskTodo
	t.ResponsibleID, t.Responsible, t.ResponsibleName = r.ID, r.Code, r.Name
	t.CreatedAt, t.UpdatedAt, t.CreatedBy = first.At, first.At, first.By
	t.Progress = []survey.Progress{first}
	return nil
}

// appendProgress appends a progress entry to task id. It is the only
// statement that writes task_progress: entries are never changed.
func appendProgress(ctx context.Context, tx *sql.Tx, id int64, e survey.Progress) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO task_progress(task_id, at, user_name, status, note) VALUES (?, ?, ?, ?, ?)`,
		id, ms(e.At), e.By, e.Status, e.Note); err != nil {
		return fmt.Errorf("task %d: append progress: %w", id, err)
	}
	return nil
}

// FindTask implements survey.PlanStore: the task with its progress, oldest
// entry first. A task of another plan is ENOTFOUND.
func (db *DB) FindTask(ctx context.Context, planID, taskID int64) (*survey.Task, error) {
	// One read transaction: the task and its entries are of one moment.
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find task: %w", err)
	}
	defer tx.Rollback()
	return findTask(ctx, tx, planID, taskID)
}

// findTask reads a task and its progress through tx.
func findTask(ctx context.Context, tx *sql.Tx, planID, taskID int64) (*survey.Task, error) {
	t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskCols+taskFrom+` WHERE t.id = ? AND t.plan_id = ?`, taskID, planID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "task %d of plan %d not found", taskID, planID)
	} else if err != nil {
		return nil, fmt.Errorf("find task: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT at, user_name, status, note FROM task_progress WHERE task_id = ? ORDER BY id`, taskID)
	if err != nil {
		return nil, fmt.Errorf("task progress: %w", err)
	}
	defer rows.Close()
	t.Progress = []survey.Progress{}
	for rows.Next() {
		var e survey.Progress
		var at int64
		if err := rows.Scan(&at, &e.By, &e.Status, &e.Note); err != nil {
			return nil, fmt.Errorf("task progress: %w", err)
		}
		e.At = msTime(at)
		t.Progress = append(t.Progress, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("task progress: %w", err)
	}
	return t, nil
}

// ListTasks implements survey.PlanStore: the tasks of f by due date then
// id, without their progress entries. Returns ENOTFOUND for an unknown
// Responsible agency and EINVALID for a DueBy that is not a date.
func (db *DB) ListTasks(ctx context.Context, f survey.TaskFilter) ([]*survey.Task, error) {
	q := `SELECT ` + taskCols + taskFrom
	var where []string
	var args []any
	if f.Responsible != "" {
		a, err := db.FindAgency(ctx, f.Responsible)
		if err != nil {
			return nil, err
		}
		q = `WITH RECURSIVE ` + subtreeByID + ` ` + q
		where = append(where, `t.responsible_id IN (SELECT id FROM sub)`)
		args = append(args, a.ID)
	}
	if f.PlanID > 0 {
		where = append(where, `t.plan_id = ?`)
		args = append(args, f.PlanID)
	}
	if f.Open {
		where = append(where, `t.status != ?`)
		args = append(args, survey.TaskDone)
	}
	if f.DueBy != "" {
		if _, err := time.Parse("2006-01-02", f.DueBy); err != nil {
			return nil, fieldErr("due_by", "due_by: %q is not a date YYYY-MM-DD", f.DueBy)
		}
		where = append(where, `t.due <= ?`)
		args = append(args, f.DueBy)
	}
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY t.due, t.id`
	return queryAll(ctx, db, "list tasks", scanTask, q, args...)
}

// UpdateTask implements survey.PlanStore: it appends a progress entry with
// u's status (the task's own when u.Status is nil) and note, and sets the
// task's status when that changes it. Returns the task with all its
// progress; ENOTFOUND, or EINVALID for an unknown status.
func (db *DB) UpdateTask(ctx context.Context, planID, taskID int64, u survey.TaskUpdate, by survey.Actor) (*survey.Task, error) {
	if u.Status != nil && !survey.ValidTaskStatus(*u.Status) {
		return nil, fieldErr("status", "status must be %s", strings.Join(survey.TaskStatuses, ", "))
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update task: %w", err)
	}
	defer tx.Rollback()
	t, err := findTask(ctx, tx, planID, taskID)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	e := survey.Progress{At: msTime(ms(now)), By: actorName(by), Status: t.Status, Note: u.Note}
	if u.Status != nil {
		e.Status = *u.Status
	}
	if err := appendProgress(ctx, tx, t.ID, e); err != nil {
		return nil, err
	}
	change := t.Status
	if e.Status != t.Status {
		if _, err := tx.ExecContext(ctx, `UPDATE plan_tasks SET status = ?, updated_at = ? WHERE id = ?`, e.Status, ms(now), t.ID); err != nil {
			return nil, fmt.Errorf("update task: %w", err)
		}
		change += " → " + e.Status
	}
	detail := fmt.Sprintf("task %d of plan %d: %s", t.ID, planID, change)
	if e.Note != "" {
		detail += ": " + e.Note
	}
	if err := audit(ctx, tx, now, by, "task.progress", detail); err != nil {
		return nil, fmt.Errorf("update task: audit: %w", err)
	}
	// Read back within the transaction: the answer is this change.
	if t, err = findTask(ctx, tx, planID, taskID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update task: %w", err)
	}
	return t, nil
}
