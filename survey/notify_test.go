package survey_test

import (
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
)

func TestParseEmail(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "",
		"  ":                                   "",
		"lan@tuphap.tinh.gov.vn":               "lan@tuphap.tinh.gov.vn",
		" nguyen.van.a@hue.gov.vn ":            "nguyen.van.a@hue.gov.vn",
		strings.Repeat("a", 245) + "@x.gov.vn": strings.Repeat("a", 245) + "@x.gov.vn",
	} {
		if got, err := survey.ParseEmail(in); err != nil || got != want {
			t.Errorf("ParseEmail(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"lan", "lan@", "@hue.gov.vn", "lan@localhost", "Lan <lan@hue.gov.vn>", "a@b.vn, c@d.vn", "lan @hue.gov.vn",
		strings.Repeat("a", 246) + "@x.gov.vn"} {
		if _, err := survey.ParseEmail(in); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("ParseEmail(%q) = %v, want EINVALID", in, err)
		}
	}
}
