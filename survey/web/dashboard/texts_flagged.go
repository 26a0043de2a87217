package dashboard

// FlaggedTexts are the admins' texts of the review page of flagged
// ratings: what each one is, why it was left out of the indices, and the
// forms to accept it back or reject it. The reasons of the integrity
// signals are the integrity page's (IntegrityTexts.IgReasons).
type FlaggedTexts struct {
	// The page, its link in the navigation and its filter.
	FlTitle, FlNav, FlIntro, FlPrivacy, FlFilter, FlAgency, FlAgencyHint, FlStatus, FlShow string
	FlPending, FlReviewed, FlAll, FlNone, FlNext, FlFirst                                  string
	// The table's columns.
	FlID, FlWhere, FlChannel, FlWhen, FlWhy, FlAnswers, FlComment, FlReview, FlActions string
	FlNoCounter, FlWindow, FlNoComment                                                 string
	// The answers summary: the mean of the 1–5 answers over how many of the
	// items, whether they were all the same, and none.
	FlMeanFmt, FlIdenticalFmt, FlNoAnswers string
	// The review status.
	FlStatusPending, FlAcceptedBy, FlRejectedBy string
	// The forms: the buttons, the note and its limit.
	FlAccept, FlReject, FlNote, FlNoteAccept, FlNoteReject, FlNoteHint string
	// Notices after a review, and the errors.
	FlAcceptedMsg, FlRejectedMsg, FlNotFound, FlAlready, FlNoteLong, FlBadStatus, FlBadBefore string
	// FlFlags names the flags; FlChannels the channels (survey.Channel*).
	FlFlags, FlChannels map[string]string
	// FlHoneypot says why a bot's rating was caught; a rate-limited one
	// has IgReasons["rate_limited"], one set aside its signals' IgReasons.
	FlHoneypot string
}

var flaggedVI = FlaggedTexts{
	FlTitle: "Xem xét phiếu nghi vấn", FlNav: "Phiếu nghi vấn",
	FlIntro: "Các phiếu dưới đây được lưu giữ nhưng không tính vào chỉ số. Chấp nhận một phiếu thì phiếu được tính vào chỉ số từ nay; " +
		"bác thì phiếu tiếp tục nằm ngoài chỉ số. Mỗi quyết định được ghi vào nhật ký cùng tên quản trị viên và ghi chú.",
	FlPrivacy: "Trang này không cho biết ai đã đánh giá và không ghi giờ chính xác của phiếu: chỉ có ngày, và khung thời gian (làm tròn đến 10 phút) với phiếu bị tách riêng theo khung.",
	FlFilter:  "Lọc", FlAgency: "Đơn vị (mã, gồm cả các đơn vị trực thuộc)", FlAgencyHint: "để trống: tất cả",
	FlStatus: "Trạng thái", FlShow: "Xem",
	FlPending: "Đang chờ xem xét", FlReviewed: "Đã xem xét", FlAll: "Tất cả",
	FlNone: "Không có phiếu nào.", FlNext: "Trang sau (các phiếu cũ hơn) ›", FlFirst: "‹ Về trang đầu",
	FlID: "Số phiếu", FlWhere: "Đơn vị / quầy", FlChannel: "Kênh", FlWhen: "Ngày", FlWhy: "Lý do",
	FlAnswers: "Câu trả lời", FlComment: "Góp ý", FlReview: "Trạng thái", FlActions: "Quyết định",
	FlNoCounter: "không ghi quầy", FlWindow: "khung giờ %s", FlNoComment: "–",
	FlMeanFmt: "Điểm TB %s (%d/%d câu có điểm 1–5)", FlIdenticalFmt: "mọi câu đều %d điểm", FlNoAnswers: "không có câu nào có điểm 1–5",
	FlStatusPending: "Đang chờ", FlAcceptedBy: "Đã chấp nhận bởi %s, ngày %s", FlRejectedBy: "Đã bác bởi %s, ngày %s",
	FlAccept: "Chấp nhận (tính vào chỉ số)", FlReject: "Bác (giữ ngoài chỉ số)",
	FlNoteAccept: "Ghi chú khi chấp nhận phiếu %d (không bắt buộc)", FlNoteReject: "Ghi chú khi bác phiếu %d (không bắt buộc)",
	FlNote: "Ghi chú", FlNoteHint: "tối đa %d ký tự",
	FlAcceptedMsg: "Đã chấp nhận phiếu số %d: phiếu được tính vào chỉ số.", FlRejectedMsg: "Đã bác phiếu số %d: phiếu tiếp tục nằm ngoài chỉ số.",
	FlNotFound:  "Không tìm thấy phiếu nghi vấn này: số phiếu sai, hoặc phiếu không bị gắn cờ.",
	FlAlready:   "Phiếu số %d đã được xem xét trước đó, nên không có gì thay đổi.",
	FlNoteLong:  "Ghi chú dài quá %d ký tự, nên chưa có gì thay đổi.",
	FlBadStatus: "Trạng thái phải là đang chờ, đã xem xét hoặc tất cả.", FlBadBefore: "Trang không hợp lệ.",
	FlFlags: map[string]string{
		"honeypot":     "Phiếu tự động (bot)",
		"rate_limited": "Vượt giới hạn đánh giá",
		"integrity":    "Bị tách riêng vì nghi vấn",
	},
	FlChannels: map[string]string{
		"web":     "mã QR của quầy (điện thoại)",
		"kiosk":   "máy tính bảng tại quầy",
		"api":     "phần mềm kết nối (API)",
		"dossier": "mã QR trên phiếu hồ sơ",
	},
	FlHoneypot: "ô ẩn dành để bẫy phần mềm tự động đã bị điền",
}

