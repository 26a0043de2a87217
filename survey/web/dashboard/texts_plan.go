package dashboard

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/sipas/sipas/survey"
)

// PlanTexts are the officials' texts of the improvement plans, their
// tasks, the periodic report page, the due tasks of the home page and the
// official yearly results of the agency page.
type PlanTexts struct {
	// Navigation and headings.
	NavPlans, NavReports, PlansTitle, PlansIntro, NoPlans, PlanYear, PlanAgency, PlanTitle string
	PlanTargets, PlanTasks, PlanTasksCount, PlanInstrument, PlanPeriod, PlanNotBegun       string
	NewPlan, CreatePlan, TargetsHelp, TargetsExample, EditPlan, SavePlan, PlansLink        string
	Indicator, Target, TargetStatus, Current, NoTargets, Reports, ReportsIntro             string
	PlanCreated, PlanSaved, TaskCreated, ProgressSaved, OfficialSaved                      string
	// NumbersHidden replaces the targets' indices, and EffectHidden the
	// effect panel's numbers, for a user who may read the plan but not
	// see its agency (or the task's unit).
	NumbersHidden, EffectHidden string
	// Tasks.
	TaskTitle, Responsible, TaskCriteria, CriteriaHelp, Start, Due, Description, NoTasks string
	NewTask, CreateTask, Overdue, TaskStatusH, CountTodo, CountDoing, CountDone          string
	History, When, Who, Note, NoHistory, Progress, SaveProgress, StatusKeep, BackToPlan  string
	ValidCodes, ReportOfPlan                                                             string
	// The effect panel.
	EffectTitle, EffectNotStarted, EffectBefore, EffectAfter, EffectUnit, EffectRest string
	EffectChange, EffectDiff, EffectVerdict, EffectIndexBefore, EffectIndexAfter     string
	EffectExplain, EffectExplainNoRest, EffectLevels                                 string
	// Why there is no comparison group (%s: the plan's agency).
	NoRestSelf, NoRestOutside, NoRestUnitOutside string
	// The home page.
	HomeTitle, HomeOverdue, HomeSoon, HomeOverview, HomePlan string
	// The periodic report page.
	ReportTitle, ReportPeriodLabel, ReportPeriodHelp, ReportShow, ReportXLSX, ReportPrint string
	ReportNotBegun                                                                        string
	// Official yearly results.
	OfficialTitle, OfficialPlatform, OfficialNone, OfficialNew, OfficialIndex, OfficialScore string
	OfficialRank, OfficialOf, OfficialSave, OfficialYear                                     string
	// OfficialNoScore, OfficialNaN (score) and OfficialNotWhole (rank,
	// of: the field's name, what was typed) are the form's own checks.
	OfficialNoScore, OfficialNaN, OfficialNotWhole string
	OfficialFields                                 map[string]string
	// Errors: a form's generic message, a line of targets that does not
	// read, and the domain's messages translated (planRules).
	FormInvalid, TargetLine, NoPlan, NoTask string
	Field                                   map[string]string
}

