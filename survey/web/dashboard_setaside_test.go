package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/dashboard"
)

// TestDashboardSetAside: beside every n of an agency's index the
// dashboard shows how many ratings were set aside, with the tooltip that
// says what they are, in both languages and in the exports; where none
// were, nothing is added.
func TestDashboardSetAside(t *testing.T) {
	e := seedSetAside(t)
	b := e.Client(t)
	b.Login("admin")
	vi, en := dashboard.TextsIn("vi"), dashboard.TextsIn("en")
	title := `title="` + vi.SetAsideTitle + `"`

	agency := b.Get("/dashboard/agency/D1?" + april).Body.String()
	if got := between(agency, `id="overall-n">`, "<"); got != "3" {
		t.Errorf("agency n: got %q, want 3 (n alone)", got)
	}
	if got := between(agency, `<dd id="overall-set-aside" class="set-aside" `+title+`>`, "<"); got != "5 tách riêng" {
		t.Errorf("agency set aside: got %q, want %q", got, "5 tách riêng")
	}
	// The trend: April has 5, March 1, the months before none.
	if got := cellText(t, row(t, agency, "data-month", "2026-04"), "n"); got != "3 · 5 tách riêng" {
		t.Errorf("trend April: got %q", got)
	}
	if got := cellText(t, row(t, agency, "data-month", "2026-03"), "n"); got != "0 · 1 tách riêng" {
		t.Errorf("trend March: got %q", got)
	}
	if r := row(t, agency, "data-month", "2026-02"); strings.Contains(r, "set-aside") {
		t.Errorf("trend February has no set-aside ratings, yet: %s", r)
	}
	if d2 := b.Get("/dashboard/agency/D3?" + april).Body.String(); strings.Contains(d2, `id="overall-set-aside"`) {
		t.Errorf("D3 has no set-aside ratings, yet the page shows a count")
	}

	overview := b.Get("/dashboard/overview/P?" + april).Body.String()
	if got := between(overview, `<dd id="overall-set-aside" class="set-aside" `+title+`>`, "<"); got != "6 tách riêng" {
		t.Errorf("overview P set aside: got %q, want 6", got)
	}
	for code, want := range map[string]string{"D1": "3 · 5 tách riêng", "D2": "2 · 1 tách riêng", "D3": "0", "D4": "0"} {
		r := row(t, overview, "data-agency", code)
		if got := cellText(t, r, "n"); got != want {
			t.Errorf("overview %s n: got %q, want %q", code, got, want)
		}
		if want != "0" && !strings.Contains(r, `<span class="set-aside" `+title+`>`) {
			t.Errorf("overview %s: the count has no tooltip: %s", code, r)
		}
	}
	overviewEN := b.Get("/dashboard/overview/P?" + april + "&lang=en").Body.String()
	if got := cellText(t, row(t, overviewEN, "data-agency", "D1"), "n"); got != "3 · 5 set aside" || !strings.Contains(overviewEN, `title="`+en.SetAsideTitle+`"`) {
		t.Errorf("English overview D1 n: got %q", got)
	}

	// The exports have the count after n on the agencies' rows.
	recs := readCSV(t, bytes.TrimPrefix(b.Get("/dashboard/overview/P/export.csv?"+april).Body.Bytes(), []byte("\ufeff")))
	hdr := recs[5]
	if hdr[5] != "n" || hdr[6] != "Tách riêng" {
		t.Fatalf("overview CSV header: %v", hdr)
	}
	got := map[string]string{}
	for _, r := range recs[6:] {
		got[r[0]] = r[5] + "/" + r[6]
	}
	for code, want := range map[string]string{"P": "5/6", "D1": "3/5", "D2": "2/1", "D3": "0/0"} {
		if got[code] != want {
			t.Errorf("overview CSV %s n/set aside: got %q, want %q", code, got[code], want)
		}
	}
	recs = readCSV(t, bytes.TrimPrefix(b.Get("/dashboard/agency/D1/export.csv?"+april+"&lang=en").Body.Bytes(), []byte("\ufeff")))
	if hdr, overall := recs[5], recs[6]; hdr[6] != "Set aside" || overall[0] != "D1" || overall[6] != "5" {
		t.Errorf("agency CSV: header %v, overall row %v", hdr, overall)
	}
	if elem := recs[7]; elem[6] != "" {
		t.Errorf("agency CSV element row %s: set aside %q, want empty (counted per agency)", elem[0], elem[6])
	}
}
