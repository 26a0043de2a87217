package web_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

// The dashboard over a reorganised standard province (P > D1 > C1, D2,
// D3, D4; the clock at 2026-04-15): D3 and D4, rated in March 2026, merge
// into a new X on 2026-04-01, which is rated itself in April.

// mergedProvince seeds the ratings and records the merger through the
// store.
func mergedProvince(t *testing.T) *webtest.Env {
	t.Helper()
	e := webtest.New(t)
	e.Seed(t,
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-03-20", N: 40, Value: 4},
		sqlitetest.Spec{Counter: "D4/Q1", Day: "2026-03-25", N: 40, Value: 3},
	)
	_, err := e.DB.Reorganise(t.Context(), []survey.Event{{Kind: survey.EventMerge,
		Merge: &survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2026-04-01", Name: "Sở mới"}}}, survey.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	// D3's counter moved to X with its code.
	e.Seed(t, sqlitetest.Spec{Counter: "X/Q1", Day: "2026-04-10", N: 35, Value: 5})
	return e
}

const reorgYear = "period=year"

func TestDashboardReorgAgencyPage(t *testing.T) {
	e := mergedProvince(t)
	b := e.Client(t)
	b.Login("admin")
	w := b.Get("/dashboard/agency/X?" + reorgYear)
	if w.Code != http.StatusOK {
		t.Fatalf("X's page: got %d: %.300s", w.Code, w.Body)
	}
	body := w.Body.String()
	lineage := between(body, `<section aria-labelledby="lineage-h"`, "</section>")
	if !strings.Contains(lineage, "Lịch sử tổ chức") || !strings.Contains(lineage, `data-lineage="merged-from"`) ||
		!strings.Contains(lineage, "Sáp nhập từ:") || !strings.Contains(lineage, "— 01/04/2026") {
		t.Errorf("lineage block: got %q", lineage)
	}
	for _, code := range []string{"D3", "D4"} {
		if !strings.Contains(lineage, `<a href="/dashboard/agency/`+code+`?period=year">`) {
			t.Errorf("lineage: no link to %s's page in %q", code, lineage)
		}
	}
	if got := between(body, `id="overall-merged" class="merged-note">`, "</dd>"); !strings.Contains(got, "trước sáp nhập: gộp từ 2 đơn vị cũ (D3, D4)") ||
		!strings.Contains(got, `title="D3 Sở Xây dựng; D4 Sở Tài chính"`) {
		t.Errorf("overall index note: got %q", got)
	}
	// The roll-up mode is stated, with the switch to the other.
	if got := between(body, `id="as-mode"`, "</p>"); !strings.Contains(got, "Mỗi đơn vị được tính theo đơn vị cấp trên vào từng ngày.") ||
		!strings.Contains(got, `href="/dashboard/agency/X?as=current&amp;period=year"`) {
		t.Errorf("mode sentence: got %q", got)
	}
	// The trend: March is combined (a dashed segment and hollow dot up to
	// April, and the merger's rule between them), April is X's own.
	svg := between(body, `id="chart-trend-t"`, "</svg>")
	for _, want := range []string{`<g class="merger">`, `sáp nhập</text>`, `class="combined"`, `stroke-dasharray="6 4"`, `fill="#ffffff"`, "gộp từ 2 đơn vị cũ: D3, D4"} {
		if !strings.Contains(svg, want) {
			t.Errorf("trend chart lacks %q", want)
		}
	}
	wellFormed(t, body, "chart-trend")
	wellFormed(t, body, "chart-trend-n")
	list := between(body, `id="combined-months"`, "</div>")
	if !strings.Contains(list, "<li>03/2026: trước sáp nhập: gộp từ 2 đơn vị cũ (D3 Sở Xây dựng; D4 Sở Tài chính)</li>") || strings.Contains(list, "04/2026") {
		t.Errorf("combined months list: got %q", list)
	}
	if r := row(t, body, "data-month", "2026-03"); !strings.Contains(r, `data-combined="true"`) {
		t.Errorf("March row: got %q", r)
	}
	if r := row(t, body, "data-month", "2026-04"); strings.Contains(r, "data-combined") {
		t.Errorf("April row is marked combined: %q", r)
	}
	// April alone is X's own; the fifteen days before it, its
	// predecessors'.
	month := b.Get("/dashboard/agency/X?period=month").Body.String()
	if strings.Contains(month, `id="overall-merged"`) {
		t.Errorf("April: the index is marked combined")
	}
	if got := between(month, `id="previous-merged" class="merged-note">`, "</dd>"); !strings.Contains(got, "kỳ trước, trước sáp nhập: gộp từ 2 đơn vị cũ (D3, D4)") {
		t.Errorf("April: previous period note: got %q", got)
	}
	// The predecessor's page says where it went; English too.
	d3 := b.Get("/dashboard/agency/D3?" + reorgYear).Body.String()
	if got := between(d3, `data-lineage="merged-into"`, "</li>"); !strings.Contains(got, "Đã sáp nhập vào") || !strings.Contains(got, `<a href="/dashboard/agency/X?period=year">Sở mới</a>`) {
		t.Errorf("D3's lineage: got %q", got)
	}
	en := b.Get("/dashboard/agency/X?" + reorgYear + "&lang=en").Body.String()
	if !strings.Contains(en, "Merged from:") || !strings.Contains(en, "before the merger: combined from 2 former units") ||
		!strings.Contains(en, dashboard.TextsIn("en").AsDatedText) {
		t.Errorf("English page lacks the lineage, the note or the mode")
	}
	// An agency with no history shows no lineage block.
	if d1 := b.Get("/dashboard/agency/D1?" + reorgYear).Body.String(); strings.Contains(d1, `id="lineage"`) {
		t.Errorf("D1 has no history but shows a lineage block")
	}
}

func TestDashboardReorgOverview(t *testing.T) {
	e := mergedProvince(t)
	b := e.Client(t)
	b.Login("admin")
	cur := b.Get("/dashboard/overview/P?" + reorgYear + "&as=current")
	if cur.Code != http.StatusOK {
		t.Fatalf("overview as=current: got %d: %.300s", cur.Code, cur.Body)
	}
	body := cur.Body.String()
	if !strings.Contains(body, `<tr data-agency="X"`) {
		t.Errorf("as=current: X is not listed")
	}
	for _, code := range []string{"D3", "D4"} {
		if strings.Contains(body, `<tr data-agency="`+code+`"`) {
			t.Errorf("as=current: merged %s is listed", code)
		}
	}
	if got := between(body, `id="as-mode"`, "</p>"); !strings.Contains(got, "Toàn bộ kỳ được tính theo cơ cấu tổ chức hiện nay; đơn vị đã sáp nhập được tính vào đơn vị kế thừa.") ||
		!strings.Contains(got, `href="/dashboard/overview/P?dir=asc&amp;period=year&amp;sort=index"`) {
		t.Errorf("mode sentence: got %q", got)
	}
	if r := row(t, body, "data-agency", "X"); !strings.Contains(r, "gộp từ 2 đơn vị cũ (D3, D4)") {
		t.Errorf("X's row lacks the merger note: %q", r)
	}
	// The mode is kept in the links and the period form.
	if !strings.Contains(body, `<input type="hidden" name="as" value="current">`) {
		t.Errorf("the period form does not keep as=current")
	}
	if !strings.Contains(body, `href="/dashboard/agency/X?as=current&amp;period=year"`) {
		t.Errorf("X's link does not keep as=current")
	}
	if !strings.Contains(body, "as=current&amp;lang=en") {
		t.Errorf("the language switch does not keep as=current")
	}
	// By default the predecessors are their own rows in the year.
	dated := b.Get("/dashboard/overview/P?" + reorgYear).Body.String()
	for _, code := range []string{"D3", "D4", "X"} {
		if !strings.Contains(dated, `<tr data-agency="`+code+`"`) {
			t.Errorf("dated overview: %s is not listed", code)
		}
	}
	// A bad mode is a 400 page.
	for _, url := range []string{"/dashboard/overview/P?as=bogus", "/dashboard/agency/X?as=bogus", "/dashboard/overview/P/export.csv?as=bogus"} {
		w := b.Get(url)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `&#34;bogus&#34;`) {
			t.Errorf("%s: got %d: %.300s", url, w.Code, w.Body)
		}
	}
	if w := b.Get("/dashboard/overview/P?as=dated"); w.Code != http.StatusOK {
		t.Errorf("as=dated: got %d", w.Code)
	}
}

func TestDashboardReorgScope(t *testing.T) {
	e := mergedProvince(t)
	addOfficial(t, e, "offx", "X")
	x := e.Client(t)
	x.Login("offx")
	if w := x.Get("/dashboard/agency/D3?" + reorgYear); w.Code != http.StatusOK {
		t.Errorf("official of X on D3's page (a predecessor): got %d", w.Code)
	}
	if w := x.Get("/dashboard/agency/D1?" + reorgYear); w.Code != http.StatusForbidden {
		t.Errorf("official of X on D1's page: got %d", w.Code)
	}
	d1 := e.Client(t)
	d1.Login("off")
	if w := d1.Get("/dashboard/agency/D3?" + reorgYear); w.Code != http.StatusForbidden {
		t.Errorf("official of D1 on D3's page: got %d", w.Code)
	}
	// A unit split off has the old agency's history too.
	_, err := e.DB.Reorganise(t.Context(), []survey.Event{{Kind: survey.EventSplit, Split: &survey.Split{From: "D2", Date: "2026-04-10",
		Into: []survey.SplitPart{{Code: "D2A", Name: "Sở A"}, {Code: "D2B", Name: "Sở B"}}}}}, survey.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("split: %v", err)
	}
	addOfficial(t, e, "offa", "D2A")
	a := e.Client(t)
	a.Login("offa")
	if w := a.Get("/dashboard/agency/D2?" + reorgYear); w.Code != http.StatusOK {
		t.Errorf("official of D2A on D2's page (split from it): got %d", w.Code)
	}
	if w := a.Get("/dashboard/agency/D2B?" + reorgYear); w.Code != http.StatusForbidden {
		t.Errorf("official of D2A on D2B's page (a sibling): got %d", w.Code)
	}
}

func TestDashboardReorgExports(t *testing.T) {
	e := mergedProvince(t)
	b := e.Client(t)
	b.Login("admin")
	const note = "trước sáp nhập: gộp từ 2 đơn vị cũ (D3 Sở Xây dựng; D4 Sở Tài chính)"
	// The agency's export: every row carries the note.
	recs := readCSV(t, bytes.TrimPrefix(b.Get("/dashboard/agency/X/export.csv?"+reorgYear).Body.Bytes(), []byte("\ufeff")))
	hdr := recs[5] // after the heading lines (the blank line is skipped)
	if hdr[len(hdr)-1] != "Ghi chú sáp nhập" {
		t.Fatalf("agency CSV header: got %v", hdr)
	}
	for _, r := range recs[6:] {
		if len(r) != len(hdr) || r[len(r)-1] != note {
			t.Errorf("agency CSV row %s: got %v", r[0], r)
		}
	}
	// The overview's: X's row, under today's tree and by default.
	for _, q := range []string{reorgYear + "&as=current", reorgYear} {
		recs := readCSV(t, bytes.TrimPrefix(b.Get("/dashboard/overview/P/export.csv?"+q).Body.Bytes(), []byte("\ufeff")))
		hdr := recs[5]
		if hdr[len(hdr)-1] != "Ghi chú sáp nhập" {
			t.Fatalf("overview CSV header: got %v", hdr)
		}
		rows := map[string][]string{}
		for _, r := range recs[6:] {
			if len(r) != len(hdr) {
				t.Errorf("%s: row %s has %d cells, the header %d", q, r[0], len(r), len(hdr))
			}
			rows[r[0]] = r
		}
		if x := rows["X"]; x == nil || x[len(x)-1] != note {
			t.Errorf("%s: X's row: got %v", q, x)
		}
		if d1 := rows["D1"]; d1 == nil || d1[len(d1)-1] != "" {
			t.Errorf("%s: D1's row: got %v", q, d1)
		}
	}
	// XLSX: the same column.
	f, err := excelize.OpenReader(bytes.NewReader(b.Get("/dashboard/overview/P/export.xlsx?" + reorgYear + "&as=current").Body.Bytes()))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	xr, err := f.GetRows("SIPAS")
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range xr[6] {
		if h == "Ghi chú sáp nhập" {
			col = i
		}
	}
	found := false
	for _, r := range xr[7:] {
		if r[0] == "X" {
			found = col >= 0 && col < len(r) && r[col] == note
		}
	}
	if !found {
		t.Errorf("overview XLSX: no note on X's row (column %d): %v", col, xr)
	}
}

// wellFormed checks that the SVG chart id of a page is well-formed XML.
func wellFormed(t *testing.T, body, id string) {
	t.Helper()
	end := strings.Index(body, `<title id="`+id+`-t">`)
	start := strings.LastIndex(body[:max(end, 0)], "<svg")
	if end < 0 || start < 0 {
		t.Fatalf("no chart %s", id)
	}
	svg := body[start:]
	svg = svg[:strings.Index(svg, "</svg>")+len("</svg>")]
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("chart %s is not well-formed: %v", id, err)
		}
	}
}

