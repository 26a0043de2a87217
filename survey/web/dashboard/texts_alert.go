package dashboard

// AlertTexts are the texts of the alerts page: what the periodic check
// found in the user's scope, and the form to acknowledge it. The alerts'
// own messages are written in Vietnamese by the check.
type AlertTexts struct {
	// The page, its link in the navigation, its filter and its sections.
	AlTitle, AlNav, AlIntro, AlFilter, AlAgency, AlAgencyHint, AlKind, AlAllKinds, AlShow string
	AlOpen, AlAcked, AlNoneOpen, AlNoneAcked, AlMore                                      string
	// The table's columns and cells.
	AlWhat, AlWhere, AlPeriod, AlFound, AlMessage, AlStatus, AlView, AlViewFmt string
	// The acknowledgement: the button, who and when, the notice.
	AlAck, AlAckedBy, AlAckedMsg, AlNotFound, AlBadKind string
	// The home page's line: how many alerts are open.
	AlHomeOpen string
	// AlKinds names the kinds (survey.Alert*).
	AlKinds map[string]string
}

var alertVI = AlertTexts{
	AlTitle: "Cảnh báo", AlNav: "Cảnh báo",
	AlIntro: "Hệ thống kiểm tra hằng ngày: chỉ số của tháng vừa qua giảm có ý nghĩa thống kê so với ba tháng trước đó (đã hiệu chỉnh cho việc so sánh nhiều đơn vị), " +
		"chỉ tiêu của kế hoạch chưa đạt một cách chắc chắn (cả khoảng tin cậy nằm dưới chỉ tiêu), nhiệm vụ quá hạn, và quầy có tỷ lệ phiếu bị tách riêng cao bất thường. " +
		"Mỗi điều chỉ được cảnh báo một lần cho mỗi kỳ. Xác nhận một cảnh báo là ghi nhận đã xem; việc xác nhận được ghi vào nhật ký.",
	AlFilter: "Lọc", AlAgency: "Đơn vị (mã, gồm cả các đơn vị trực thuộc)", AlAgencyHint: "để trống: tất cả trong phạm vi của Ông/Bà",
	AlKind: "Loại cảnh báo", AlAllKinds: "Tất cả", AlShow: "Xem",
	AlOpen: "Chưa xác nhận", AlAcked: "Đã xác nhận gần đây",
	AlNoneOpen: "Không có cảnh báo nào chưa xác nhận.", AlNoneAcked: "Chưa có cảnh báo nào được xác nhận.",
	AlMore: "Chỉ hiện %d cảnh báo mới nhất; lọc theo đơn vị hoặc loại để xem các cảnh báo khác.",
	AlWhat: "Loại", AlWhere: "Đơn vị", AlPeriod: "Kỳ", AlFound: "Ngày phát hiện", AlMessage: "Nội dung", AlStatus: "Xác nhận",
	AlView: "Xem chi tiết", AlViewFmt: "Xem chi tiết cảnh báo số %d",
	AlAck: "Xác nhận đã xem", AlAckedBy: "%s, ngày %s",
	AlAckedMsg: "Đã xác nhận cảnh báo số %d.", AlNotFound: "Không tìm thấy cảnh báo này trong phạm vi của Ông/Bà.",
	AlBadKind:  "Loại cảnh báo không hợp lệ.",
	AlHomeOpen: "Có %d cảnh báo chưa xác nhận",
	AlKinds: map[string]string{
		"index.drop":       "Chỉ số giảm",
		"target.below":     "Chưa đạt chỉ tiêu",
		"task.overdue":     "Nhiệm vụ quá hạn",
		"counter.setaside": "Quầy có nhiều phiếu bị tách riêng",
	},
}

var alertEN = AlertTexts{
	AlTitle: "Alerts", AlNav: "Alerts",
	AlIntro: "A daily check finds: last month's index significantly below the three months before (adjusted for comparing many units), " +
		"a plan's target missed with confidence (the whole interval below it), overdue tasks, and counters with an unusually high share of set-aside ratings. " +
		"Each thing is alerted once per period. Acknowledging an alert records that it was seen, in the audit log. The alerts' texts are in Vietnamese.",
	AlFilter: "Filter", AlAgency: "Agency (code, with the units beneath it)", AlAgencyHint: "empty: all in your scope",
	AlKind: "Kind", AlAllKinds: "All", AlShow: "Show",
	AlOpen: "Open", AlAcked: "Recently acknowledged",
	AlNoneOpen: "No open alerts.", AlNoneAcked: "No alert has been acknowledged yet.",
	AlMore: "Only the %d newest alerts are shown; filter by agency or kind to see others.",
	AlWhat: "Kind", AlWhere: "Agency", AlPeriod: "Period", AlFound: "Found on", AlMessage: "What was found", AlStatus: "Acknowledged",
	AlView: "Details", AlViewFmt: "Details of alert %d",
	AlAck: "Acknowledge", AlAckedBy: "%s, on %s",
	AlAckedMsg: "Alert %d acknowledged.", AlNotFound: "No such alert in your scope.",
	AlBadKind:  "Unknown kind of alert.",
	AlHomeOpen: "%d open alerts",
	AlKinds: map[string]string{
		"index.drop":       "Index dropped",
		"target.below":     "Target missed",
		"task.overdue":     "Task overdue",
		"counter.setaside": "Counter with many set-aside ratings",
	},
}
