package dashboard

// DossierTexts are the officials' texts about dossiers: response rates,
// the weighting of an index, on-time processing, the split of each
// counter's ratings by channel and the export columns about them.
type DossierTexts struct {
	// Response rate: the column, "6,0 % số hồ sơ", the unknown volume and
	// the marker of a low rate ("⚠ dưới 5 %").
	RespRate, RateOf, NoDossiers, LowRate, RateLegend string
	// Weighting: the words for each, the reasons (agency code in %s) and
	// the switch.
	WeightVolume, WeightResp, WeightBecause                string
	ReasonNoVolumes, ReasonMissingVolume, ReasonNoDossiers string
	Weighting, WeightAuto, WeightByVolume, WeightByResp    string
	BadWeighting                                           string
	// On-time processing of the dossiers returned in the period.
	OnTime, OnTimeFmt, NoOnTime string
	// The split of each counter's ratings.
	SplitTitle, SplitNote, SplitDossier, SplitOpen, SplitDiff, NoCounter string
	OpenHigher, OpenLower, SplitInstrument                               string
	// Exports: the columns of the denominators and of the weighting (its
	// code on every row; in words, with the reason, on the parent's).
	XDenom []string
}

var dossierVI = DossierTexts{
	RespRate: "Tỷ lệ phản hồi", RateOf: "%s số hồ sơ", NoDossiers: "chưa có số hồ sơ", LowRate: "⚠ thấp: dưới %s",
	RateLegend: "Tỷ lệ phản hồi là số người đánh giá chia cho số hồ sơ của kỳ. Dưới %s được đánh dấu ⚠: " +
		"khi ít người được phục vụ đánh giá, chỉ số có thể chỉ phản ánh một nhóm nhỏ tự chọn.",
	WeightVolume: "gia quyền theo số hồ sơ", WeightResp: "gia quyền theo số người đánh giá", WeightBecause: "%s, vì %s",
	ReasonNoVolumes:     "chưa có số hồ sơ của kỳ này",
	ReasonMissingVolume: "đơn vị %s có đánh giá nhưng chưa có số hồ sơ cả kỳ",
	ReasonNoDossiers:    "các đơn vị có đánh giá của %s chưa ghi nhận hồ sơ nào",
	Weighting:           "Cách gia quyền", WeightAuto: "Tự động", WeightByVolume: "Theo số hồ sơ", WeightByResp: "Theo số người đánh giá",
	BadWeighting: "Cách gia quyền %q không hợp lệ: chọn volume (theo số hồ sơ) hoặc respondents (theo số người đánh giá).",
	OnTime:       "Giải quyết đúng hạn", OnTimeFmt: "Đúng hạn: %s [%s – %s], n = %s hồ sơ đã trả", NoOnTime: "chưa có ngày hẹn trả của hồ sơ",
	SplitTitle: "Đánh giá theo hồ sơ và qua mã QR mở, từng quầy",
	SplitNote: "Mỗi hồ sơ chỉ được đánh giá một lần, qua mã QR in trên phiếu hẹn trả; mã QR mở của quầy thì ai cũng dùng được, kể cả cán bộ của quầy. " +
		"Nếu đánh giá qua mã QR mở tốt hơn hẳn đánh giá theo hồ sơ, đó là dấu hiệu cần xem xét. " +
		"Dấu ▲/▼ chỉ hiện khi chênh lệch có ý nghĩa thống kê sau khi hiệu chỉnh so sánh bội giữa các quầy (%s).",
	SplitDossier: "Theo hồ sơ", SplitOpen: "Qua mã QR mở", SplitDiff: "Chênh lệch (QR mở − hồ sơ, điểm %)", NoCounter: "Hồ sơ không ghi quầy",
	OpenHigher: "▲ QR mở cao hơn có ý nghĩa", OpenLower: "▼ QR mở thấp hơn có ý nghĩa", SplitInstrument: "Bộ câu hỏi: %s.",
	XDenom: []string{"Số hồ sơ", "Tỷ lệ phản hồi (%)", "Đúng hạn (%)", "Đúng hạn KTC dưới (%)", "Đúng hạn KTC trên (%)", "Số hồ sơ đã trả (n)", "Gia quyền", "Cách gia quyền"},
}

var dossierEN = DossierTexts{
	RespRate: "Response rate", RateOf: "%s of dossiers", NoDossiers: "no dossier count yet", LowRate: "⚠ low: below %s",
	RateLegend: "The response rate is the number of respondents divided by the dossiers of the period. Below %s it is marked ⚠: " +
		"when few of the people served rate, the index may reflect a small self-selected group.",
	WeightVolume: "weighted by dossiers", WeightResp: "weighted by respondents", WeightBecause: "%s, because %s",
	ReasonNoVolumes:     "no dossier counts are recorded for this period",
	ReasonMissingVolume: "%s has ratings but no dossier count for the whole period",
	ReasonNoDossiers:    "no dossiers are recorded for the units of %s with ratings",
	Weighting:           "Weighting", WeightAuto: "Automatic", WeightByVolume: "By dossiers", WeightByResp: "By respondents",
	BadWeighting: "Weighting %q is not valid: choose volume (by dossiers) or respondents.",
	OnTime:       "Processed on time", OnTimeFmt: "On time: %s [%s – %s], n = %s dossiers returned", NoOnTime: "no due dates of dossiers yet",
	SplitTitle: "Dossier-bound and open-QR ratings, per counter",
	SplitNote: "Each dossier can be rated once, through the QR code printed on its slip; a counter's open QR code can be used by anyone, its own staff included. " +
		"Open-QR ratings much better than dossier-bound ones are a warning sign. " +
		"▲/▼ appear only when the difference stays significant after adjusting for multiple comparisons across the counters (%s).",
	SplitDossier: "Dossier-bound", SplitOpen: "Open QR", SplitDiff: "Difference (open QR − dossier, points)", NoCounter: "Dossiers without a counter",
	OpenHigher: "▲ open QR significantly higher", OpenLower: "▼ open QR significantly lower", SplitInstrument: "Instrument: %s.",
	XDenom: []string{"Dossiers", "Response rate (%)", "On time (%)", "On time CI low (%)", "On time CI high (%)", "Dossiers returned (n)", "Weighting", "Weighting (why)"},
}
