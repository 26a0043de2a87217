package browser_test

import (
	"testing"
	"time"
)

// TestBrowser drives one Chromium through the journeys of the issue, each
// in its own tab and browser context (own cookies), over one server and
// one SQLite file.
func TestBrowser(t *testing.T) {
	start := time.Now()
	e := newEnv(t)
	t.Run("citizen", e.citizenJourney)
	t.Run("dossier", e.dossierJourney)
	t.Run("official", e.officialJourney)
	t.Run("admin", e.adminJourney)
	t.Run("phone-dashboard", e.phonePages)
	t.Run("plans", e.plansJourney)
	t.Run("reorganisation", e.reorgJourney)
	t.Run("alerts", e.alertsJourney)
	t.Logf("browser suite took %v", time.Since(start).Round(time.Millisecond))
}
