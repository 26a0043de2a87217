package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/webtest"
)

// importVolumes imports, for each agency, the same dossier count for each
// month of q1 (2026-01 to 2026-03).
func importVolumes(tb testing.TB, e *webtest.Env, perMonth map[string]int64) {
	tb.Helper()
	var rows []*survey.VolumeRow
	for code, n := range perMonth {
		for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
			rows = append(rows, &survey.VolumeRow{AgencyCode: code, Month: m, Dossiers: n})
		}
	}
	if _, err := e.DB.ImportVolumes(tb.Context(), rows, survey.Actor{Name: "test"}); err != nil {
		tb.Fatalf("import volumes: %v", err)
	}
}

// rateCell returns the td.rate of a row: its text and whether it is
// marked low.
func rateCell(tb testing.TB, r string) (string, bool) {
	tb.Helper()
	m := regexp.MustCompile(`<td class="rate"[^>]*>(.*?)</td>`).FindStringSubmatch(r)
	if m == nil {
		tb.Fatalf("no td.rate in %s", r)
	}
	low := strings.Contains(r, `data-low="true"`) && strings.Contains(m[1], `class="low-rate"`)
	return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")), low
}

func TestOverviewResponseRates(t *testing.T) {
	e := webtest.New(t)
	seedLeague(t, e) // q1: D1 n = 100, D2 50, D3 5, D4 100
	b := e.Client(t)
	b.Login("admin")

	// Without any volume: no rate, and the weighting says why.
	body := b.Get("/dashboard/overview/P?" + q1).Body.String()
	if got, low := rateCell(t, row(t, body, "data-agency", "D1")); got != "chưa có số hồ sơ" || low {
		t.Errorf("D1 without volumes: got %q (low %v), want “chưa có số hồ sơ”", got, low)
	}
	if got := between(body, `id="weighting" class="weighting">`, "<"); got != "gia quyền theo số người đánh giá, vì chưa có số hồ sơ của kỳ này" {
		t.Errorf("weighting without volumes: got %q", got)
	}

	// D3 has ratings but no volume: respondents, with the reason; the
	// others have their rates, D1's below 5 %.
	importVolumes(t, e, map[string]int64{"D1": 1000, "D2": 100, "D4": 200})
	body = b.Get("/dashboard/overview/P?" + q1).Body.String()
	tests := []struct {
		code, rate string
		low        bool
	}{
		{"D1", "3,3 % số hồ sơ ⚠ thấp: dưới 5 %", true}, // 100 / 3 000
		{"D2", "16,7 % số hồ sơ", false},                // 50 / 300
		{"D3", "chưa có số hồ sơ", false},
		{"D4", "16,7 % số hồ sơ", false}, // 100 / 600
	}
	for _, tt := range tests {
		r := row(t, body, "data-agency", tt.code)
		if got, low := rateCell(t, r); got != tt.rate || low != tt.low {
			t.Errorf("%s rate: got %q (low %v), want %q (low %v)", tt.code, got, low, tt.rate, tt.low)
		}
		if got := cellText(t, r, "n"); got == "" || strings.Contains(got, "%") {
			t.Errorf("%s: td.n is %q, want n alone", tt.code, got)
		}
	}
	if got := between(body, `id="weighting" class="weighting">`, "<"); got != "gia quyền theo số người đánh giá, vì đơn vị D3 có đánh giá nhưng chưa có số hồ sơ cả kỳ" {
		t.Errorf("weighting with D3 missing: got %q", got)
	}
	if got := between(body, `id="overall-rate" class="rate">`, "</dd>"); got != "chưa có số hồ sơ" {
		t.Errorf("P's rate (D3 unknown): got %q", got)
	}
	en := b.Get("/dashboard/overview/P?" + q1 + "&lang=en").Body.String()
	if got := between(en, `id="weighting" class="weighting">`, "<"); got != "weighted by respondents, because D3 has ratings but no dossier count for the whole period" {
		t.Errorf("English weighting: got %q", got)
	}
	if got, _ := rateCell(t, row(t, en, "data-agency", "D2")); got != "16.7% of dossiers" {
		t.Errorf("English rate: got %q", got)
	}

	// With every volume: weighted by dossiers, unless asked otherwise.
	importVolumes(t, e, map[string]int64{"D3": 100})
	body = b.Get("/dashboard/overview/P?" + q1).Body.String()
	if got := between(body, `id="weighting" class="weighting">`, "<"); got != "gia quyền theo số hồ sơ" {
		t.Errorf("weighting with every volume: got %q", got)
	}
	if got := between(body, `id="overall-rate" class="rate">`, "</dd>"); !strings.HasPrefix(got, "6,1 % số hồ sơ") { // 255 / 4 200
		t.Errorf("P's rate: got %q", got)
	}
	resp := b.Get("/dashboard/overview/P?" + q1 + "&weighting=respondents").Body.String()
	if got := between(resp, `id="weighting" class="weighting">`, "<"); got != "gia quyền theo số người đánh giá" {
		t.Errorf("weighting=respondents: got %q", got)
	}
	if !strings.Contains(resp, `weighting=respondents" aria-current="true" class="current">Theo số người đánh giá</a>`) {
		t.Errorf("the switch does not mark respondents as current")
	}
	// The sort links, the period form and the language switch keep the
	// weighting.
	sortLink := between(resp, `<th scope="col"><a href="`, `"`)
	switchLink := between(resp, `<a href="`, `" lang="en"`)
	if !strings.Contains(sortLink, "weighting=respondents") || !strings.Contains(resp, `name="weighting" value="respondents"`) {
		t.Errorf("sort link %q or period form drops the weighting", sortLink)
	}
	if sw := regexp.MustCompile(`href="([^"]*)" lang="en"`).FindStringSubmatch(resp); sw == nil || !strings.Contains(sw[1], "weighting=respondents") {
		t.Errorf("language switch drops the weighting: %v (%q)", sw, switchLink)
	}
	for _, u := range []string{"/dashboard/overview/P?weighting=bogus", "/dashboard/agency/D1?weighting=pooled", "/dashboard/overview/P/export.csv?weighting=x"} {
		if w := b.Get(u); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Cách gia quyền") {
			t.Errorf("%s: got %d, want a 400 page about the weighting", u, w.Code)
		}
	}
}

