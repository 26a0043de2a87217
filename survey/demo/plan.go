package demo

import (
	"fmt"
	"time"

	"github.com/sipas/sipas/survey"
)

// PlanSeed is the demo province's improvement plan: the plan, its tasks
// with their progress, the improvements the generator builds into the
// ratings so that the plan has effects to show, and the official yearly
// results of the source article (Cần Thơ's 2021 figures, which the demo
// province stands in for).
type PlanSeed struct {
	Plan     survey.PlanInput
	Tasks    []TaskSeed
	Lifts    []Lift
	Official []survey.OfficialResult
}

// TaskSeed is one task of the demo plan and its progress entries, oldest
// first.
type TaskSeed struct {
	Task     survey.TaskInput
	Progress []ProgressSeed
}

// ProgressSeed is a progress entry made at At.
type ProgressSeed struct {
	At     time.Time
	Status string
	Note   string
}

// Lift moves the answers to some criteria of an agency's ratings from
// From (inclusive) until To (exclusive; zero: no end) by Shift points of
// the 1–5 scale before rounding: what a criterion that fell, or a task
// that worked, looks like in the data.
type Lift struct {
	Agency   string
	From, To time.Time
	Items    []string
	Shift    float64
}

// NewPlan lays out the demo plan of province p for the year of now (in
// Vietnam): targets for the overall index and three of its parts, and four
// tasks at four units — one done that worked (its criteria had fallen
// before it began, and recover),
// one in progress that has not shown a change, one overdue and one due
// within two weeks. The last two go to the first two communes or wards of
// today's tree (Layout.Current; in a tree with districts, to the first
// district and the first commune). It needs a province with at least two
// departments and two other units; with fewer it plans fewer tasks.
func NewPlan(p *Province, now time.Time) *PlanSeed {
	l := now.In(survey.Vietnam)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, survey.Vietnam)
	date := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	at := func(days int, hour int) time.Time {
		return today.AddDate(0, 0, days).Add(time.Duration(hour) * time.Hour)
	}
	root := p.Agencies[0].Code
	s := &PlanSeed{
		Plan: survey.PlanInput{Agency: root, Year: l.Year(), Title: fmt.Sprintf("Kế hoạch cải thiện Chỉ số SIPAS năm %d", l.Year()),
			Instrument: "sipas-2017", Targets: []survey.PlanTarget{
				{Indicator: survey.IndicatorOverall, Target: 85}, {Indicator: "TT", Target: 88},
				{Indicator: "CC3", Target: 90}, {Indicator: "KQ", Target: 80},
			}},
	}
	// units are the communes and wards under the province (districts in a
	// tree before 2025, with their communes beneath).
	var depts, units, communes []string
	for _, a := range p.Agencies[1:] {
		switch {
		case a.ParentCode == root && a.Code[0] == 'S':
			depts = append(depts, a.Code)
		case a.ParentCode == root:
			units = append(units, a.Code)
		default:
			communes = append(communes, a.Code)
		}
	}
	if len(communes) == 0 && len(units) > 1 {
		units, communes = units[:1], units[1:]
	}
	if len(depts) > 0 {
		s.Tasks = append(s.Tasks, TaskSeed{
			Task: survey.TaskInput{Title: "Niêm yết đầy đủ, chính xác thủ tục hành chính tại quầy", Responsible: depts[0],
				Criteria: []string{"TT1", "TT2"}, Start: date(-120), Due: date(-10),
				Description: "Rà soát và niêm yết lại toàn bộ thủ tục, phí, lệ phí tại Bộ phận Một cửa; cập nhật khi có thay đổi."},
			Progress: []ProgressSeed{
				{At: at(-112, 9), Status: survey.TaskDoing, Note: "Đã rà soát 45 thủ tục, bắt đầu in bảng niêm yết mới."},
				{At: at(-60, 15), Status: survey.TaskDoing, Note: "Đã niêm yết 30/45 thủ tục."},
				{At: at(-14, 10), Status: survey.TaskDone, Note: "Hoàn thành niêm yết 45/45 thủ tục; kiểm tra định kỳ hằng tháng."},
			},
		})
		// The criteria had fallen at that department (why the task was
		// planned) and recovered once it began.
		s.Lifts = append(s.Lifts, Lift{Agency: depts[0], To: today.AddDate(0, 0, -120), Items: []string{"TT1", "TT2"}, Shift: -1.5})
	}
	if len(depts) > 1 {
		s.Tasks = append(s.Tasks, TaskSeed{
			Task: survey.TaskInput{Title: "Tập huấn kỹ năng giao tiếp, hướng dẫn cho công chức Bộ phận Một cửa", Responsible: depts[1],
				Criteria: []string{"CC1", "CC3", "CC5"}, Start: date(-90), Due: date(30),
				Description: "Hai lớp tập huấn; lấy ý kiến người dân sau mỗi đợt."},
			Progress: []ProgressSeed{{At: at(-80, 14), Status: survey.TaskDoing, Note: "Đã tổ chức lớp thứ nhất (25 công chức)."}},
		})
	}
	if len(units) > 0 {
		s.Tasks = append(s.Tasks, TaskSeed{
			Task: survey.TaskInput{Title: "Bố trí thêm ghế chờ và máy lấy số thứ tự", Responsible: units[0],
				Criteria: []string{"TC1", "TC2"}, Start: date(-150), Due: date(-20),
				Description: "Bổ sung 20 ghế chờ và một máy lấy số tại khu vực chờ."},
			Progress: []ProgressSeed{{At: at(-100, 10), Status: survey.TaskDoing, Note: "Đã có dự toán; chờ phân bổ kinh phí."}},
		})
	}
	if len(communes) > 0 {
		s.Tasks = append(s.Tasks, TaskSeed{
			Task: survey.TaskInput{Title: "Công khai kết quả xử lý góp ý, phản ánh tại trụ sở và trên trang thông tin", Responsible: communes[0],
				Criteria: []string{"GY3", "GY4"}, Start: date(-45), Due: date(7)},
		})
	}
	n := func(v int) *int { return &v }
	for _, r := range []survey.OfficialResult{
		{Index: survey.IndexSIPAS, Score: 85.54, Rank: n(48), Of: n(63)},
		{Index: survey.IndexPAR, Score: 84.97, Rank: n(51), Of: n(63)},
		{Index: survey.IndexPAPI, Score: 41.23, Rank: n(42), Of: n(60)},
	} {
		r.Agency, r.Year = root, 2021
		s.Official = append(s.Official, r)
	}
	return s
}

// Lift makes the generator build l into its ratings.
func (g *Generator) Lift(l Lift) {
	g.lifts = append(g.lifts, l)
}

// lifted returns the shift of item code in a rating of agency at at.
func (g *Generator) lifted(agency, code string, at time.Time) float64 {
	shift := 0.0
	for _, l := range g.lifts {
		if l.Agency != agency || at.Before(l.From) || !l.To.IsZero() && !at.Before(l.To) {
			continue
		}
		for _, it := range l.Items {
			if it == code {
				shift += l.Shift
			}
		}
	}
	return shift
}
