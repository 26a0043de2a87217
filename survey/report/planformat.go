package report

import (
	"fmt"
	"strings"

	"github.com/sipas/sipas/survey"
)

// TargetLabel names a target's status in the reader's language.
func TargetLabel(status, lang string) string {
	vi, en := map[string]string{
		TargetMet: "đạt", TargetNotMet: "chưa đạt", TargetUndetermined: "chưa xác định", NotEnoughData: "chưa đủ dữ liệu",
	}, map[string]string{
		TargetMet: "met", TargetNotMet: "not met", TargetUndetermined: "undetermined", NotEnoughData: "not enough data",
	}
	if lang == "en" {
		return en[status]
	}
	return vi[status]
}

// VerdictLabel names an effect's verdict in the reader's language.
func VerdictLabel(verdict, lang string) string {
	vi, en := map[string]string{
		EffectImproved: "cải thiện có ý nghĩa", EffectNone: "chưa thấy thay đổi có ý nghĩa",
		EffectDeclined: "giảm có ý nghĩa", NotEnoughData: "chưa đủ dữ liệu",
	}, map[string]string{
		EffectImproved: "significant improvement", EffectNone: "no significant change yet",
		EffectDeclined: "significant decline", NotEnoughData: "not enough data",
	}
	if lang == "en" {
		return en[verdict]
	}
	return vi[verdict]
}

// StatusLabel names a task's status in the reader's language.
func StatusLabel(status, lang string) string {
	vi, en := map[string]string{
		survey.TaskTodo: "chưa thực hiện", survey.TaskDoing: "đang thực hiện", survey.TaskDone: "hoàn thành",
	}, map[string]string{
		survey.TaskTodo: "to do", survey.TaskDoing: "in progress", survey.TaskDone: "done",
	}
	if lang == "en" {
		return en[status]
	}
	return vi[status]
}

// OfficialText formats an official result as reports print it:
// "SIPAS 2021: 85,54 %, hạng 48/63", "PAPI 2021: 41,23 điểm, hạng 42/60".
func OfficialText(r *survey.OfficialResult, lang string) string {
	unit := " %"
	if r.Index == survey.IndexPAPI {
		unit = " điểm"
		if lang == "en" {
			unit = " points"
		}
	}
	s := fmt.Sprintf("%s %d: %s%s", r.Index, r.Year, Number(r.Score, 2, lang), unit)
	if r.Rank != nil {
		rank := "hạng"
		if lang == "en" {
			rank = "rank"
		}
		s += fmt.Sprintf(", %s %d", rank, *r.Rank)
		if r.Of != nil {
			s += fmt.Sprintf("/%d", *r.Of)
		}
	}
	return s
}

// OfficialNote says, in the reader's language, why the official results
// and the platform's index differ.
func OfficialNote(lang string) string {
	if lang == "en" {
		return "Official indices are measured their own way: by sample surveys on their own questionnaires " +
			"(PAR INDEX also by appraisal). This platform counts the ratings citizens give at the counter. " +
			"The two are not directly comparable."
	}
	return "Các chỉ số chính thức được đo theo phương pháp riêng: điều tra xã hội học theo mẫu, với bộ câu hỏi riêng " +
		"(PAR INDEX còn gồm phần thẩm định). Nền tảng này tổng hợp đánh giá của người dân ngay tại quầy. " +
		"Hai loại số liệu không so sánh trực tiếp với nhau được."
}

// TaskReorgNote says, in the reader's language, what became of a task's
// responsible unit: merged since (the task follows its successor) or
// split (the task stays with it); "" when neither.
func TaskReorgNote(e *Effect, lang string) string {
	switch {
	case e.MergedFrom != "" && lang == "en":
		return fmt.Sprintf("The responsible unit %s merged into %s on %s: the task is followed at its successor, whose indices before that day combine the former units' ratings.",
			e.MergedFrom, e.Responsible, DayText(e.MergedOn))
	case e.MergedFrom != "":
		return fmt.Sprintf("Đơn vị phụ trách %s đã sáp nhập vào %s ngày %s: nhiệm vụ được theo dõi tại đơn vị kế thừa; chỉ số trước ngày đó gộp từ các đơn vị cũ.",
			e.MergedFrom, e.Responsible, DayText(e.MergedOn))
	case len(e.SplitInto) > 0 && lang == "en":
		return fmt.Sprintf("The responsible unit split into %s on %s: the task stays with it, and its indices are its own ratings, not its successors'.",
			strings.Join(e.SplitInto, ", "), DayText(e.SplitOn))
	case len(e.SplitInto) > 0:
		return fmt.Sprintf("Đơn vị phụ trách đã chia tách thành %s ngày %s: nhiệm vụ vẫn thuộc đơn vị cũ; chỉ số là số liệu của chính đơn vị cũ, không gồm các đơn vị mới.",
			strings.Join(e.SplitInto, ", "), DayText(e.SplitOn))
	}
	return ""
}