func TestLowResponseRateConfigured(t *testing.T) {
	e := webtest.New(t, webtest.WithConfig(web.Config{LowResponseRate: 0.2}))
	seedLeague(t, e)
	importVolumes(t, e, map[string]int64{"D1": 1000, "D2": 100, "D3": 100, "D4": 200})
	b := e.Client(t)
	b.Login("admin")
	body := b.Get("/dashboard/overview/P?" + q1).Body.String()
	if got, low := rateCell(t, row(t, body, "data-agency", "D2")); got != "16,7 % số hồ sơ ⚠ thấp: dưới 20 %" || !low {
		t.Errorf("D2 under a 20 %% threshold: got %q (low %v)", got, low)
	}
	if !strings.Contains(body, "Dưới 20 % được đánh dấu ⚠") {
		t.Errorf("the legend does not give the threshold")
	}
}

// seedDossierRatings registers n dossiers of an agency received on day
// (at counter, "" for none), due three days later and returned on time
// but for the last late ones, and stores one dossier-bound rating of each
// answering every item value.
func seedDossierRatings(tb testing.TB, e *webtest.Env, agency, counter, day string, n, late int, value uint8) {
	tb.Helper()
	d0, err := time.ParseInLocation("2006-01-02", day, survey.Vietnam)
	if err != nil {
		tb.Fatal(err)
	}
	in := e.Instrument(tb, "sipas-2017")
	var subs []*survey.Submission
	for i := range n {
		received := d0.Add(8*time.Hour + time.Duration(i)*time.Minute)
		due := received.Add(72 * time.Hour)
		returned := due.Add(-time.Hour)
		if i >= n-late {
			returned = due.Add(time.Hour)
		}
		d, _ := e.Dossier(tb, survey.DossierRegistration{AgencyCode: agency, CounterCode: counter, ReceivedAt: received, DueAt: &due, ReturnedAt: &returned})
		at := returned.Add(time.Hour)
		ans := make([]uint8, len(in.Items))
		for k := range ans {
			ans[k] = value
		}
		subs = append(subs, &survey.Submission{SubmissionID: sqlitetest.SubmissionID(), CounterID: d.CounterID, AgencyID: d.AgencyID,
			Instrument: in, Answers: ans, Channel: survey.ChannelDossier, Lang: "vi", ReceivedAt: at,
			DossierID: d.ID, Timeliness: d.Timeliness(at)})
	}
	i := 0
	if _, err := e.DB.BulkLoad(tb.Context(), func() (*survey.Submission, error) {
		if i == len(subs) {
			return nil, nil
		}
		i++
		return subs[i-1], nil
	}); err != nil {
		tb.Fatalf("store dossier ratings: %v", err)
	}
}

