// Package demo generates a realistic synthetic province — agencies,
// counters, responses and dossiers — for demos and benchmarks. The same
// seed gives the same data. NewLayout is the province of make run: a 2026
// province with the reorganisation of 1 July 2025 in its history;
// NewProvince is a tree with districts and no history, for benchmarks
// that need none.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sipas/sipas/survey"
)

// Province describes the agencies and counters to create.
type Province struct {
	Agencies []*survey.Agency
	Counters []*survey.Counter
}

var departments = []string{
	"Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Sở Xây dựng", "Sở Giao thông vận tải",
	"Sở Lao động - Thương binh và Xã hội", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Công Thương", "Sở Nông nghiệp và Phát triển nông thôn",
	"Sở Tài chính", "Sở Nội vụ", "Sở Văn hóa, Thể thao và Du lịch", "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ",
	"Ban Quản lý các khu chế xuất và công nghiệp", "Sở Ngoại vụ", "Thanh tra tỉnh",
}

// places name the districts (the first nine) and the communes and wards.
var places = []string{
	"Ninh Kiều", "Bình Thủy", "Cái Răng", "Ô Môn", "Thốt Nốt", "Phong Điền", "Cờ Đỏ", "Thới Lai", "Vĩnh Thạnh",
	"An Bình", "An Hòa", "An Khánh", "Hưng Lợi", "Tân An", "Thới Bình", "Xuân Khánh", "Long Hòa", "Long Tuyền",
	"Trà An", "Trà Nóc", "Bùi Hữu Nghĩa", "Lê Bình", "Hưng Phú", "Ba Láng", "Thường Thạnh", "Phú Thứ", "Tân Phú",
	"Châu Văn Liêm", "Thới Hòa", "Thới An", "Phước Thới", "Trường Lạc", "Thuận Hưng", "Tân Lộc", "Trung Nhứt",
	"Nhơn Ái", "Nhơn Nghĩa", "Giai Xuân", "Mỹ Khánh", "Trường Long", "Tân Thới", "Thạnh Phú", "Trung Hưng",
}

// communePlaces are more names of communes, for the old tree's many.
var communePlaces = []string{
	"Tân Hòa", "Tân Thạnh", "Tân Phước", "Tân Long", "Tân Hưng", "Tân Bình", "Tân Lập", "Tân Thành", "Phú Hữu", "Phú Tân",
	"Phú Lộc", "Phú Mỹ", "Phú An", "Phú Hòa", "Long Phú", "Long Thạnh", "Long Bình", "Long Hưng", "Long Mỹ", "Long Trị",
	"Mỹ Hòa", "Mỹ Tú", "Mỹ Phước", "Mỹ Thuận", "Mỹ An", "Vĩnh Trinh", "Vĩnh Bình", "Vĩnh Lợi", "Vĩnh Hiệp", "Vĩnh Viễn",
	"Thạnh An", "Thạnh Lợi", "Thạnh Mỹ", "Thạnh Quới", "Thạnh Xuân", "Thạnh Hòa", "Hòa An", "Hòa Mỹ", "Hòa Lợi", "Hòa Bình",
	"Bình Thành", "Bình Hòa", "Bình Minh", "Đông Thuận", "Đông Hiệp", "Đông Bình", "Đông Phước", "Định Môn", "Định Hòa", "Trường Thành",
	"Trường Xuân", "Trường Thắng", "Xuân Hòa", "Xuân Thắng", "Hiệp Hưng", "Hiệp Lợi", "Phương Bình", "Phương Phú", "Lương Tâm", "Lương Nghĩa",
	"Vị Thanh", "Vị Thủy", "Vị Đông", "Vị Bình", "Hỏa Lựu", "Hỏa Tiến", "Tân Tiến", "Đại Thành", "Kế Sách", "Đại Hải",
	"An Lạc Thôn", "Nhơn Mỹ", "Thới Thuận", "Thới Long", "Thới Đông", "Ngã Năm", "Long Đức", "Lịch Hội Thượng", "Vĩnh Hải", "Lai Hòa",
	"Mỹ Xuyên", "Ngọc Tố", "Hòa Tú", "Gia Hòa", "Thạnh Phú Đông", "Tài Văn", "Viên An", "Song Phụng", "Đại Ân", "Trung Bình",
}