// A unit that moved within the period is a row of each parent for its
// days under it, and says so on the page and in the export.
func TestDashboardReorgMovedRow(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t,
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-03-20", N: 30, Value: 4},
		sqlitetest.Spec{Counter: "D2/Q1", Day: "2026-04-05", N: 20, Value: 5},
	)
	_, err := e.DB.Reorganise(t.Context(), []survey.Event{{Kind: survey.EventMove,
		Move: &survey.Move{Agency: "D2", Parent: "D1", Date: "2026-04-01"}}}, survey.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("move: %v", err)
	}
	b := e.Client(t)
	b.Login("admin")
	body := b.Get("/dashboard/overview/P?" + reorgYear).Body.String()
	const note = "chỉ tính thời gian trực thuộc đơn vị này: 01/01/2026 – 31/03/2026"
	if r := row(t, body, "data-agency", "D2"); !strings.Contains(r, note) || !strings.Contains(r, ">30<") {
		t.Errorf("P's row of D2: want March's 30 and %q, got %q", note, r)
	}
	if r := row(t, body, "data-agency", "D1"); strings.Contains(r, "chỉ tính") || !strings.Contains(r, ">20<") {
		t.Errorf("P's row of D1: want April's 20 and no note, got %q", r)
	}
	recs := readCSV(t, bytes.TrimPrefix(b.Get("/dashboard/overview/P/export.csv?"+reorgYear).Body.Bytes(), []byte("\ufeff")))
	found := false
	for _, r := range recs[6:] {
		if r[0] == "D2" {
			found = r[len(r)-1] == note
		}
	}
	if !found {
		t.Errorf("overview CSV: D2's row lacks %q: %v", note, recs)
	}
	d1 := b.Get("/dashboard/overview/D1?" + reorgYear).Body.String()
	if r := row(t, d1, "data-agency", "D2"); !strings.Contains(r, "chỉ tính thời gian trực thuộc đơn vị này: 01/04/2026") {
		t.Errorf("D1's row of D2: got %q", r)
	}
}

