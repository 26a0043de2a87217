package document

// texts are the words of a report in one language. The labels of target
// statuses, task statuses and effect verdicts come from package report.
type texts struct {
	Title, Agency, Period, Dates, AsOf, Instrument, Level, Weighting string
	WeightVolume, WeightRespondents                                  string

	S1, S2, S3, S4, S5, S6 string

	Indicator, Overall, Index, CI, N, Note, Code, Criterion, Unit string

	Respondents, SetAside, SetAsideNote, Dossiers, ResponseRate, OnTime             string
	ScoresTable, ChartElements, ChartCIDesc, ChartTrend, ChartTrendDesc, TrendTable string
	Month, Caution, Wide                                                            string

	Prior, YearBefore, Then, Now, Change, PAdj, Verdict      string
	Higher, Lower, NoDiff, NotComparable, ChangeNote, CINote string
	AdjustHolm, AdjustBH                                     string

	Children, NoChildren, VsRest, Rank, RankOf, RanksPending, ClosedMark, ChildrenNote string

	Weakest, NoWeakest, WeakestNote string

	NoPlans, PlanOf, Targets, Target, Current, Status, NoTargets                       string
	Tasks, Total, Overdue, ByUnit, OverdueList, NoOverdue, Task, Due, Start            string
	Effects, EffectNote, Before, After, Rest, DiffOfDiffs, DiffCI, NotStarted, NoTasks string
	EffectPeriods, SimLevel, NoRest, TaskCriterion                                     string
	// NoRestOutside is NoRest for a unit merged from units partly outside
	// the plan's agency, NoRestUnit for a unit (or its successor) no
	// longer in it.
	NoRestOutside, NoRestUnit                                                         string
	Official, NoOfficial, OfficialResult, Platform, PlatformTo, PlatformNone, Yes, No string

	Sheets                                                                                                      sheetNames
	XKind, XPeriodCode, XFrom, XTo, XLow, XHigh, XP, XRankLow, XRankHigh                                        string
	XYear, XRestBefore, XRestAfter, XUnitBefore, XUnitAfter, XScore, XText, XClosed, XOrder, XRank, XOf         string
	XPlanID, XPlanTitle, XAgencyCode, XIndicatorCode, XTarget, XTaskID, XUnitCode, XUnitName, XTaskCriteria     string
	XBeforeFrom, XBeforeTo, XAfterFrom, XAfterTo, XComparison, XNoComparison, XCriterionCode, XDiff, XDiffLevel string
	XChange, XPoints, XOfficialIndex                                                                            string
}

// sheetNames are the XLSX sheets, at most 31 characters each.
type sheetNames struct {
	Summary, Trend, Changes, Children, Weakest, Targets, Tasks, ByUnit, Official string
}

// textsFor returns the texts of lang ("en", anything else Vietnamese),
// built afresh: there is no package-level state to share or to change.
func textsFor(lang string) *texts {
	if lang == "en" {
		return enTexts()
	}
	return viTexts()
}