// NewProvince lays out n agencies (n ≥ 1): a province, its departments and
// districts, and communes beneath the districts, each with one or two
// counters. quick is the share of extra one-tap kiosk counters.
func NewProvince(n int, rng *rand.Rand) *Province {
	p := &Province{}
	add := func(code, name, parent string) *survey.Agency {
		a := &survey.Agency{Code: code, Name: name, ParentCode: parent}
		p.Agencies = append(p.Agencies, a)
		return a
	}
	add("DEMO", "UBND tỉnh Demo", "")
	rest := n - 1
	nDept := min(len(departments), max(rest/25, min(rest, 2)))
	nDist := min(len(places), max(rest/50, min(rest-nDept, 1)))
	if rest-nDept-nDist < 0 {
		nDist = max(0, rest-nDept)
	}
	for i := 0; i < nDept; i++ {
		add(fmt.Sprintf("S%02d", i+1), departments[i], "DEMO")
	}
	var districts []*survey.Agency
	for i := 0; i < nDist; i++ {
		kind := "Huyện"
		if i < 3 {
			kind = "Quận"
		}
		districts = append(districts, add(fmt.Sprintf("H%02d", i+1), kind+" "+places[i], "DEMO"))
	}
	for i := 0; i < rest-nDept-nDist; i++ {
		d := districts[i%len(districts)]
		kind := "Xã"
		if d.Name[:4] == "Quận" {
			kind = "Phường"
		}
		name := fmt.Sprintf("%s %s", kind, places[(i*7+3)%len(places)])
		if i >= len(places) {
			name = fmt.Sprintf("%s %s %d", kind, places[(i*7+3)%len(places)], i/len(places)+1)
		}
		add(fmt.Sprintf("%s-X%03d", d.Code, i+1), name, d.Code)
	}
	for i, a := range p.Agencies {
		if i == 0 {
			continue
		}
		p.Counters = append(p.Counters, &survey.Counter{AgencyCode: a.Code, Code: "Q1", Name: "Quầy 1 – Tiếp nhận và trả kết quả", Instrument: "sipas-2017"})
		if a.Code[0] == 'S' || i%5 == 0 {
			p.Counters = append(p.Counters, &survey.Counter{AgencyCode: a.Code, Code: "K1", Name: "Máy đánh giá tại sảnh", Instrument: "quick"})
		}
	}
	return p
}

var commentsGood = []string{
	"Cán bộ hướng dẫn nhiệt tình, dễ hiểu.", "Thủ tục nhanh gọn, cảm ơn.", "Nơi chờ sạch sẽ, thoáng mát.",
	"Trả kết quả đúng hẹn.", "Rất hài lòng với thái độ phục vụ.",
}
var commentsBad = []string{
	"Phải đi lại nhiều lần vì thiếu giấy tờ mà không được hướng dẫn từ đầu.", "Chờ lâu, ít chỗ ngồi.",
	"Trả kết quả trễ hẹn.", "Cán bộ chưa nhiệt tình.", "Máy lấy số thứ tự hay bị hỏng.",
}

// Generator makes synthetic responses for counters that already exist
// (their ID and AgencyID set).
type Generator struct {
	rng      *rand.Rand
	counters []*survey.Counter
	weights  []float64 // cumulative
	quality  map[int64]float64
	trend    map[int64]float64
	insts    map[string]*survey.Instrument
	end      time.Time
	days     int
	seed     uint64
	i        int
	itemOff  map[string][]float64
	lifts    []Lift
	// moves and unitShift are the reorganisation (Follow).
	moves     map[*survey.Counter]move
	unitShift map[string]float64
}

// NewGenerator returns a generator of responses spread over the days
// before end, with agency-specific quality so that agencies differ.
func NewGenerator(counters []*survey.Counter, reg *survey.Instruments, end time.Time, days int, seed uint64) (*Generator, error) {
	g := &Generator{
		rng: rand.New(rand.NewPCG(seed, seed^0x5157a5)), counters: counters, end: end, days: days, seed: seed,
		quality: map[int64]float64{}, trend: map[int64]float64{}, insts: map[string]*survey.Instrument{}, itemOff: map[string][]float64{},
	}
	total := 0.0
	for _, c := range counters {
		if _, ok := g.insts[c.Instrument]; !ok {
			in, err := reg.Current(c.Instrument)
			if err != nil {
				return nil, err
			}
			g.insts[c.Instrument] = in
			off := make([]float64, len(in.Items))
			for k := range off {
				off[k] = g.rng.NormFloat64() * 0.35
			}
			g.itemOff[c.Instrument] = off
		}
		if _, ok := g.quality[c.AgencyID]; !ok {
			g.quality[c.AgencyID] = g.rng.NormFloat64() * 0.45
			g.trend[c.AgencyID] = g.rng.NormFloat64() * 0.3
		}
		w := math.Exp(g.rng.NormFloat64() * 0.6)
		if c.Instrument == "quick" {
			w *= 0.5
		}
		total += w
		g.weights = append(g.weights, total)
	}
	for i := range g.weights {
		g.weights[i] /= total
	}
	return g, nil
}

func (g *Generator) pick() *survey.Counter {
	u := g.rng.Float64()
	lo, hi := 0, len(g.weights)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if g.weights[mid] < u {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return g.counters[lo]
}

// AgencyShares returns each agency's expected share of the responses Next
// makes (by agency id; the shares add up to 1).
func (g *Generator) AgencyShares() map[int64]float64 {
	out := map[int64]float64{}
	prev := 0.0
	for i, c := range g.counters {
		out[c.AgencyID] += g.weights[i] - prev
		prev = g.weights[i]
	}
	return out
}

// Next returns the next synthetic submission, at a counter open on its
// day (nil in the unlikely case that a thousand draws found none).
func (g *Generator) Next() *survey.Submission {
	local := g.end.In(survey.Vietnam)
	last := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, survey.Vietnam)
	first := last.AddDate(0, 0, 1-g.days)
	for range 1000 {
		c := g.pick()
		day := g.rng.IntN(g.days)
		d := last.AddDate(0, 0, -day)
		// Office hours, 7:30 to 17:00.
		at := d.Add(7*time.Hour + 30*time.Minute + time.Duration(g.rng.Int64N(int64(9*time.Hour+30*time.Minute))))
		if c.Instrument == "quick" {
			at = kioskHours(at)
		}
		if _, _, _, open := g.AgencyOn(c, at); open && !at.Before(first) { // a kiosk's weekend is its Friday
			return g.rate(c, at, day, 0)
		}
	}
	return nil
}

