package public

import (
	"fmt"

	"github.com/sipas/sipas/survey"
)

// texts are the fixed strings of the public page, one table per language.
type texts struct {
	Switch, Title, Lead                      string
	Month, Quarter, Half, Year               string // period headings, with the period's name
	Overall, Elements, Element, Children     string
	Unit, Index, Interval                    string
	NotEnough, ChildrenNote                  string
	Trend, TrendDesc, TrendTable, TrendMonth string
	AboutTitle                               string
	About                                    []string
	Footer, NotFoundTitle, NotFoundBody      string
	BadTitle                                 string
}

var vi = texts{
	Switch:       "English",
	Title:        "Kết quả đánh giá sự hài lòng",
	Lead:         "Ý kiến của người dân, tổ chức về sự phục vụ của %s, tổng hợp từ các phiếu đánh giá không ghi tên.",
	Month:        "Tháng %s",
	Quarter:      "Quý %s",
	Half:         "6 tháng %s",
	Year:         "Năm %s",
	Overall:      "Chỉ số hài lòng chung",
	Elements:     "Theo từng yếu tố",
	Element:      "Yếu tố",
	Children:     "Các đơn vị trực thuộc",
	Unit:         "Đơn vị",
	Index:        "Chỉ số",
	Interval:     "Khoảng tin cậy 95%",
	NotEnough:    "chưa đủ dữ liệu",
	ChildrenNote: "Chỉ gồm các đơn vị đã công bố kết quả, xếp theo mã đơn vị, không phải theo thứ hạng.",
	Trend:        "Diễn biến 12 tháng",
	TrendDesc:    "Chỉ số hài lòng chung theo tháng; dải màu là khoảng tin cậy 95%%; tháng chưa đủ dữ liệu được bỏ trống. %s",
	TrendTable:   "Số liệu theo tháng",
	TrendMonth:   "Tháng",
	AboutTitle:   "Cách đọc các con số",
	About: []string{
		"Chỉ số hài lòng là tỷ lệ phần trăm ý kiến “hài lòng” hoặc “rất hài lòng”, tính trung bình trên các yếu tố của phiếu. n là số người đã đánh giá.",
		"Chỉ số được tính từ những người đã gửi phiếu, không phải từ tất cả người đến làm thủ tục, nên có sai số. Khoảng tin cậy 95% là khoảng mà chỉ số thật nhiều khả năng nằm trong đó: nếu lấy ý kiến lại nhiều lần theo cùng một cách, khoảng tính được sẽ chứa chỉ số thật khoảng 95 trên 100 lần.",
		"Khoảng càng hẹp thì kết quả càng chắc chắn. Khi khoảng của hai đơn vị hay hai kỳ chồng lên nhau, chưa thể nói bên nào tốt hơn.",
		"Khi có quá ít phiếu hoặc khoảng tin cậy quá rộng, trang ghi “chưa đủ dữ liệu” thay vì đưa ra một con số dễ gây hiểu lầm.",
	},
	Footer:        "Trang chỉ công bố số liệu tổng hợp: không có góp ý, không có số liệu của từng quầy hay từng phiếu.",
	NotFoundTitle: "Không tìm thấy trang",
	NotFoundBody:  "Không có kết quả công khai cho đơn vị này.",
	BadTitle:      "Yêu cầu không hợp lệ",
}

var en = texts{
	Switch:       "Tiếng Việt",
	Title:        "Satisfaction results",
	Lead:         "What people and organisations say about the service of %s, from anonymous ratings.",
	Month:        "Month %s",
	Quarter:      "Quarter %s",
	Half:         "Half-year %s",
	Year:         "Year %s",
	Overall:      "Overall satisfaction index",
	Elements:     "By element",
	Element:      "Element",
	Children:     "Units under it",
	Unit:         "Unit",
	Index:        "Index",
	Interval:     "95% confidence interval",
	NotEnough:    "not enough data",
	ChildrenNote: "Only units that publish their results, in the order of their codes, not a ranking.",
	Trend:        "The last 12 months",
	TrendDesc:    "The overall index by month; the band is the 95%% confidence interval; months without enough data are left out. %s",
	TrendTable:   "Figures by month",
	TrendMonth:   "Month",
	AboutTitle:   "How to read the figures",
	About: []string{
		"The satisfaction index is the percentage of “satisfied” or “very satisfied” answers, averaged over the elements of the form. n is the number of people who rated.",
		"The index comes from the people who sent a rating, not from everyone who was served, so it has a margin of error. The 95% confidence interval is the range the true index most likely lies in: if ratings were collected again many times in the same way, the interval would contain the true index about 95 times in 100.",
		"The narrower the interval, the surer the result. When the intervals of two units or two periods overlap, neither can be said to be better.",
		"When there are too few ratings or the interval is too wide, the page says “not enough data” instead of a figure that would mislead.",
	},
	Footer:        "This page publishes totals only: no comments, nothing about single counters or single ratings.",
	NotFoundTitle: "Page not found",
	NotFoundBody:  "There are no public results for this agency.",
	BadTitle:      "Invalid request",
}

func tr(lang string) *texts {
	if lang == "en" {
		return &en
	}
	return &vi
}

// periodTitle is a period's heading: "Tháng 11/2026", "Quý III/2026".
func (t *texts) periodTitle(p survey.ReportPeriod) string {
	y := p.From.Year()
	switch p.Kind {
	case survey.KindMonth:
		return fmt.Sprintf(t.Month, fmt.Sprintf("%02d/%d", int(p.From.Month()), y))
	case survey.KindQuarter:
		q := []string{"I", "II", "III", "IV"}[(int(p.From.Month())-1)/3]
		if t == &en {
			q = fmt.Sprintf("%d", (int(p.From.Month())-1)/3+1)
			return fmt.Sprintf(t.Quarter, q+" "+fmt.Sprint(y))
		}
		return fmt.Sprintf(t.Quarter, q+"/"+fmt.Sprint(y))
	case survey.KindHalf:
		h := (int(p.From.Month())-1)/6 + 1
		if t == &en {
			return fmt.Sprintf(t.Half, fmt.Sprintf("H%d %d", h, y))
		}
		return fmt.Sprintf(map[int]string{1: "6 tháng đầu năm %d", 2: "6 tháng cuối năm %d"}[h], y)
	}
	return fmt.Sprintf(t.Year, fmt.Sprint(y))
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
