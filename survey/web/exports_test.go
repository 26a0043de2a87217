package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web/webtest"
)

func TestExports(t *testing.T) {
	e := webtest.New(t)
	seedLeague(t, e)
	e.Seed(t, sqlitetest.Spec{Counter: "D1/Q1", Day: "2026-02-10", N: 1, Value: 1, Comment: "=HYPERLINK(\"http://x\")"})
	b := e.Client(t)
	b.Login("admin")

	csvBody := b.Get("/dashboard/overview/P/export.csv?" + q1)
	if ct := csvBody.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(csvBody.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv headers: %v", csvBody.Header())
	}
	raw := csvBody.Body.Bytes()
	if !bytes.HasPrefix(raw, []byte("\ufeff")) {
		t.Fatalf("CSV lacks the UTF-8 BOM")
	}
	recs := readCSV(t, raw[3:])
	if recs[1][0] != "Kỳ báo cáo" || recs[1][1] != "2026-01-01" || recs[1][2] != "2026-03-31" {
		t.Errorf("period line: got %v", recs[1])
	}
	hdr, rows := recs[5], recs[6:]
	if hdr[2] != "Chỉ số (%)" || hdr[3] != "KTC dưới (%)" || hdr[4] != "KTC trên (%)" || hdr[5] != "n" || hdr[6] != "Tách riêng" || hdr[7] != "Ghi chú" {
		t.Errorf("header: got %v", hdr)
	}
	byCode := map[string][]string{}
	for _, r := range rows {
		byCode[r[0]] = r
	}
	if r := byCode["D4"]; r[2] != "10.00" || r[3] == "" || r[4] == "" || r[5] != "100" || r[6] != "0" || r[10] != "lower" {
		t.Errorf("D4: got %v", r)
	}
	if r := byCode["D3"]; r[2] != "" || r[5] != "5" || r[6] != "0" || r[7] != "chưa đủ dữ liệu" {
		t.Errorf("D3: got %v", r)
	}

	x := b.Get("/dashboard/agency/D1/export.xlsx?" + q1)
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	xr, err := f.GetRows("SIPAS")
	if err != nil {
		t.Fatalf("rows: %v", err)
	}
	if xr[1][1] != "2026-01-01" || xr[1][2] != "2026-03-31" || xr[6][2] != "Chỉ số (%)" || xr[6][5] != "n" || xr[6][6] != "Tách riêng" {
		t.Errorf("xlsx heading: got %v / %v", xr[1], xr[6])
	}
	found := false
	for _, r := range xr[7:] {
		if r[0] == "TC1" {
			found = true
			if r[5] != "101" || r[2] == "" || r[3] == "" || r[4] == "" {
				t.Errorf("TC1 row: got %v", r)
			}
		}
	}
	if !found {
		t.Errorf("no TC1 row in %v", xr)
	}
	ov, err := f.GetCellValue("SIPAS", "C8")
	if err != nil || !strings.Contains(ov, ".") {
		t.Errorf("overall index cell: got %q (%v), want a number with decimals", ov, err)
	}

	rawResp := b.Get("/dashboard/agency/D1/responses.csv?" + q1)
	rr := readCSV(t, bytes.TrimPrefix(rawResp.Body.Bytes(), []byte("\ufeff")))
	if len(rr) != 102 || rr[0][9] != "TC1" || rr[0][len(rr[0])-1] != "comment" {
		t.Fatalf("raw responses: got %d lines, header %v", len(rr), rr[0])
	}
	var commented []string
	for _, r := range rr[1:] {
		if r[len(r)-1] != "" {
			commented = r
		}
	}
	if commented == nil || commented[3] != "D1" || commented[4] != "Q1" || commented[9] != "1" || commented[len(commented)-1] != "'=HYPERLINK(\"http://x\")" {
		t.Errorf("raw response row: got %v, want D1/Q1 with answers 1 and the comment defused", commented)
	}
}