func viTexts() *texts {
	return &texts{
		Title: "Báo cáo định kỳ về sự hài lòng của người dân", Agency: "Cơ quan", Period: "Kỳ báo cáo", Dates: "Thời gian",
		AsOf: "số liệu đến ngày", Instrument: "Bộ công cụ", Level: "Mức tin cậy", Weighting: "Cách gộp",
		WeightVolume: "theo số hồ sơ của từng đơn vị", WeightRespondents: "theo số người trả lời",
		S1: "1. Kết quả chung", S2: "2. So sánh", S3: "3. Đơn vị trực thuộc", S4: "4. Năm tiêu chí thấp nhất",
		S5: "5. Kế hoạch cải thiện", S6: "6. Kết quả chính thức",
		Indicator: "Chỉ tiêu", Overall: "Chỉ số chung", Index: "Chỉ số", CI: "Khoảng tin cậy", N: "n", Note: "Ghi chú",
		Code: "Mã", Criterion: "Tiêu chí", Unit: "Đơn vị",
		Respondents: "Số người trả lời", SetAside: "Phiếu tách riêng",
		SetAsideNote: "không tính vào chỉ số: bị gắn cờ hoặc không được chấp nhận khi rà soát",
		Dossiers:     "Số hồ sơ trong kỳ", ResponseRate: "Tỉ lệ phản hồi", OnTime: "Tỉ lệ hồ sơ trả đúng hạn",
		ScoresTable: "Chỉ số chung và chỉ số các yếu tố", ChartElements: "Chỉ số các yếu tố và khoảng tin cậy",
		ChartCIDesc: "Mỗi chấm là chỉ số, đoạn ngang là khoảng tin cậy trên thang 0–100%.",
		ChartTrend:  "Chỉ số chung 12 tháng", ChartTrendDesc: "Đường là chỉ số chung theo tháng, dải là khoảng tin cậy; tháng chưa đủ dữ liệu bị bỏ trống.",
		TrendTable: "Chỉ số chung theo tháng", Month: "Tháng", Caution: "n nhỏ, cần thận trọng", Wide: "khoảng tin cậy rộng",
		Prior: "So với kỳ trước", YearBefore: "So với cùng kỳ năm trước", Then: "Kỳ so sánh", Now: "Kỳ này",
		Change: "Thay đổi (điểm %)", PAdj: "p hiệu chỉnh", Verdict: "Kết luận",
		Higher: "cao hơn có ý nghĩa", Lower: "thấp hơn có ý nghĩa", NoDiff: "chưa thấy khác biệt có ý nghĩa",
		NotComparable: "kỳ so sánh không gộp theo số hồ sơ được như kỳ này",
		ChangeNote:    "Kết luận dựa trên giá trị p đã hiệu chỉnh đa so sánh theo phương pháp %s cho %d so sánh của mục này.",
		CINote:        "Khoảng tin cậy của từng thay đổi chưa hiệu chỉnh, nên có thể không chứa 0 mà kết luận vẫn là chưa thấy khác biệt.",
		AdjustHolm:    "Holm", AdjustBH: "Benjamini–Hochberg (BH)",
		Children: "Các đơn vị trực thuộc", NoChildren: "Cơ quan này không có đơn vị trực thuộc.",
		VsRest: "So với các đơn vị còn lại", Rank: "Khoảng xếp hạng", RankOf: "trên", RanksPending: "Khoảng xếp hạng đang được tính; hãy tạo lại báo cáo sau ít phút.",
		ClosedMark:   "(đã đóng)",
		ChildrenNote: "Mỗi đơn vị được so với phần còn lại của %s (không gồm chính đơn vị đó), hiệu chỉnh đa so sánh theo phương pháp %s. Khoảng xếp hạng cho biết các thứ hạng phù hợp với số liệu.",
		Weakest:      "Các tiêu chí có chỉ số thấp nhất", NoWeakest: "Chưa có tiêu chí nào đủ dữ liệu để báo cáo.",
		WeakestNote: "Các tiêu chí có khoảng tin cậy chồng lên nhau thì chưa phân biệt được với nhau: thứ tự giữa chúng có thể chỉ do ngẫu nhiên.",
		NoPlans:     "Chưa có kế hoạch cải thiện nào của cơ quan và các đơn vị trực thuộc cho năm này.",
		PlanOf:      "Kế hoạch của", Targets: "Mục tiêu", Target: "Mục tiêu", Current: "Hiện tại", Status: "Trạng thái",
		NoTargets: "Kế hoạch không đặt mục tiêu nào.",
		Tasks:     "Nhiệm vụ theo trạng thái", Total: "Tổng số", Overdue: "Quá hạn", ByUnit: "Nhiệm vụ theo đơn vị chủ trì",
		OverdueList: "Nhiệm vụ quá hạn", NoOverdue: "Không có nhiệm vụ quá hạn.", Task: "Nhiệm vụ", Due: "Hạn", Start: "Bắt đầu",
		Effects: "Tác động của nhiệm vụ đến các tiêu chí",
		EffectNote: "Với mỗi tiêu chí: chỉ số tại đơn vị chủ trì trước và sau ngày bắt đầu, cùng mức thay đổi ở phần còn lại của cơ quan lập kế hoạch " +
			"trong cùng hai khoảng thời gian; kết luận dựa trên khoảng tin cậy của hiệu hai mức thay đổi (khác biệt kép), " +
			"để mức tăng chung không bị tính cho một nhiệm vụ. Mỗi chỉ số kèm khoảng tin cậy và n; khoảng tin cậy của khác biệt kép " +
			"ở cùng mức tin cậy của báo cáo, trừ khi nhiệm vụ ghi là khoảng tin cậy đồng thời.",
		Before: "Trước", After: "Sau", Rest: "Phần còn lại", DiffOfDiffs: "Khác biệt kép (điểm %)",
		DiffCI: "Khác biệt kép (điểm %) và khoảng tin cậy", TaskCriterion: "Nhiệm vụ / tiêu chí",
		NotStarted: "chưa bắt đầu", NoTasks: "Kế hoạch chưa có nhiệm vụ nào.",
		EffectPeriods: "Trước: %s; sau: %s.",
		SimLevel:      "Khoảng tin cậy của các khác biệt là khoảng tin cậy đồng thời %s cho %d tiêu chí (Bonferroni), để các kết luận cùng đúng.",
		NoRestOutside: "Đơn vị chủ trì được sáp nhập từ cả những đơn vị ngoài cơ quan lập kế hoạch nên không có nhóm so sánh: khác biệt là thay đổi của riêng đơn vị, " +
			"chưa loại trừ xu hướng chung của toàn tỉnh.",
		NoRestUnit: "Đơn vị chủ trì (hoặc đơn vị kế thừa, nếu đã sáp nhập) nay không thuộc cơ quan lập kế hoạch: chỉ số được tính tại chính đơn vị đó, không có nhóm so sánh, " +
			"chưa loại trừ xu hướng chung của toàn tỉnh.",
		NoRest: "Đơn vị chủ trì là chính cơ quan lập kế hoạch nên không có nhóm so sánh: khác biệt là thay đổi của riêng đơn vị, " +
			"chưa loại trừ xu hướng chung của toàn tỉnh.",
		Official: "Kết quả các chỉ số chính thức", NoOfficial: "Chưa ghi nhận kết quả chính thức nào của cơ quan.",
		OfficialResult: "Kết quả chính thức", Platform: "Chỉ số chung của nền tảng cùng năm", PlatformTo: "đến",
		PlatformNone: "năm chưa bắt đầu", Yes: "có", No: "không",
		Sheets: sheetNames{Summary: "Tổng hợp", Trend: "Xu hướng 12 tháng", Changes: "So sánh", Children: "Đơn vị trực thuộc",
			Weakest: "Tiêu chí thấp nhất", Targets: "Mục tiêu", Tasks: "Nhiệm vụ", ByUnit: "Nhiệm vụ theo đơn vị", Official: "Kết quả chính thức"},
		XKind: "So với", XPeriodCode: "Mã kỳ", XFrom: "Từ ngày", XTo: "Đến ngày", XLow: "KTC dưới", XHigh: "KTC trên", XP: "p",
		XRankLow: "Hạng cao nhất", XRankHigh: "Hạng thấp nhất", XYear: "Năm",
		XUnitBefore: "Đơn vị chủ trì, trước", XUnitAfter: "Đơn vị chủ trì, sau", XRestBefore: "Phần còn lại, trước", XRestAfter: "Phần còn lại, sau",
		XPlanID: "Số kế hoạch", XPlanTitle: "Tên kế hoạch", XAgencyCode: "Mã cơ quan", XIndicatorCode: "Mã chỉ tiêu",
		XTarget: "Mục tiêu (%)", XTaskID: "Số nhiệm vụ", XUnitCode: "Mã đơn vị chủ trì", XUnitName: "Đơn vị chủ trì",
		XTaskCriteria: "Các tiêu chí của nhiệm vụ", XBeforeFrom: "Trước: từ ngày", XBeforeTo: "Trước: đến ngày",
		XAfterFrom: "Sau: từ ngày", XAfterTo: "Sau: đến ngày", XComparison: "Nhóm so sánh",
		XNoComparison: "không có (đơn vị chủ trì là cơ quan lập kế hoạch)", XCriterionCode: "Mã tiêu chí",
		XDiff: "Khác biệt kép", XDiffLevel: "Mức tin cậy của khoảng khác biệt kép", XChange: "Thay đổi", XPoints: "(điểm %)",
		XOfficialIndex: "Chỉ số chính thức",
		XScore:         "Điểm", XText: "Kết quả", XClosed: "Đã đóng", XOrder: "Thứ tự", XRank: "Hạng", XOf: "Trên tổng số",
	}
}

