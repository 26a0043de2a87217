package citizen

import "github.com/sipas/sipas/survey"

// texts are the fixed strings of the citizen's pages, one table per
// language.
type texts struct {
	Switch, FixTitle, Send, Comment, Optional, Privacy, QuickNote string
	ThanksTitle, ThanksBody, Again, KioskAgain                    string
	MoreIntro, MoreSend                                           string
	GoneTitle, GoneBody, InvalidTitle, InvalidBody                string
	// GoneDossier replaces GoneBody for a dossier's slip, whose code
	// is not reprinted: its counter or agency has closed since.
	GoneDossier                                                 string
	NotFoundTitle, NotFoundBody, BadFormTitle, BadForm, Missing string
	BusyTitle, BusyBody, TooLarge, BadEncoding                  string
	// ChooseLevel(OrNA) is the message of an unanswered item in English;
	// in Vietnamese it is the one package survey's validation gives.
	ChooseLevel, ChooseLevelOrNA string
	RateTitle, RateBody          string
	// Conflict is shown above a form whose id was already sent with other
	// answers: the answers are kept, to be sent as a new rating.
	Conflict string
	// RatedTitle and Rated answer a dossier's URL once the dossier has
	// its rating (HTTP 409); the Vietnamese is survey.MsgDossierRated.
	RatedTitle, Rated string
	// Kiosk* are the texts of the kiosk script (static/kiosk.js): the
	// status of ratings kept on the tablet (%d: how many), the thank-you
	// of a rating kept, and what it says when it cannot keep one.
	KioskPending, KioskPendingOne, KioskDead, KioskSaved, KioskFull string
}

var vi = texts{
	Switch:          "English",
	FixTitle:        "Phiếu chưa gửi được.",
	Send:            "Gửi đánh giá",
	Comment:         "Góp ý thêm",
	Optional:        "không bắt buộc",
	Privacy:         "Phiếu không ghi tên. Chúng tôi không lưu tên, số điện thoại hay giấy tờ tùy thân của Ông/Bà.",
	QuickNote:       "Chạm vào một mức để gửi ngay. Câu hỏi số lần đi lại và góp ý (nếu có) được gửi cùng.",
	ThanksTitle:     "Cảm ơn Ông/Bà!",
	ThanksBody:      "Đánh giá của Ông/Bà đã được ghi nhận. Ý kiến này giúp cơ quan phục vụ tốt hơn.",
	Again:           "Đánh giá lần khác",
	KioskAgain:      "Phiếu mới sẽ mở sau vài giây.",
	MoreIntro:       "Nếu Ông/Bà có thêm một phút (không bắt buộc):",
	MoreSend:        "Gửi thêm",
	GoneTitle:       "Mã QR này không còn sử dụng",
	GoneBody:        "Quầy đã đổi mã QR hoặc ngừng hoạt động. Xin Ông/Bà quét mã QR mới dán tại quầy. Cảm ơn Ông/Bà!",
	GoneDossier:     "Quầy hoặc đơn vị đã tiếp nhận hồ sơ này nay đã ngừng hoạt động, nên mã trên phiếu không còn nhận đánh giá. Cảm ơn Ông/Bà!",
	InvalidTitle:    "Mã không hợp lệ",
	InvalidBody:     "Đường dẫn này không đúng. Xin Ông/Bà quét lại mã QR dán tại quầy.",
	NotFoundTitle:   "Không tìm thấy trang",
	NotFoundBody:    "Trang Ông/Bà tìm không tồn tại.",
	BadFormTitle:    "Phiếu không hợp lệ",
	BadForm:         "Phiếu gửi lên có nội dung không hợp lệ. Xin Ông/Bà kiểm tra và gửi lại.",
	Missing:         "Còn %d câu chưa trả lời. Xin chọn một mức hoặc “Không có ý kiến” cho các câu:",
	BusyTitle:       "Hệ thống đang bận",
	BusyBody:        "Chưa lưu được đánh giá. Xin Ông/Bà gửi lại sau ít phút; câu trả lời vẫn được giữ.",
	TooLarge:        "Nội dung gửi lên quá dài.",
	BadEncoding:     "Nội dung có ký tự không hợp lệ.",
	RateTitle:       "Đã gửi quá nhiều phiếu",
	RateBody:        "Thiết bị này đã gửi quá nhiều phiếu cho quầy này trong một giờ. Xin Ông/Bà thử lại sau.",
	RatedTitle:      "Hồ sơ đã được đánh giá",
	Rated:           survey.MsgDossierRated,
	KioskPending:    "Đang lưu tạm %d phiếu, sẽ gửi khi có mạng.",
	KioskPendingOne: "Đang lưu tạm %d phiếu, sẽ gửi khi có mạng.",
	KioskDead:       "%d phiếu lưu tạm không gửi được.",
	KioskSaved:      "Phiếu đã được lưu tạm trên máy này và sẽ được gửi khi có mạng.",
	KioskFull:       "Mất kết nối và máy không lưu tạm được thêm phiếu. Xin Ông/Bà thử lại sau ít phút.",
	Conflict:        "Phiếu này đã được gửi trước đó với câu trả lời khác nên chưa được ghi lại. Câu trả lời của Ông/Bà vẫn được giữ; xin gửi lại để ghi thành một phiếu mới.",
}