var planVI = PlanTexts{
	NavPlans: "Kế hoạch", NavReports: "Báo cáo", PlansTitle: "Kế hoạch cải thiện chỉ số",
	PlansIntro: "Mỗi kế hoạch đặt chỉ tiêu cho các chỉ số và giao nhiệm vụ cho từng đơn vị. Trạng thái chỉ tiêu dựa vào khoảng tin cậy: " +
		"“đạt” khi cả khoảng nằm trên chỉ tiêu, “chưa đạt” khi cả khoảng nằm dưới, “chưa xác định” khi chỉ tiêu nằm trong khoảng.",
	NoPlans: "Chưa có kế hoạch nào.", PlanYear: "Năm", PlanAgency: "Đơn vị", PlanTitle: "Tên kế hoạch",
	PlanTargets: "Chỉ tiêu", PlanTasks: "Nhiệm vụ", PlanTasksCount: "Nhiệm vụ theo trạng thái", PlanInstrument: "Bộ câu hỏi",
	PlanPeriod: "Chỉ số tính từ đầu năm kế hoạch đến nay", PlanNotBegun: "Năm của kế hoạch chưa bắt đầu.",
	NewPlan: "Thêm kế hoạch", CreatePlan: "Thêm kế hoạch",
	TargetsHelp:    "Mỗi dòng một chỉ tiêu: mã chỉ số rồi mức chỉ tiêu (%). Mã là “overall” (chỉ số chung), mã yếu tố (TT) hoặc mã tiêu chí (CC3); có thể ghi bộ câu hỏi trước mã, ví dụ “sipas-2017:TT 88”.",
	TargetsExample: "Ví dụ: overall 90 · TT 88 · CC3 92,5",
	EditPlan:       "Sửa kế hoạch", SavePlan: "Lưu kế hoạch", PlansLink: "Tất cả kế hoạch",
	Indicator: "Chỉ số", Target: "Chỉ tiêu", TargetStatus: "Trạng thái", Current: "Hiện tại", NoTargets: "Kế hoạch chưa có chỉ tiêu.",
	Reports: "Báo cáo định kỳ", ReportsIntro: "Báo cáo theo tháng, quý, nửa năm hoặc năm, để in và gửi cấp trên.",
	PlanCreated: "Đã thêm kế hoạch.", PlanSaved: "Đã lưu kế hoạch.", TaskCreated: "Đã thêm nhiệm vụ.",
	ProgressSaved: "Đã ghi tiến độ.", OfficialSaved: "Đã ghi kết quả chính thức.",
	NumbersHidden: "Chỉ số của đơn vị cấp trên không thuộc phạm vi xem của tài khoản này.",
	EffectHidden:  "Chỉ số của đơn vị phụ trách không thuộc phạm vi xem của tài khoản này: trang chỉ ghi kết luận cho từng tiêu chí.",
	TaskTitle:     "Nhiệm vụ", Responsible: "Đơn vị phụ trách", TaskCriteria: "Tiêu chí nhắm tới",
	CriteriaHelp: "Các mã cách nhau bằng dấu phẩy, ví dụ “TT1, TT2”.", Start: "Bắt đầu", Due: "Hạn hoàn thành",
	Description: "Mô tả", NoTasks: "Kế hoạch chưa có nhiệm vụ.", NewTask: "Thêm nhiệm vụ", CreateTask: "Thêm nhiệm vụ",
	Overdue: "quá hạn", TaskStatusH: "Trạng thái", CountTodo: "chưa thực hiện", CountDoing: "đang thực hiện", CountDone: "hoàn thành",
	History: "Tiến độ", When: "Thời điểm", Who: "Người ghi", Note: "Ghi chú", NoHistory: "Chưa có ghi nhận nào.",
	Progress: "Ghi tiến độ", SaveProgress: "Ghi tiến độ", StatusKeep: "giữ nguyên", BackToPlan: "Về kế hoạch",
	ValidCodes: "Các mã hợp lệ", ReportOfPlan: "Báo cáo định kỳ của",
	EffectTitle: "Nhiệm vụ có tác dụng không?", EffectNotStarted: "Nhiệm vụ chưa bắt đầu nên chưa có gì để đo.",
	EffectBefore: "Trước khi bắt đầu", EffectAfter: "Từ khi bắt đầu", EffectUnit: "Đơn vị phụ trách",
	EffectRest: "Các đơn vị còn lại của", EffectChange: "Thay đổi (điểm %)", EffectDiff: "Chênh lệch của hai thay đổi (điểm %)",
	EffectVerdict: "Kết luận", EffectIndexBefore: "Chỉ số trước", EffectIndexAfter: "Chỉ số sau",
	EffectExplain: "Trang này so sánh chỉ số các tiêu chí của nhiệm vụ tại %[1]s trong thời gian từ khi bắt đầu nhiệm vụ (%[2]s) " +
		"với một khoảng thời gian dài bằng ngay trước đó, tối đa 6 tháng (%[3]s), rồi trừ đi thay đổi cùng thời gian ở các đơn vị còn lại của %[4]s. " +
		"Nhờ vậy, một mức tăng chung của cả %[4]s không bị tính là kết quả của riêng nhiệm vụ này. " +
		"Khoảng tin cậy của các chênh lệch là khoảng đồng thời ở mức %[5]s cho %[6]d tiêu chí của nhiệm vụ, nên các kết luận cùng đúng với nhau. " +
		"Chỉ kết luận “cải thiện có ý nghĩa” hoặc “giảm có ý nghĩa” khi cả khoảng nằm trên hoặc dưới 0; khi số phiếu dưới ngưỡng công bố thì “chưa đủ dữ liệu”.",
	EffectExplainNoRest: "Trang này so sánh chỉ số các tiêu chí của nhiệm vụ tại %[1]s trong thời gian từ khi bắt đầu nhiệm vụ (%[2]s) " +
		"với một khoảng thời gian dài bằng ngay trước đó, tối đa 6 tháng (%[3]s). %[4]s: " +
		"một thay đổi chung (mùa vụ, quy định mới) cũng hiện ra ở đây, không hẳn do nhiệm vụ. " +
		"Khoảng tin cậy của các thay đổi là khoảng đồng thời ở mức %[5]s cho %[6]d tiêu chí của nhiệm vụ. " +
		"Chỉ kết luận “cải thiện có ý nghĩa” hoặc “giảm có ý nghĩa” khi cả khoảng nằm trên hoặc dưới 0; khi số phiếu dưới ngưỡng công bố thì “chưa đủ dữ liệu”.",
	EffectLevels: "Chỉ số kèm khoảng tin cậy %s; chênh lệch kèm khoảng đồng thời %s.",
	NoRestSelf:   "Đơn vị phụ trách chính là đơn vị của kế hoạch nên không có nhóm đơn vị còn lại để so sánh",
	NoRestOutside: "Đơn vị phụ trách được sáp nhập từ cả những đơn vị không thuộc %s nên không có nhóm đơn vị còn lại để so sánh " +
		"(phần còn lại của %[1]s thiếu hoặc thừa số liệu của các đơn vị cũ)",
	NoRestUnitOutside: "Đơn vị phụ trách (hoặc đơn vị kế thừa, nếu đã sáp nhập) nay không thuộc %s, nên chỉ số được tính tại chính đơn vị đó và không có nhóm đơn vị còn lại để so sánh",
	HomeTitle:         "Nhiệm vụ cần theo dõi", HomeOverdue: "Quá hạn", HomeSoon: "Đến hạn trong 14 ngày",
	HomeOverview: "Xem tổng quan", HomePlan: "Kế hoạch",
	ReportTitle: "Báo cáo định kỳ", ReportPeriodLabel: "Kỳ báo cáo",
	ReportPeriodHelp: "Năm: 2027 · nửa năm: 2027-H1, 2027-H2 · quý: 2027-Q2 · tháng: 2027-05",
	ReportShow:       "Xem báo cáo", ReportXLSX: "Tải báo cáo Excel (XLSX)",
	ReportPrint:    "In báo cáo: dùng lệnh In của trình duyệt (Ctrl+P); trang in khổ A4, không có thanh điều hướng.",
	ReportNotBegun: "Kỳ báo cáo %s chưa bắt đầu.",
	OfficialTitle:  "Kết quả chính thức", OfficialPlatform: "Chỉ số của nền tảng cùng năm",
	OfficialNone: "Chưa ghi kết quả chính thức nào.", OfficialNew: "Ghi kết quả chính thức", OfficialIndex: "Chỉ số",
	OfficialScore: "Điểm (SIPAS, PAR INDEX: %; PAPI: điểm)", OfficialRank: "Thứ hạng (không bắt buộc)",
	OfficialOf: "Trên tổng số (không bắt buộc)", OfficialSave: "Ghi kết quả", OfficialYear: "Năm",
	OfficialNoScore: "Chưa nhập điểm.", OfficialNaN: "Điểm “%s” không phải là một số (ví dụ 85,54).",
	OfficialNotWhole: "%s “%s” không phải là một số nguyên.",
	OfficialFields:   map[string]string{"rank": "Thứ hạng", "of": "Tổng số đơn vị xếp hạng"},
	FormInvalid:      "Dữ liệu nhập chưa hợp lệ.", TargetLine: "Dòng %d: cần mã chỉ số rồi mức chỉ tiêu, ví dụ “TT 88”.",
	NoPlan: "Không có kế hoạch số %s.", NoTask: "Không có nhiệm vụ số %s trong kế hoạch này.",
	Field: map[string]string{
		"agency": "Đơn vị không hợp lệ.", "year": "Năm phải từ 2000 đến 2100.", "title": "Tên không hợp lệ.",
		"instrument": "Bộ câu hỏi không hợp lệ.", "targets": "Danh sách chỉ tiêu không hợp lệ.",
		"responsible": "Đơn vị phụ trách không hợp lệ.", "start": "Ngày bắt đầu không hợp lệ (cần dạng YYYY-MM-DD).",
		"due": "Hạn hoàn thành không hợp lệ (cần dạng YYYY-MM-DD).", "criteria": "Tiêu chí không hợp lệ.",
		"description": "Mô tả không hợp lệ.", "status": "Trạng thái không hợp lệ.", "note": "Ghi chú không hợp lệ.",
		"index": "Chỉ số phải là SIPAS, PAR INDEX hoặc PAPI.", "score": "Điểm không hợp lệ.",
		"rank": "Thứ hạng không hợp lệ.", "of": "Tổng số đơn vị xếp hạng không hợp lệ.",
		"period": "Kỳ báo cáo không hợp lệ: dùng YYYY (năm), YYYY-H1 hoặc YYYY-H2 (nửa năm), YYYY-Q1 đến YYYY-Q4 (quý) hoặc YYYY-MM (tháng).",
	},
}

