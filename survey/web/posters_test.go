package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

func TestPosters(t *testing.T) {
	base := webtest.BaseURL
	webtest.Run(t, []webtest.Scenario{
		{Name: "poster", URL: "/s/{D1/Q1}/poster", WantStatus: 200,
			WantContains: []string{`<html lang="vi">`, "Sở Tư pháp", "Quầy hộ tịch", base + "/s/{D1/Q1}", "D1/Q1",
				`src="data:image/svg&#43;xml;base64,`, "Quét mã QR"},
			WantNot: []string{"ZgotmplZ"}},
		{Name: "poster of a closed counter", URL: "/s/{D1/Z1}/poster", WantStatus: 410},
		{Name: "agency sheet", URL: "/agencies/D1/posters", User: "admin", WantStatus: 200,
			WantContains: []string{"Quầy hộ tịch", "Máy tính bảng", "Quầy chứng thực", base + "/s/{D1/Q1}", base + "/s/{D1/R1}", "3 quầy"},
			WantNot:      []string{"Quầy đã đóng", base + "/s/{ROT}\"", "ZgotmplZ"},
			Check: func(t *testing.T, _ *webtest.Env, w *httptest.ResponseRecorder) {
				if n := strings.Count(w.Body.String(), `<section class="poster">`); n != 3 {
					t.Fatalf("got %d posters, want the 3 open counters", n)
				}
			}},
		{Name: "agency sheet for an official of the agency", URL: "/agencies/C1/posters", User: "off", WantStatus: 200,
			WantContains: []string{"Quầy xã", "UBND xã Nhơn Ái"}},
		{Name: "agency sheet outside the official's subtree", URL: "/agencies/D2/posters", User: "off", WantStatus: 403},
		{Name: "agency sheet needs a login", URL: "/agencies/D1/posters", WantStatus: 401},
		{Name: "agency sheet of no agency", URL: "/agencies/NOPE/posters", User: "admin", WantStatus: 404},
		{Name: "agency sheet without counters", URL: "/agencies/P/posters", User: "admin", WantStatus: 404,
			WantContains: []string{`{"error":"this agency has no open counters"}`}},
		// The dashboard's sheet answers in the dashboard's layout and language.
		{Name: "dashboard sheet", URL: "/dashboard/agency/D1/posters", Session: "off", WantStatus: 200,
			WantContains: []string{"Quầy hộ tịch"}},
		{Name: "dashboard sheet without counters", URL: "/dashboard/agency/P/posters", Session: "admin", WantStatus: 404,
			WantContains: []string{"Đơn vị này không có quầy nào đang hoạt động.", "Về trang tổng quan"}, WantNot: []string{"no open counters"}},
		{Name: "dashboard sheet outside the official's subtree", URL: "/dashboard/agency/D2/posters", Session: "off", WantStatus: 403,
			WantContains: []string{"Tài khoản của Ông/Bà không được xem hoặc thay đổi đơn vị này."}},
	})
}