var en = texts{
	Switch:          "Tiếng Việt",
	FixTitle:        "Your answers were not sent yet.",
	Send:            "Send",
	Comment:         "Other comments",
	Optional:        "optional",
	Privacy:         "Anonymous. We store no name, phone number or ID of yours.",
	QuickNote:       "Tap a level to send at once. The visits question and comment, if filled in, are sent with it.",
	ThanksTitle:     "Thank you!",
	ThanksBody:      "Your rating has been recorded. It helps the agency serve people better.",
	Again:           "Rate another visit",
	KioskAgain:      "A new form opens in a few seconds.",
	MoreIntro:       "If you have one more minute (optional):",
	MoreSend:        "Send",
	GoneTitle:       "This code is no longer in use",
	GoneBody:        "The counter has a new QR code or has closed. Please scan the code now posted at the counter. Thank you!",
	GoneDossier:     "The counter or office that received this dossier has closed since, so the code on the slip no longer takes ratings. Thank you!",
	InvalidTitle:    "Invalid code",
	InvalidBody:     "This link is not valid. Please scan the QR code posted at the counter again.",
	NotFoundTitle:   "Page not found",
	NotFoundBody:    "The page you asked for does not exist.",
	BadFormTitle:    "Invalid form",
	BadForm:         "The form contained invalid data. Please check and send again.",
	Missing:         "%d questions still need an answer. Choose a level or “No opinion” for:",
	BusyTitle:       "The system is busy",
	BusyBody:        "Your rating was not saved yet. Please send again in a few minutes; your answers are kept.",
	TooLarge:        "What you sent is too long.",
	BadEncoding:     "The text contains invalid characters.",
	ChooseLevel:     "Please choose a level.",
	ChooseLevelOrNA: "Please choose a level or “No opinion”.",
	RateTitle:       "Too many ratings",
	RateBody:        "This device has sent too many ratings for this counter within an hour. Please try again later.",
	RatedTitle:      "Already rated",
	Rated:           "This dossier has already been rated. Thank you!",
	KioskPending:    "%d ratings kept on this tablet, to be sent when the connection is back.",
	KioskPendingOne: "%d rating kept on this tablet, to be sent when the connection is back.",
	KioskDead:       "%d kept ratings could not be sent.",
	KioskSaved:      "Your rating is kept on this tablet and will be sent when the connection is back.",
	KioskFull:       "The connection is down and this tablet cannot keep more ratings. Please try again in a few minutes.",
	Conflict:        "This form was already sent with other answers, so it was not recorded. Your answers are kept; please send them again to record a new rating.",
}

func tr(lang string) *texts {
	if lang == "en" {
		return &en
	}
	return &vi
}
