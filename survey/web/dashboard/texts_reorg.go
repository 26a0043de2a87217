package dashboard

// ReorgTexts are the officials' texts about reorganisations: the roll-up
// mode of a page, an agency's lineage and the markers of indices that hold
// predecessors' ratings.
type ReorgTexts struct {
	// The roll-up mode: the bad value (%q), the sentence of each mode, the
	// switch to the other and the label of the sentence's block.
	BadAs, AsDatedText, AsCurrentText, ToCurrent, ToDated, AsLabel string
	// The lineage block: its title and the lead of each kind of link.
	LineageTitle, MergedFrom, SplitFrom, MergedInto, SplitInto string
	// Parent changes: "Trực thuộc", "từ %s", "đến %s", and no parent.
	Under, Since, Until, NoParent string
	// PrevCombined words report.CombinedText (%s) for the previous
	// period; CombinedTitle heads the list of the predecessors' codes and
	// names.
	PrevCombined, CombinedTitle string
	// CombinedMonths introduces the list of the trend's months combined
	// from predecessors; CombinedDesc is added to the chart's description.
	CombinedMonths, CombinedDesc string
	// ReasonReorganised is why respondents are pooled across a
	// reorganisation.
	ReasonReorganised string
	// XMerge is the export's column of the merger note.
	XMerge string
}

var reorgVI = ReorgTexts{
	BadAs:         "Cách tính theo cơ cấu tổ chức %q không hợp lệ: bỏ trống (theo đơn vị cấp trên vào từng ngày) hoặc chọn current (theo cơ cấu tổ chức hiện nay).",
	AsDatedText:   "Mỗi đơn vị được tính theo đơn vị cấp trên vào từng ngày.",
	AsCurrentText: "Toàn bộ kỳ được tính theo cơ cấu tổ chức hiện nay; đơn vị đã sáp nhập được tính vào đơn vị kế thừa.",
	ToCurrent:     "Tính theo cơ cấu tổ chức hiện nay", ToDated: "Tính theo đơn vị cấp trên vào từng ngày",
	AsLabel:      "Cơ cấu tổ chức",
	LineageTitle: "Lịch sử tổ chức",
	MergedFrom:   "Sáp nhập từ:", SplitFrom: "Tách ra từ:", MergedInto: "Đã sáp nhập vào", SplitInto: "Đã chia thành",
	Under: "Trực thuộc", Since: "từ %s", Until: "đến %s", NoParent: "không trực thuộc đơn vị nào",
	PrevCombined:      "kỳ trước, %s",
	CombinedTitle:     "Các đơn vị cũ",
	CombinedMonths:    "Chỉ số của các tháng sau là chỉ số gộp từ các đơn vị cũ, trước khi sáp nhập (trên biểu đồ: đường nét đứt và chấm rỗng; vạch dọc “sáp nhập” đánh dấu nơi bắt đầu số liệu của chính đơn vị):",
	CombinedDesc:      "Các tháng trước sáp nhập vẽ bằng đường nét đứt và chấm rỗng: chỉ số gộp từ các đơn vị cũ.",
	ReasonReorganised: "các đơn vị đã được sắp xếp lại trong kỳ, hoặc chỉ số có phần gộp từ đơn vị cũ",
	XMerge:            "Ghi chú sáp nhập",
}

var reorgEN = ReorgTexts{
	BadAs:         "Roll-up %q is not valid: leave it out (each unit under the parent it had on each day) or choose current (today's organisation).",
	AsDatedText:   "Each unit is counted under the parent it had on each day.",
	AsCurrentText: "The whole period is counted under today's organisation; merged units are counted in their successor.",
	ToCurrent:     "Count under today's organisation", ToDated: "Count under each day's parent",
	AsLabel:      "Organisation",
	LineageTitle: "Organisational history",
	MergedFrom:   "Merged from:", SplitFrom: "Split from:", MergedInto: "Merged into", SplitInto: "Split into",
	Under: "Under", Since: "from %s", Until: "until %s", NoParent: "no parent unit",
	PrevCombined:      "previous period, %s",
	CombinedTitle:     "Former units",
	CombinedMonths:    "The index of these months is the former units' ratings combined, before the merger (in the chart: a dashed line and hollow dots; the vertical “merger” rule marks where the unit's own figures begin):",
	CombinedDesc:      "The months before the merger are drawn with a dashed line and hollow dots: the former units' ratings combined.",
	ReasonReorganised: "the units were reorganised within the period, or the index holds former units' ratings",
	XMerge:            "Merger note",
}