func enTexts() *texts {
	return &texts{
		Title: "Periodic report on citizen satisfaction", Agency: "Agency", Period: "Period", Dates: "Dates",
		AsOf: "data up to", Instrument: "Instrument", Level: "Confidence level", Weighting: "Weighting",
		WeightVolume: "by each unit's dossier volume", WeightRespondents: "by respondents",
		S1: "1. Overall results", S2: "2. Comparisons", S3: "3. Units beneath", S4: "4. The five weakest criteria",
		S5: "5. Improvement plans", S6: "6. Official results",
		Indicator: "Indicator", Overall: "Overall index", Index: "Index", CI: "Confidence interval", N: "n", Note: "Note",
		Code: "Code", Criterion: "Criterion", Unit: "Unit",
		Respondents: "Respondents", SetAside: "Ratings set aside",
		SetAsideNote: "left out of every index: flagged, or not accepted on review",
		Dossiers:     "Dossiers in the period", ResponseRate: "Response rate", OnTime: "Dossiers returned on time",
		ScoresTable: "The overall and element indices", ChartElements: "Element indices with their confidence intervals",
		ChartCIDesc: "Each dot is an index, each bar its confidence interval, on a 0–100% scale.",
		ChartTrend:  "Overall index over 12 months", ChartTrendDesc: "The line is the monthly overall index, the band its confidence interval; months without enough data are left out.",
		TrendTable: "Overall index by month", Month: "Month", Caution: "small n, read with care", Wide: "wide interval",
		Prior: "Against the previous period", YearBefore: "Against the same period a year before", Then: "Then", Now: "Now",
		Change: "Change (points)", PAdj: "adjusted p", Verdict: "Verdict",
		Higher: "significantly higher", Lower: "significantly lower", NoDiff: "no significant difference yet",
		NotComparable: "the other period cannot be weighted by dossier volume as this one is",
		ChangeNote:    "Verdicts use p-values adjusted for multiple comparisons by the %s method over the %d comparisons of this section.",
		CINote:        "The interval of each change is not adjusted, so it may exclude 0 while the verdict is still no significant difference.",
		AdjustHolm:    "Holm", AdjustBH: "Benjamini–Hochberg (BH)",
		Children: "Units beneath the agency", NoChildren: "This agency has no units beneath it.",
		VsRest: "Against the other units", Rank: "Rank interval", RankOf: "of", RanksPending: "Rank intervals are still being computed; make the report again in a few minutes.",
		ClosedMark:   "(closed)",
		ChildrenNote: "Each unit is compared with the rest of %s (without the unit itself), adjusted for multiple comparisons by the %s method. A rank interval gives the ranks the data are consistent with.",
		Weakest:      "The criteria with the lowest indices", NoWeakest: "No criterion has enough data to be reported.",
		WeakestNote: "Criteria whose confidence intervals overlap are not told apart: their order may be chance.",
		NoPlans:     "No improvement plan of the agency or the units beneath it for this year.",
		PlanOf:      "Plan of", Targets: "Targets", Target: "Target", Current: "Current", Status: "Status",
		NoTargets: "The plan sets no targets.",
		Tasks:     "Tasks by status", Total: "Total", Overdue: "Overdue", ByUnit: "Tasks by responsible unit",
		OverdueList: "Overdue tasks", NoOverdue: "No task is overdue.", Task: "Task", Due: "Due", Start: "Start",
		Effects: "Effect of the tasks on their criteria",
		EffectNote: "For each criterion: the index at the responsible unit before and after the task's start, and the change at the rest of the plan's agency " +
			"over the same two periods; the verdict is that of the interval of the difference of the two changes (difference in differences), " +
			"so that a general rise is not credited to one task. Every index carries its confidence interval and n; the interval of the " +
			"difference in differences is at the report's confidence level unless the task says it is simultaneous.",
		Before: "Before", After: "After", Rest: "Rest", DiffOfDiffs: "Difference in differences (points)",
		DiffCI: "Difference in differences (points) and confidence interval", TaskCriterion: "Task / criterion",
		NotStarted: "not started", NoTasks: "The plan has no tasks yet.",
		EffectPeriods: "Before: %s; after: %s.",
		SimLevel:      "The differences' intervals are simultaneous %s confidence intervals for %d criteria (Bonferroni), so that the verdicts hold together.",
		NoRestOutside: "The responsible unit was merged from units partly outside the plan's agency, so there is no comparison group: " +
			"the difference is the unit's own change, not corrected for a province-wide trend.",
		NoRestUnit: "The responsible unit (or its successor, if it merged) is no longer part of the plan's agency: its indices are its own, with no comparison group, " +
			"not corrected for a province-wide trend.",
		NoRest: "The responsible unit is the plan's agency itself, so there is no comparison group: the difference is the unit's own change, " +
			"not corrected for a province-wide trend.",
		Official: "Official index results", NoOfficial: "No official result is recorded for the agency.",
		OfficialResult: "Official result", Platform: "The platform's overall index, same year", PlatformTo: "up to",
		PlatformNone: "year not begun", Yes: "yes", No: "no",
		Sheets: sheetNames{Summary: "Summary", Trend: "Trend 12 months", Changes: "Comparisons", Children: "Units beneath",
			Weakest: "Weakest criteria", Targets: "Targets", Tasks: "Tasks", ByUnit: "Tasks by unit", Official: "Official results"},
		XKind: "Against", XPeriodCode: "Period code", XFrom: "From", XTo: "To", XLow: "CI low", XHigh: "CI high", XP: "p",
		XRankLow: "Best rank", XRankHigh: "Worst rank", XYear: "Year",
		XUnitBefore: "Unit, before", XUnitAfter: "Unit, after", XRestBefore: "Rest, before", XRestAfter: "Rest, after",
		XPlanID: "Plan id", XPlanTitle: "Plan title", XAgencyCode: "Agency code", XIndicatorCode: "Indicator code",
		XTarget: "Target (%)", XTaskID: "Task id", XUnitCode: "Responsible unit code", XUnitName: "Responsible unit",
		XTaskCriteria: "Task's criteria", XBeforeFrom: "Before: from", XBeforeTo: "Before: to",
		XAfterFrom: "After: from", XAfterTo: "After: to", XComparison: "Comparison group",
		XNoComparison: "none (the responsible unit is the plan's agency)", XCriterionCode: "Criterion code",
		XDiff: "Difference in differences", XDiffLevel: "Level of the difference intervals", XChange: "Change", XPoints: "(points)",
		XOfficialIndex: "Official index",
		XScore:         "Score", XText: "Result", XClosed: "Closed", XOrder: "Order", XRank: "Rank", XOf: "Of",
	}
}