var planEN = PlanTexts{
	NavPlans: "Plans", NavReports: "Reports", PlansTitle: "Improvement plans",
	PlansIntro: "Each plan sets targets for indices and gives tasks to units. A target's status follows the confidence interval: " +
		"“met” when the whole interval is above the target, “not met” when it is below, “undetermined” when the target is inside it.",
	NoPlans: "No plans yet.", PlanYear: "Year", PlanAgency: "Agency", PlanTitle: "Plan title",
	PlanTargets: "Targets", PlanTasks: "Tasks", PlanTasksCount: "Tasks by status", PlanInstrument: "Instrument",
	PlanPeriod: "Indices from the start of the plan's year to today", PlanNotBegun: "The plan's year has not begun.",
	NewPlan: "Add a plan", CreatePlan: "Add plan",
	TargetsHelp:    "One target a line: the indicator, then the target (%). The indicator is “overall”, an element code (TT) or a criterion code (CC3); an instrument may come first, e.g. “sipas-2017:TT 88”.",
	TargetsExample: "E.g. overall 90 · TT 88 · CC3 92.5",
	EditPlan:       "Edit the plan", SavePlan: "Save plan", PlansLink: "All plans",
	Indicator: "Indicator", Target: "Target", TargetStatus: "Status", Current: "Current", NoTargets: "The plan has no targets.",
	Reports: "Periodic reports", ReportsIntro: "Reports by month, quarter, half-year or year, to print and send up.",
	PlanCreated: "Plan added.", PlanSaved: "Plan saved.", TaskCreated: "Task added.",
	ProgressSaved: "Progress recorded.", OfficialSaved: "Official result recorded.",
	NumbersHidden: "The indices of the agency above are outside this account's scope.",
	EffectHidden:  "The responsible unit's indices are outside this account's scope: the page gives each criterion's verdict only.",
	TaskTitle:     "Task", Responsible: "Responsible unit", TaskCriteria: "Targeted criteria",
	CriteriaHelp: "Codes separated by commas, e.g. “TT1, TT2”.", Start: "Start", Due: "Due",
	Description: "Description", NoTasks: "The plan has no tasks.", NewTask: "Add a task", CreateTask: "Add task",
	Overdue: "overdue", TaskStatusH: "Status", CountTodo: "to do", CountDoing: "in progress", CountDone: "done",
	History: "Progress", When: "When", Who: "By", Note: "Note", NoHistory: "Nothing recorded yet.",
	Progress: "Record progress", SaveProgress: "Record progress", StatusKeep: "unchanged", BackToPlan: "Back to the plan",
	ValidCodes: "Valid codes", ReportOfPlan: "Periodic report of",
	EffectTitle: "Did the task work?", EffectNotStarted: "The task has not started, so there is nothing to measure yet.",
	EffectBefore: "Before the start", EffectAfter: "Since the start", EffectUnit: "Responsible unit",
	EffectRest: "The other units of", EffectChange: "Change (points)", EffectDiff: "Difference of the two changes (points)",
	EffectVerdict: "Verdict", EffectIndexBefore: "Index before", EffectIndexAfter: "Index after",
	EffectExplain: "This compares the indices of the task's criteria at %[1]s since the task started (%[2]s) with an equally long " +
		"period just before, at most 6 months (%[3]s), and subtracts the change over the same periods at the other units of %[4]s, " +
		"so that a rise across all of %[4]s is not credited to this one task. The intervals of the differences hold simultaneously at %[5]s " +
		"across the task's %[6]d criteria, so the verdicts hold together. A verdict of significant improvement or decline needs the whole interval " +
		"above or below 0; below the reporting threshold it is “not enough data”.",
	EffectExplainNoRest: "This compares the indices of the task's criteria at %[1]s since the task started (%[2]s) with an equally long " +
		"period just before, at most 6 months (%[3]s). %[4]s: " +
		"a general change (season, new rules) shows here too, not necessarily because of the task. The intervals of the changes hold simultaneously " +
		"at %[5]s across the task's %[6]d criteria. A verdict of significant improvement or decline needs the whole interval above or below 0; " +
		"below the reporting threshold it is “not enough data”.",
	EffectLevels: "Indices with %s confidence intervals; differences with %s simultaneous intervals.",
	NoRestSelf:   "The responsible unit is the plan's agency itself, so there are no other units to compare with",
	NoRestOutside: "The responsible unit was merged from units partly outside %s, so there are no other units to compare with " +
		"(the rest of %[1]s would lack or hold the former units' ratings)",
	NoRestUnitOutside: "The responsible unit (or its successor, if it merged) is no longer part of %s, so its indices are its own and there are no other units to compare with",
	HomeTitle:         "Tasks to follow", HomeOverdue: "Overdue", HomeSoon: "Due within 14 days",
	HomeOverview: "Go to the overview", HomePlan: "Plan",
	ReportTitle: "Periodic report", ReportPeriodLabel: "Period",
	ReportPeriodHelp: "Year: 2027 · half-year: 2027-H1, 2027-H2 · quarter: 2027-Q2 · month: 2027-05",
	ReportShow:       "Show report", ReportXLSX: "Download the report (Excel, XLSX)",
	ReportPrint:    "To print, use the browser's Print command (Ctrl+P); the page prints on A4 without navigation.",
	ReportNotBegun: "The period %s has not begun.",
	OfficialTitle:  "Official results", OfficialPlatform: "This platform's index, same year",
	OfficialNone: "No official results recorded.", OfficialNew: "Record an official result", OfficialIndex: "Index",
	OfficialScore: "Score (SIPAS, PAR INDEX: %; PAPI: points)", OfficialRank: "Rank (optional)",
	OfficialOf: "Out of (optional)", OfficialSave: "Record result", OfficialYear: "Year",
	OfficialNoScore: "The score is required.", OfficialNaN: "The score “%s” is not a number (e.g. 85.54).",
	OfficialNotWhole: "The %s “%s” is not a whole number.",
	OfficialFields:   map[string]string{"rank": "rank", "of": "number of units ranked"},
	FormInvalid:      "The input is not valid.", TargetLine: "Line %d: write an indicator then a target, e.g. “TT 88”.",
	NoPlan: "There is no plan %s.", NoTask: "There is no task %s in this plan.",
	Field: map[string]string{
		"agency": "The agency is not valid.", "year": "The year must be between 2000 and 2100.", "title": "The title is not valid.",
		"instrument": "The instrument is not valid.", "targets": "The targets are not valid.",
		"responsible": "The responsible unit is not valid.", "start": "The start date is not valid (YYYY-MM-DD).",
		"due": "The due date is not valid (YYYY-MM-DD).", "criteria": "The criteria are not valid.",
		"description": "The description is not valid.", "status": "The status is not valid.", "note": "The note is not valid.",
		"index": "The index must be SIPAS, PAR INDEX or PAPI.", "score": "The score is not valid.",
		"rank": "The rank is not valid.", "of": "The number of units ranked is not valid.",
		"period": "The period is not valid: use YYYY (year), YYYY-H1 or YYYY-H2 (half-year), YYYY-Q1 to YYYY-Q4 (quarter) or YYYY-MM (month).",
	},
}