var flaggedEN = FlaggedTexts{
	FlTitle: "Review flagged ratings", FlNav: "Flagged ratings",
	FlIntro: "The ratings below are kept but left out of the indices. Accepting one counts it in the indices from now on; " +
		"rejecting it keeps it out. Every decision is written to the audit log with the admin's name and note.",
	FlPrivacy: "This page never tells who rated, nor the exact time of a rating: only its date, and the time window (rounded to 10 minutes) of one set aside in a window.",
	FlFilter:  "Filter", FlAgency: "Agency (code, its sub-units included)", FlAgencyHint: "empty: all",
	FlStatus: "Status", FlShow: "Show",
	FlPending: "Awaiting review", FlReviewed: "Reviewed", FlAll: "All",
	FlNone: "No rating.", FlNext: "Next page (older ratings) ›", FlFirst: "‹ First page",
	FlID: "Rating", FlWhere: "Agency / counter", FlChannel: "Channel", FlWhen: "Date", FlWhy: "Why",
	FlAnswers: "Answers", FlComment: "Comment", FlReview: "Status", FlActions: "Decision",
	FlNoCounter: "no counter", FlWindow: "window %s", FlNoComment: "–",
	FlMeanFmt: "Mean %s (%d of %d items rated 1–5)", FlIdenticalFmt: "every item %d", FlNoAnswers: "no item rated 1–5",
	FlStatusPending: "Pending", FlAcceptedBy: "Accepted by %s on %s", FlRejectedBy: "Rejected by %s on %s",
	FlAccept: "Accept (count in the indices)", FlReject: "Reject (keep out of the indices)",
	FlNoteAccept: "Note on accepting rating %d (optional)", FlNoteReject: "Note on rejecting rating %d (optional)",
	FlNote: "Note", FlNoteHint: "at most %d characters",
	FlAcceptedMsg: "Rating %d accepted: it counts in the indices.", FlRejectedMsg: "Rating %d rejected: it stays out of the indices.",
	FlNotFound:  "There is no such flagged rating: a wrong number, or a rating that was never flagged.",
	FlAlready:   "Rating %d was reviewed already, so nothing was changed.",
	FlNoteLong:  "The note is longer than %d characters, so nothing was changed.",
	FlBadStatus: "The status must be pending, reviewed or all.", FlBadBefore: "Invalid page.",
	FlFlags: map[string]string{
		"honeypot":     "Automated (bot) submission",
		"rate_limited": "Over the rating limit",
		"integrity":    "Set aside as suspicious",
	},
	FlChannels: map[string]string{
		"web":     "the counter's QR code (phone)",
		"kiosk":   "the counter's tablet",
		"api":     "connected software (API)",
		"dossier": "the QR code of a dossier's slip",
	},
	FlHoneypot: "the hidden field that traps automated software was filled in",
}