const feb = "period=custom&from=2026-02-01&to=2026-02-28"

// seedSplit gives D1 in February: at Q1, 60 dossier-bound ratings (40 of
// 2, 20 of 4: 33 % satisfied; 48 dossiers on time, 12 late) and 60 open
// ones (50 of 5, 10 of 3: 83 %); at R1 40 open ratings only; 5 dossier ratings without a counter;
// and an imported volume of 4 000 dossiers. 53 of the 65 dossiers were
// returned on time.
func seedSplit(tb testing.TB, e *webtest.Env) {
	tb.Helper()
	seedDossierRatings(tb, e, "D1", "Q1", "2026-02-03", 40, 0, 2)
	seedDossierRatings(tb, e, "D1", "Q1", "2026-02-10", 20, 12, 4)
	seedDossierRatings(tb, e, "D1", "", "2026-02-12", 5, 0, 3)
	e.Seed(tb,
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-05", N: 50, Value: 5},
		sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-06", N: 10, Value: 3},
		sqlitetest.Spec{Counter: "D1/R1", Day: "2026-02-07", N: 40, Value: 4},
	)
	if _, err := e.DB.ImportVolumes(tb.Context(), []*survey.VolumeRow{{AgencyCode: "D1", Month: "2026-02", Dossiers: 4000}}, survey.Actor{Name: "test"}); err != nil {
		tb.Fatal(err)
	}
}

func TestAgencyDossiers(t *testing.T) {
	e := webtest.New(t)
	b := e.Client(t)
	b.Login("off")

	// Nothing known yet.
	body := b.Get("/dashboard/agency/D1?" + feb).Body.String()
	if got := between(body, `id="on-time" class="rate">`, "<"); got != "chưa có ngày hẹn trả của hồ sơ" {
		t.Errorf("on time without dossiers: got %q", got)
	}
	if got := between(body, `id="overall-rate" class="rate">`, "</dd>"); got != "chưa có số hồ sơ" {
		t.Errorf("rate without dossiers: got %q", got)
	}

	seedSplit(t, e)
	body = b.Get("/dashboard/agency/D1?" + feb).Body.String()
	if got := between(body, `id="overall-n">`, "<"); got != "165" {
		t.Fatalf("overall n: got %q, want 165", got)
	}
	// 165 / 4 000, below 5 %.
	if got := between(body, `id="overall-rate" class="rate">`, "</dd>"); got != `4,1 % số hồ sơ <strong class="low-rate">⚠ thấp: dưới 5 %</strong>` {
		t.Errorf("overall rate: got %q", got)
	}
	// 53 of 65 returned on time: Wilson [70,4 – 89,1].
	if got := between(body, `id="on-time" class="rate">`, "<"); got != "Đúng hạn: 81,54 % [70,4 – 89,1], n = 65 hồ sơ đã trả" {
		t.Errorf("on time: got %q", got)
	}
	if got := between(body, `id="weighting" class="weighting">`, "<"); got != "gia quyền theo số hồ sơ" {
		t.Errorf("weighting: got %q", got)
	}
	if !strings.Contains(body, "tốt hơn hẳn đánh giá theo hồ sơ, đó là dấu hiệu cần xem xét") {
		t.Errorf("the split lacks its warning sentence")
	}
	split := []struct {
		code                                     string
		dossierIndex, dossierN, openIndex, openN string
		sig                                      string
	}{
		{"Q1", "33,33%", "60", "83,33%", "60", "higher"},
		{"R1", "chưa đủ dữ liệu", "0", "100,00%", "40", ""},
		{"-", "chưa đủ dữ liệu", "5", "chưa đủ dữ liệu", "0", ""},
	}
	for _, tt := range split {
		r := row(t, body, "data-split", tt.code)
		got := []string{cellText(t, r, "dossier-index"), cellText(t, r, "dossier-n"), cellText(t, r, "open-index"), cellText(t, r, "open-n"), tdAttr(t, r, "diff", "data-sig")}
		want := []string{tt.dossierIndex, tt.dossierN, tt.openIndex, tt.openN, tt.sig}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("split %s: got %q, want %q", tt.code, got, want)
		}
		if tt.sig == "" && strings.Contains(r, `class="sig`) {
			t.Errorf("split %s: a marker where none is due: %s", tt.code, r)
		}
	}
	if r := row(t, body, "data-split", "Q1"); !strings.Contains(r, "▲ QR mở cao hơn có ý nghĩa") || cellText(t, r, "dossier-ci") == "–" {
		t.Errorf("Q1 split: no textual marker or no interval: %s", r)
	}
	if r := row(t, body, "data-split", "-"); !strings.Contains(r, "Hồ sơ không ghi quầy") {
		t.Errorf("the row without a counter is not named: %s", r)
	}
	// The counters table still counts every response of each counter.
	if got := cellText(t, row(t, body, "data-counter", "Q1"), "n"); got != "120" {
		t.Errorf("Q1 responses: got %q, want 120", got)
	}
	en := b.Get("/dashboard/agency/D1?" + feb + "&lang=en").Body.String()
	if got := between(en, `id="on-time" class="rate">`, "<"); got != "On time: 81.54% [70.4 – 89.1], n = 65 dossiers returned" {
		t.Errorf("English on time: got %q", got)
	}
	if r := row(t, en, "data-split", "-"); !strings.Contains(r, "Dossiers without a counter") {
		t.Errorf("English split row without a counter: %s", r)
	}
}

