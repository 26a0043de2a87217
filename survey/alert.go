package survey

import (
	"context"
	"time"
)

// Kinds of alert. The periodic check (package alert) finds them; officials
// acknowledge them; webhooks and mail carry them out.
const (
	// AlertDrop: an agency's index for the last complete month is
	// significantly below its previous three months, after a multiplicity
	// adjustment across every agency checked.
	AlertDrop = "index.drop"
	// AlertBelowTarget: an element or criterion of a plan's agency is below
	// the plan's target with confidence (the interval's upper end below it).
	AlertBelowTarget = "target.below"
	// AlertTaskOverdue: a plan task is past its due date and not done.
	AlertTaskOverdue = "task.overdue"
	// AlertSetAside: a counter's share of set-aside ratings in the last
	// complete month is unusual against the agencies' own.
	AlertSetAside = "counter.setaside"
)

// ValidAlertKind reports whether k is a kind of alert.
func ValidAlertKind(k string) bool {
	return k == AlertDrop || k == AlertBelowTarget || k == AlertTaskOverdue || k == AlertSetAside
}

// Alert is one finding of the periodic check. Kind, Key and Period together
// name what it is about; the store keeps one alert for each, so the same
// thing in the same period is never alerted twice.
type Alert struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	// Key is what the alert is about within its kind and agency: the
	// instrument and indicator code ("sipas-2017/overall", or an element
	// or criterion code after the slash) for drops and targets, the task's
	// id for tasks, the counter's code for counters.
	Key string `json:"key"`
	// Period is the period the finding is about: the month YYYY-MM for
	// drops, targets and counters, the due date YYYY-MM-DD for a task.
	Period     string `json:"period"`
	AgencyID   int64  `json:"-"`
	Agency     string `json:"agency"`
	AgencyName string `json:"agency_name"`
	// Message says in Vietnamese, in one or two sentences, what was found,
	// where, and by how much with its interval.
	Message string `json:"message"`
	// Figures in percent points, where the kind has them: the estimate and
	// its interval, and the change against the baseline with its interval
	// (nil when the kind has no such figure).
	Value      *float64 `json:"value,omitempty"`
	Low        *float64 `json:"low,omitempty"`
	High       *float64 `json:"high,omitempty"`
	Change     *float64 `json:"change,omitempty"`
	ChangeLow  *float64 `json:"change_low,omitempty"`
	ChangeHigh *float64 `json:"change_high,omitempty"`
	// Link is the dashboard path that shows the finding (no host).
	Link      string     `json:"link"`
	PlanID    int64      `json:"plan,omitempty"`
	TaskID    int64      `json:"task,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	AckedBy   string     `json:"acked_by,omitempty"`
	AckedAt   *time.Time `json:"acked_at,omitempty"`
}

// AlertFilter selects alerts, newest first.
type AlertFilter struct {
	// Agencies limits the list to these agencies (nil: every agency; an
	// official's scope is their subtree's ids).
	Agencies []int64
	// Acked selects acknowledged (true) or open (false) alerts; nil: both.
	Acked *bool
	// Kind selects one kind ("" : all).
	Kind string
	// Since and Until bound CreatedAt (zero: unbounded; Until exclusive).
	Since, Until time.Time
	// AfterID lists only alerts with a larger id, oldest first, for readers
	// that follow the list (webhooks, mail); 0 keeps newest first.
	AfterID int64
	// Limit caps the list (0: 100; at most 1000).
	Limit int
}

// AlertStore keeps alerts. Nothing is deleted; acknowledging is audited.
type AlertStore interface {
	// AddAlerts stores each alert not already stored for its (Kind,
	// Agency, Key, Period), setting its ID and CreatedAt, and returns those
	// it stored, in order. It returns EINVALID for an unknown kind or agency.
	AddAlerts(ctx context.Context, as []*Alert) ([]*Alert, error)
	// ListAlerts returns the alerts f selects.
	ListAlerts(ctx context.Context, f AlertFilter) ([]*Alert, error)
	// FindAlert returns ENOTFOUND.
	FindAlert(ctx context.Context, id int64) (*Alert, error)
	// AckAlert acknowledges an alert as by, in the audit log too, and
	// returns it. Acknowledging twice keeps the first; it returns
	// ENOTFOUND.
	AckAlert(ctx context.Context, id int64, by Actor) (*Alert, error)
}
