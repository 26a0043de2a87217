package survey

import "testing"

func TestMayUpdateSelf(t *testing.T) {
	yes, no := true, false
	admin, official := RoleAdmin, RoleOfficial
	agency := "D1"
	for _, tt := range []struct {
		name string
		u    UserUpdate
		want bool
	}{
		{"disable", UserUpdate{Disabled: &yes}, false},
		{"enable", UserUpdate{Disabled: &no}, true},
		{"give up admin", UserUpdate{Role: &official, AgencyCode: &agency}, false},
		{"stay admin, move agency", UserUpdate{Role: &admin, AgencyCode: &agency}, true},
		{"nothing", UserUpdate{}, true},
	} {
		if got := MayUpdateSelf(tt.u); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