// Plan returns the plan texts in t's language.
func (t *Texts) Plan() *PlanTexts {
	if t.lang == "en" {
		return &planEN
	}
	return &planVI
}

// ptr returns the plan texts in lang.
func ptr(lang string) *PlanTexts { return dtr(lang).Plan() }

// planRule translates one of the domain's (English) field messages: re
// matches it, vi and en format its groups (as strings). With line, the
// first group is a target's number, replaced by its line in the form.
type planRule struct {
	field  string
	re     *regexp.Regexp
	vi, en string
	line   bool
}

var planRules = []planRule{
	{"targets", regexp.MustCompile(`^target (\d+): unknown instrument "(.*)"`), "Dòng %s: không có bộ câu hỏi “%s”.", "Line %s: there is no instrument “%s”.", true},
	{"targets", regexp.MustCompile(`^target (\d+): "(.*)" is not "overall", an element or a criterion of (\S+)`),
		"Dòng %s: “%s” không phải là “overall”, mã yếu tố hay mã tiêu chí của bộ câu hỏi %s.", "Line %s: “%s” is not “overall”, an element or a criterion of %s.", true},
	{"targets", regexp.MustCompile(`^target (\d+): the target must be between 0 and 100`), "Dòng %s: mức chỉ tiêu phải từ 0 đến 100 (%%).", "Line %s: the target must be between 0 and 100 (%%).", true},
	{"targets", regexp.MustCompile(`^target (\d+): (\S+) of (\S+) is targeted twice`), "Dòng %s: chỉ tiêu %s (%s) được đặt hai lần.", "Line %s: %s (%s) is targeted twice.", true},
	{"targets", regexp.MustCompile(`^at most (\d+) targets`), "Tối đa %s chỉ tiêu.", "At most %s targets.", false},
	{"agency", regexp.MustCompile(`is required`), "Chọn đơn vị.", "Choose an agency.", false},
	{"agency", regexp.MustCompile(`^agency (\S+) is closed`), "Đơn vị %s đã ngừng hoạt động: không lập kế hoạch cho đơn vị này.",
		"Agency %s is closed: it cannot have a plan.", false},
	{"instrument", regexp.MustCompile(`^unknown instrument "(.*)"`), "Không có bộ câu hỏi “%s”.", "There is no instrument “%s”.", false},
	{"", regexp.MustCompile(`^(title|description|note) is required`), "Chưa nhập %s.", "The %s is required.", false},
	{"", regexp.MustCompile(`^(title|description|note) is longer than (\d+) characters`), "%s dài quá %s ký tự.", "The %s is longer than %s characters.", false},
	{"responsible", regexp.MustCompile(`is required`), "Chọn đơn vị phụ trách.", "Choose the responsible unit.", false},
	{"responsible", regexp.MustCompile(`^agency (\S+) is not (\S+) or beneath it`),
		"Đơn vị %s không phải là %s hay một đơn vị trực thuộc: nhiệm vụ của kế hoạch chỉ giao cho các đơn vị trong phạm vi đó.",
		"Agency %s is not %s or beneath it: a plan's tasks go to units within it.", false},
	{"responsible", regexp.MustCompile(`^agency (\S+) is closed`), "Đơn vị %s đã ngừng hoạt động.", "Agency %s is closed.", false},
	{"due", regexp.MustCompile(`^due \((.*)\) is before start \((.*)\)`), "Hạn hoàn thành (%s) trước ngày bắt đầu (%s).", "The due date (%s) is before the start (%s).", false},
	{"criteria", regexp.MustCompile(`at least one criterion`), "Ghi ít nhất một tiêu chí mà nhiệm vụ nhằm cải thiện.", "Give at least one criterion the task is meant to improve.", false},
	{"criteria", regexp.MustCompile(`^at most (\d+) criteria`), "Tối đa %s tiêu chí.", "At most %s criteria.", false},
	{"criteria", regexp.MustCompile(`^"(.*)" is not "overall", an element or a criterion of (\S+)`),
		"“%s” không phải là “overall”, mã yếu tố hay mã tiêu chí của bộ câu hỏi %s.", "“%s” is not “overall”, an element or a criterion of %s.", false},
	{"status", regexp.MustCompile(`give a status or a note`), "Chọn trạng thái mới hoặc ghi chú.", "Give a status or a note.", false},
	{"score", regexp.MustCompile(`^score must be between 0 and (\S+) for (.+)$`), "Điểm của %[2]s phải từ 0 đến %[1]s.", "The score of %[2]s must be between 0 and %[1]s.", false},
	{"rank", regexp.MustCompile(`^rank must be 1 or more`), "Thứ hạng phải từ 1 trở lên.", "The rank must be 1 or more.", false},
	{"rank", regexp.MustCompile(`^of is given without a rank`), "Có tổng số đơn vị thì cần ghi cả thứ hạng.", "Give the rank with the number of units.", false},
	{"rank", regexp.MustCompile(`^rank (\d+) is beyond of \((\d+)\)`), "Thứ hạng %s lớn hơn tổng số %s.", "Rank %s is beyond the number of units (%s).", false},
	{"of", regexp.MustCompile(`^of must be 1 or more`), "Tổng số đơn vị phải từ 1 trở lên.", "The number of units must be 1 or more.", false},
}