// kioskHours moves a rating on a counter's tablet (the quick counters)
// into the default opening hours (integrity.DefaultHours), where a tablet
// inside the office can be used: the lunch break to the afternoon, a
// weekend to the Friday before. Phones rate at any time.
func kioskHours(at time.Time) time.Time {
	l := at.In(survey.Vietnam)
	switch l.Weekday() {
	case time.Saturday:
		at = at.AddDate(0, 0, -1)
	case time.Sunday:
		at = at.AddDate(0, 0, -2)
	}
	if m := l.Hour()*60 + l.Minute(); m >= 11*60+30 && m < 13*60+30 {
		at = at.Add(2 * time.Hour)
	}
	return at
}

// Rating returns a submission to counter c at time at whose answers are
// shift points (on the 1-5 scale) from what the counter's agency earns on
// that day, for ratings of another channel than open QR codes.
func (g *Generator) Rating(c *survey.Counter, at time.Time, shift float64) *survey.Submission {
	local, end := at.In(survey.Vietnam), g.end.In(survey.Vietnam)
	day := int(time.Date(end.Year(), end.Month(), end.Day(), 12, 0, 0, 0, time.UTC).Sub(
		time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
	return g.rate(c, at, min(max(day, 0), g.days), shift)
}

// rate makes the submission of counter c at time at, day days before the
// end, attributed to the agency c belonged to at at. Its quality and
// trend are those of c's first agency, so that a merged unit's ratings
// carry on its predecessors'.
func (g *Generator) rate(c *survey.Counter, at time.Time, day int, shift float64) *survey.Submission {
	in := g.insts[c.Instrument]
	agencyID, agency, _, _ := g.AgencyOn(c, at)
	progress := 1 - float64(day)/float64(max(g.days, 1))
	mu := 4.05 + shift + g.quality[c.AgencyID] + g.trend[c.AgencyID]*(progress-0.5) + g.mergerShift(c, at) + g.rng.NormFloat64()*0.6
	off := g.itemOff[c.Instrument]
	ans := make([]uint8, len(in.Items))
	low := false
	for k, it := range in.Items {
		pNA := 0.03
		if it.Element == "GY" {
			pNA = 0.15
		}
		if in.AllowNoOpinion && g.rng.Float64() < pNA {
			ans[k] = survey.AnswerNA
			continue
		}
		v := math.Round(mu + off[k] + g.rng.NormFloat64()*0.55 + g.lifted(agency, it.Code, at))
		v = math.Max(1, math.Min(5, v))
		ans[k] = uint8(v)
		low = low || v <= 2
	}
	s := &survey.Submission{
		SubmissionID: fmt.Sprintf("seed%d-%012d", g.seed, g.i),
		CounterID:    c.ID, AgencyID: agencyID, Instrument: in, Answers: ans,
		Channel: "web", Lang: "vi", ReceivedAt: at.UTC(),
	}
	if c.Instrument == "quick" {
		s.Channel = "kiosk"
	}
	g.i++
	if in.Followup != nil && g.rng.Float64() < 0.6 {
		r := g.rng.Float64()
		switch {
		case r < 0.7:
			s.Followup = 1
		case r < 0.9:
			s.Followup = 2
		default:
			s.Followup = 3
		}
	}
	if g.rng.Float64() < 0.04 {
		if low {
			s.Comment = commentsBad[g.rng.IntN(len(commentsBad))]
		} else {
			s.Comment = commentsGood[g.rng.IntN(len(commentsGood))]
		}
	}
	return s
}

// Stuffing returns what a staff member rating their own counter c looks
// like, for the demo's integrity page: n ratings of all 5 from one phone
// (client tag client) a minute apart from at, through the counter's open
// QR code.
func (g *Generator) Stuffing(c *survey.Counter, at time.Time, n int, client int64) []*survey.Submission {
	in := g.insts[c.Instrument]
	agencyID, _, _, _ := g.AgencyOn(c, at)
	out := make([]*survey.Submission, 0, n)
	for i := 0; i < n; i++ {
		ans := make([]uint8, len(in.Items))
		for k := range ans {
			ans[k] = 5
		}
		out = append(out, &survey.Submission{
			SubmissionID: fmt.Sprintf("seed%d-stuffing-%04d", g.seed, i),
			CounterID:    c.ID, AgencyID: agencyID, Instrument: in, Answers: ans,
			Channel: survey.ChannelWeb, Lang: "vi", ReceivedAt: at.Add(time.Duration(i) * time.Minute).UTC(), Client: client,
		})
	}
	return out
}
