package survey_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
)

func TestTargetBind(t *testing.T) {
	now := time.Date(2026, 4, 15, 10, 0, 0, 0, survey.Vietnam)
	due := now.Add(-time.Hour)
	counter := &survey.Counter{ID: 7, AgencyID: 3}
	tests := []struct {
		name   string
		tg     *survey.Target
		in     string
		want   survey.Submission
		rated  bool
		kiosks bool
	}{
		{"counter", &survey.Target{Counter: counter}, survey.ChannelKiosk,
			survey.Submission{CounterID: 7, AgencyID: 3, Channel: survey.ChannelKiosk, ReceivedAt: now}, false, true},
		{"dossier of a counter", &survey.Target{Counter: counter, Dossier: &survey.Dossier{ID: 9, AgencyID: 3, CounterID: 7}}, survey.ChannelAPI,
			survey.Submission{CounterID: 7, AgencyID: 3, Channel: survey.ChannelDossier, DossierID: 9, Timeliness: survey.Pending, ReceivedAt: now}, false, false},
		{"counterless dossier, past due, rated", &survey.Target{Dossier: &survey.Dossier{ID: 9, AgencyID: 4, DueAt: &due, Rated: true}}, survey.ChannelWeb,
			survey.Submission{AgencyID: 4, Channel: survey.ChannelDossier, DossierID: 9, Timeliness: survey.Late, ReceivedAt: now}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sub survey.Submission
			tt.tg.Bind(&sub, tt.in, now)
			if !reflect.DeepEqual(sub, tt.want) {
				t.Fatalf("got %+v, want %+v", sub, tt.want)
			}
			if tt.tg.Rated() != tt.rated || tt.tg.TakesKiosk() != tt.kiosks {
				t.Fatalf("Rated %v TakesKiosk %v, want %v %v", tt.tg.Rated(), tt.tg.TakesKiosk(), tt.rated, tt.kiosks)
			}
		})
	}
}