// agencyNotFound is the store's message for an unknown agency code.
var agencyNotFound = regexp.MustCompile(`^agency "(.*)" not found`)

// fieldNames are the form's names of the fields the domain names in its
// messages.
// fieldNames are lower-case, as inside a sentence; planError capitalizes
// a message's first letter.
var fieldNames = map[string][2]string{
	"title": {"tên", "title"}, "description": {"mô tả", "description"}, "note": {"ghi chú", "note"},
}

// planError is the message a plan, task, progress, official-result or
// period form shows for err in lang: the domain's field error translated,
// with a target's number replaced by its line in the form (lines[i] is the
// line of target i+1). Errors that are not the domain's get the generic
// message.
func planError(err error, lang string, lines []int) string {
	t := ptr(lang)
	var fm formMessage
	if errors.As(err, &fm) {
		return string(fm)
	}
	var e *survey.Error
	if !errors.As(err, &e) {
		return t.FormInvalid
	}
	for field := range e.Fields {
		for _, r := range planRules {
			if r.field != "" && r.field != field {
				continue
			}
			m := r.re.FindStringSubmatch(e.Message)
			if m == nil {
				continue
			}
			args := make([]any, 0, len(m)-1)
			for i, g := range m[1:] {
				if i == 0 && r.line {
					if n, err := strconv.Atoi(g); err == nil && n >= 1 && n <= len(lines) {
						g = strconv.Itoa(lines[n-1])
					}
				}
				if names, ok := fieldNames[g]; ok && i == 0 && r.field == "" {
					g = names[0]
					if lang == "en" {
						g = names[1]
					}
				}
				args = append(args, g)
			}
			if lang == "en" {
				return capitalize(fmt.Sprintf(r.en, args...))
			}
			return capitalize(fmt.Sprintf(r.vi, args...))
		}
		if msg, ok := t.Field[field]; ok {
			return msg
		}
	}
	if m := agencyNotFound.FindStringSubmatch(e.Message); e.Code == survey.ENOTFOUND && m != nil {
		return fmt.Sprintf(dtr(lang).NoAgency, m[1])
	}
	return t.FormInvalid
}

// capitalize upper-cases the first letter of a message ("tên dài quá…"
// → "Tên dài quá…").
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