func TestDossierExports(t *testing.T) {
	e := webtest.New(t)
	seedSplit(t, e)
	b := e.Client(t)
	b.Login("admin")

	recs := readCSV(t, bytes.TrimPrefix(b.Get("/dashboard/overview/P/export.csv?"+feb).Body.Bytes(), []byte("\ufeff")))
	hdr := recs[5]
	col := map[string]int{}
	for i, h := range hdr {
		col[h] = i
	}
	for _, h := range []string{"Số hồ sơ", "Tỷ lệ phản hồi (%)", "Đúng hạn (%)", "Đúng hạn KTC dưới (%)", "Đúng hạn KTC trên (%)", "Số hồ sơ đã trả (n)", "Gia quyền", "Cách gia quyền"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("overview CSV lacks column %q: %v", h, hdr)
		}
	}
	byCode := map[string][]string{}
	for _, r := range recs[6:] {
		if len(r) != len(hdr) {
			t.Errorf("row %s has %d cells, the header %d", r[0], len(r), len(hdr))
		}
		byCode[r[0]] = r
	}
	d1 := byCode["D1"]
	if d1[col["Số hồ sơ"]] != "4000" || d1[col["Tỷ lệ phản hồi (%)"]] != "4.13" || d1[col["Đúng hạn (%)"]] != "81.54" ||
		d1[col["Đúng hạn KTC dưới (%)"]] != "70.45" || d1[col["Số hồ sơ đã trả (n)"]] != "65" || d1[col["Gia quyền"]] != "volume" {
		t.Errorf("D1 row: got %v", d1)
	}
	if d2 := byCode["D2"]; d2[col["Số hồ sơ"]] != "" || d2[col["Tỷ lệ phản hồi (%)"]] != "" || d2[col["Đúng hạn (%)"]] != "" {
		t.Errorf("D2 (nothing known): got %v", d2)
	}
	// Only D1 has ratings, and its volume: P is weighted by dossiers.
	if p := byCode["P"]; p[col["Cách gia quyền"]] != "gia quyền theo số hồ sơ" || p[col["Số hồ sơ"]] != "4000" {
		t.Errorf("P's row: got %v", p)
	}

	x := b.Get("/dashboard/agency/D1/export.xlsx?" + feb)
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	xr, err := f.GetRows("SIPAS")
	if err != nil {
		t.Fatal(err)
	}
	xcol := map[string]int{}
	for i, h := range xr[6] {
		xcol[h] = i
	}
	overall := xr[7]
	get := func(h string) string {
		i, ok := xcol[h]
		if !ok {
			t.Fatalf("agency XLSX lacks column %q: %v", h, xr[6])
		}
		if i >= len(overall) {
			return ""
		}
		return overall[i]
	}
	if overall[0] != "D1" || get("Số hồ sơ") != "4000" || get("Đúng hạn (%)") != "81.54" || get("Số hồ sơ đã trả (n)") != "65" ||
		get("Gia quyền") != "volume" || get("Cách gia quyền") != "gia quyền theo số hồ sơ" {
		t.Errorf("agency XLSX overall row: got %v", overall)
	}
}
