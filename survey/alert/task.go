package alert

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// tasks finds the tasks past their due date on now's day and not done.
// Each is the alert of its responsible unit, so that the unit's officials
// and those above them see it.
func (c *Checker) tasks(ctx context.Context, now time.Time, _ survey.Period) ([]*survey.Alert, error) {
	if c.Plans == nil {
		return nil, nil
	}
	yesterday := now.In(survey.Vietnam).AddDate(0, 0, -1).Format("2006-01-02")
	ts, err := c.Plans.ListTasks(ctx, survey.TaskFilter{Open: true, DueBy: yesterday})
	if err != nil {
		return nil, err
	}
	var out []*survey.Alert
	for _, t := range ts {
		if !t.Overdue(now) {
			continue
		}
		due, err := time.ParseInLocation("2006-01-02", t.Due, survey.Vietnam)
		if err != nil {
			return nil, fmt.Errorf("task %d: due %q: %w", t.ID, t.Due, err)
		}
		msg := fmt.Sprintf("%s: nhiệm vụ «%s» (kế hoạch số %d) đã quá hạn (hạn %s), trạng thái: %s.",
			t.ResponsibleName, t.Title, t.PlanID, due.Format("02/01/2006"), report.StatusLabel(t.Status, "vi"))
		out = append(out, &survey.Alert{Kind: survey.AlertTaskOverdue, AgencyID: t.ResponsibleID, Agency: t.Responsible,
			AgencyName: t.ResponsibleName, Key: strconv.FormatInt(t.ID, 10), Period: t.Due, Message: msg,
			Link:   "/dashboard/plans/" + strconv.FormatInt(t.PlanID, 10) + "/tasks/" + strconv.FormatInt(t.ID, 10),
			PlanID: t.PlanID, TaskID: t.ID})
	}
	return out, nil
}