// A task whose unit merged since is followed at the successor, and its
// page says so; the official of the successor records its progress.
func TestDashboardReorgTaskFollows(t *testing.T) {
	e := webtest.New(t)
	e.Seed(t, sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-02-10", N: 40, Value: 4},
		sqlitetest.Spec{Counter: "D3/Q1", Day: "2026-03-10", N: 40, Value: 5})
	a := e.Client(t)
	a.Login("admin")
	id := createPlan(t, a, "P", "Kế hoạch của tỉnh", "overall 80")
	task := createTask(t, e, a, id, taskForm("Việc của D3", "D3", "TT1", "2026-03-01", "2026-06-30"))
	_, err := e.DB.Reorganise(t.Context(), []survey.Event{{Kind: survey.EventMerge,
		Merge: &survey.Merge{Into: "X", From: []string{"D3", "D4"}, Date: "2026-04-01", Name: "Sở mới"}}}, survey.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	body := a.Get(task).Body.String()
	const want = "Đơn vị phụ trách D3 đã sáp nhập vào X ngày 01/04/2026: nhiệm vụ được theo dõi tại đơn vị kế thừa"
	if got := between(body, `<p class="reorg-note" id="task-reorg">`, "</p>"); !strings.Contains(got, want) {
		t.Errorf("task page: reorganisation note %q, want %q", got, want)
	}
	addOfficial(t, e, "offx", "X")
	x := e.Client(t)
	x.Login("offx")
	if w := x.Post(task, url.Values{"status": {"doing"}, "note": {"Tiếp tục tại đơn vị mới"}}); w.Code != http.StatusSeeOther {
		t.Errorf("progress by X's official: got %d: %.300s", w.Code, w.Body)
	}
	// The numbers are X's: an official of D3 (who may not see X) reads
	// the verdicts only; X's official reads them all.
	addOfficial(t, e, "off3", "D3")
	for user, redacted := range map[string]bool{"off3": true, "offx": false} {
		var eff struct {
			Responsible string `json:"responsible"`
			Redacted    bool   `json:"redacted"`
		}
		call(t, e, http.MethodGet, "/api/v1"+strings.TrimPrefix(task, "/dashboard")+"/effect", user, "", http.StatusOK, &eff)
		if eff.Responsible != "X" || eff.Redacted != redacted {
			t.Errorf("%s: effect of %s, redacted %v; want X, %v", user, eff.Responsible, eff.Redacted, redacted)
		}
	}
}
