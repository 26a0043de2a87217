package dashboard

import (
	"testing"
)

func TestNextIsLocal(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/dashboard/agency/A?period=year", "/dashboard/agency/A?period=year"},
		{"", "/dashboard"},
		{"https://evil.example/", "/dashboard"},
		{"//evil.example/x", "/dashboard"},
		{"/\\evil.example", "/dashboard"},
		{"javascript:alert(1)", "/dashboard"},
		{"/login", "/dashboard"},
		{"dashboard", "/dashboard"},
		{"/ok\r\nSet-Cookie: x=1", "/dashboard"},
	}
	for _, tt := range tests {
		if got := localNext(tt.next); got != tt.want {
			t.Errorf("localNext(%q): got %q, want %q", tt.next, got, tt.want)
		}
	}
}
