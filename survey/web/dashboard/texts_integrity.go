package dashboard

// IntegrityTexts are the officials' texts of the integrity page: what was
// set aside at each counter and why, and the opening hours the signals are
// judged against.
type IntegrityTexts struct {
	// The page, its link from elsewhere, and the one sentence on what
	// "set aside" means.
	IntegrityTitle, IntegrityLink, SetAsideMeans, IntegrityPrivacy, ReviewLink, BackToAgency string
	// A counter's counts and indices.
	IgCounted, IgSetAside, IgAccepted, IgBots, IgByReason, IgNoneSetAside    string
	IgIndexKind, IgIndexWith, IgIndexWithout, IgIndexNote, IgInstrument      string
	IgNoCounters                                                             string
	IgWindows, IgNoWindows, IgWindowDate, IgWindowSpan, IgWindowReasons      string
	IgWindowRatings, IgObservedExpected, IgObservedFmt, IgChannels, IgChNote string
	// Reasons: the integrity signals and the rate limit, by key.
	IgReasons map[string]string
	// Opening hours and holidays.
	IgHours, IgHoursOwn, IgHoursInherited, IgHoursDefault, IgHoursClosed, IgHoursNote string
	IgHolidays, IgDays                                                                string
	IgWeekdays                                                                        [7]string // by time.Weekday
}

var integrityVI = IntegrityTexts{
	IntegrityTitle: "Phiếu bị tách riêng", IntegrityLink: "Phiếu bị tách riêng và lý do",
	SetAsideMeans: "Phiếu bị tách riêng vẫn được lưu giữ, không bị xóa, nhưng không được tính vào các chỉ số; " +
		"quản trị viên có thể xem xét từng phiếu và chấp nhận để tính lại.",
	IntegrityPrivacy: "Trang này không cho biết ai đã đánh giá và không ghi giờ chính xác của từng phiếu: " +
		"chỉ có các khung thời gian, làm tròn đến 10 phút.",
	ReviewLink:   "Xem xét các phiếu đang chờ của đơn vị",
	BackToAgency: "Về trang của đơn vị",
	IgCounted:    "Số phiếu được tính", IgSetAside: "Số phiếu bị tách riêng", IgAccepted: "Trong đó đã được chấp nhận tính lại",
	IgBots: "Phiếu tự động (bot) bị chặn, không tính", IgByReason: "Lý do tách riêng", IgNoneSetAside: "Không có phiếu nào bị tách riêng trong kỳ.",
	IgIndexKind: "Cách tính", IgIndexWith: "Chỉ số nếu tính cả phiếu bị tách riêng", IgIndexWithout: "Chỉ số công bố (không tính phiếu bị tách riêng)",
	IgIndexNote:  "Mỗi chỉ số có khoảng tin cậy và số phiếu (n); dưới ngưỡng công bố hiện “chưa đủ dữ liệu”.",
	IgInstrument: "Bộ câu hỏi", IgNoCounters: "Đơn vị này không có quầy nào có phiếu trong kỳ.",
	IgWindows: "Các khung thời gian có phiếu bị tách riêng", IgNoWindows: "Không có khung thời gian nào.",
	IgWindowDate: "Ngày", IgWindowSpan: "Khung giờ", IgWindowReasons: "Lý do", IgWindowRatings: "Số phiếu bị tách riêng",
	IgObservedExpected: "Quan sát / dự kiến", IgObservedFmt: "%s phiếu / %s phiếu dự kiến",
	IgChannels: "Đánh giá theo hồ sơ và qua mã QR mở hoặc máy tính bảng",
	IgChNote:   "Chênh lệch này chỉ để tham khảo: không phiếu nào bị tách riêng chỉ vì nó.",
	IgReasons: map[string]string{
		"burst":        "nhiều phiếu dồn dập trong thời gian ngắn, hơn hẳn mức thường thấy của quầy",
		"device":       "nhiều phiếu từ cùng một thiết bị",
		"repetition":   "các phiếu có câu trả lời giống hệt nhau lặp lại nhiều lần",
		"off_hours":    "gửi ngoài giờ làm việc",
		"multi":        "cùng một thiết bị đánh giá nhiều quầy trong một giờ",
		"rate_limited": "vượt giới hạn số lần đánh giá từ một thiết bị",
	},
	IgHours: "Giờ làm việc", IgHoursOwn: "Đặt riêng cho đơn vị này.", IgHoursInherited: "Theo giờ làm việc của đơn vị cấp trên %s.",
	IgHoursDefault: "Giờ mặc định: thứ Hai đến thứ Sáu, 07:00–11:30 và 13:30–17:00 (giờ Việt Nam).",
	IgHoursClosed:  "nghỉ",
	IgHoursNote:    "Quản trị viên đặt giờ làm việc qua API: PUT /api/v1/agencies/%s/hours.",
	IgHolidays:     "Ngày nghỉ lễ đã khai báo", IgDays: "%d ngày",
	IgWeekdays: [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"},
}

var integrityEN = IntegrityTexts{
	IntegrityTitle: "Ratings set aside", IntegrityLink: "Ratings set aside, and why",
	SetAsideMeans:    "A rating set aside is kept, not deleted, but left out of the indices; an admin can review it and accept it back.",
	IntegrityPrivacy: "This page never tells who rated, nor the exact time of any rating: only time windows, rounded to 10 minutes.",
	ReviewLink:       "Review the agency's pending ratings",
	BackToAgency:     "Back to the agency's page",
	IgCounted:        "Ratings counted", IgSetAside: "Ratings set aside", IgAccepted: "Of which accepted back",
	IgBots: "Automated (bot) submissions caught, not counted", IgByReason: "Why they were set aside", IgNoneSetAside: "No rating was set aside in this period.",
	IgIndexKind: "Computed", IgIndexWith: "Index with the ratings set aside", IgIndexWithout: "Published index (without them)",
	IgIndexNote:  "Every index comes with its confidence interval and n; below the reporting threshold it shows “not enough data”.",
	IgInstrument: "Instrument", IgNoCounters: "This agency has no counter with ratings in this period.",
	IgWindows: "Time windows with ratings set aside", IgNoWindows: "No time window.",
	IgWindowDate: "Date", IgWindowSpan: "Time", IgWindowReasons: "Reasons", IgWindowRatings: "Ratings set aside",
	IgObservedExpected: "Observed / expected", IgObservedFmt: "%s ratings / %s expected",
	IgChannels: "Dossier-bound and open-QR or tablet ratings",
	IgChNote:   "This difference is shown for information only: no rating is set aside because of it.",
	IgReasons: map[string]string{
		"burst":        "many ratings in a short time, far more than usual at this counter",
		"device":       "many ratings from one device",
		"repetition":   "identical answers repeated many times",
		"off_hours":    "sent outside opening hours",
		"multi":        "one device rating several counters within an hour",
		"rate_limited": "over the rating limit of one device",
	},
	IgHours: "Opening hours", IgHoursOwn: "Set for this agency.", IgHoursInherited: "Those of the parent agency %s.",
	IgHoursDefault: "The default: Monday to Friday, 07:00–11:30 and 13:30–17:00 (Vietnam time).",
	IgHoursClosed:  "closed",
	IgHoursNote:    "Admins set the opening hours through the API: PUT /api/v1/agencies/%s/hours.",
	IgHolidays:     "Public holidays listed", IgDays: "%d days",
	IgWeekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}
