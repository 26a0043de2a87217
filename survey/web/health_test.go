package web_test

import (
	"testing"

	"github.com/sipas/sipas/survey/web/webtest"
)

// The health checks, and what answers a path or method no route takes.
func TestHealthAndFallbacks(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "health", URL: "/healthz", WantStatus: 200, WantContains: []string{"ok"}},
		{Name: "ready", URL: "/readyz", WantStatus: 200, WantContains: []string{"ready"}},
		{Name: "unknown page", URL: "/nowhere", WantStatus: 404, WantContains: []string{"Không tìm thấy trang"}},
		{Name: "wrong method", Method: "DELETE", URL: "/s/{D1/Q1}", WantStatus: 405},
	})
}
