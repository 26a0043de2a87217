package dashboard

// MailTexts are the texts of the mail settings: the user's own page
// (/account/notifications) and the accounts page's column.
type MailTexts struct {
	MlTitle, MlNav, MlIntro, MlEmail, MlEmailHint, MlDigest, MlDigestHint, MlAlert, MlAlertHint string
	MlSave, MlSaved, MlBadEmail, MlNeedEmail                                                    string
	// The accounts page: the column and its form.
	MlColumn, MlSet, MlDigestShort, MlAlertShort string
}

var mailVI = MailTexts{
	MlTitle: "Nhận thư", MlNav: "Nhận thư",
	MlIntro: "SIPAS có thể gửi thư cho Ông/Bà: bản tin hằng tuần (sáng thứ Hai) về các chỉ số trong phạm vi của Ông/Bà, " +
		"với khoảng tin cậy và mức thay đổi khi đủ dữ liệu, các cảnh báo và nhiệm vụ đến hạn; và thư ngay khi có cảnh báo mới. " +
		"Thư không có ảnh hay liên kết theo dõi.",
	MlEmail: "Địa chỉ thư công vụ", MlEmailHint: "ví dụ ten@tuphap.tinh.gov.vn; để trống nếu không nhận thư",
	MlDigest: "Nhận bản tin hằng tuần", MlDigestHint: "gửi sáng thứ Hai, khoảng 7 giờ",
	MlAlert: "Nhận thư khi có cảnh báo mới", MlAlertHint: "một thư cho mỗi lần kiểm tra phát hiện cảnh báo mới trong phạm vi của Ông/Bà",
	MlSave: "Lưu", MlSaved: "Đã lưu cài đặt nhận thư.",
	MlBadEmail:  "Địa chỉ thư không hợp lệ (tối đa 254 ký tự, dạng ten@coquan.gov.vn).",
	MlNeedEmail: "Cần nhập địa chỉ thư để nhận bản tin hoặc thư cảnh báo.",
	MlColumn:    "Thư", MlSet: "Lưu thư", MlDigestShort: "Bản tin tuần", MlAlertShort: "Thư cảnh báo",
}

var mailEN = MailTexts{
	MlTitle: "Email", MlNav: "Email",
	MlIntro: "SIPAS can mail you: a weekly digest (Monday morning) of the indices in your scope, with their intervals and the change " +
		"where the data support it, the alerts and the tasks due; and a mail as soon as a new alert appears. " +
		"The mail has no images and no tracking links.",
	MlEmail: "Work email address", MlEmailHint: "e.g. name@tuphap.tinh.gov.vn; leave empty for no mail",
	MlDigest: "Weekly digest", MlDigestHint: "sent on Monday at about 07:00",
	MlAlert: "Mail me new alerts", MlAlertHint: "one mail each time the check finds new alerts in your scope",
	MlSave: "Save", MlSaved: "Email settings saved.",
	MlBadEmail:  "Invalid email address (at most 254 characters, like name@agency.gov.vn).",
	MlNeedEmail: "An email address is needed for the digest or alert mail.",
	MlColumn:    "Email", MlSet: "Save email", MlDigestShort: "Weekly digest", MlAlertShort: "Alert mail",
}
