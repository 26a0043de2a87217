package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// stuffedProvince writes into the database at path four weeks of honest
// ratings at every open sipas-2017 counter and, on 2026-10-06, a burst of
// 1500 all-5 ratings from one client at each: thousands of ratings for one
// scan to set aside in its transaction.
func stuffedProvince(t *testing.T, path string) {
	t.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	in, _ := reg.Current("sipas-2017")
	var counters []*survey.Counter
	for _, code := range []string{"D1", "D2", "D3", "D4"} {
		cs, err := db.ListCounters(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Instrument == in.ID && c.ClosedAt == nil {
				counters = append(counters, c)
			}
		}
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var subs []*survey.Submission
	start, _ := time.ParseInLocation("2006-01-02", "2026-09-08", survey.Vietnam)
	sub := func(c *survey.Counter, at time.Time, value uint8, client int64) {
		ans := make([]uint8, len(in.Items))
		for k := range ans {
			ans[k] = value
			if value == 0 {
				ans[k] = uint8(3 + rng.IntN(3))
			}
		}
		subs = append(subs, &survey.Submission{SubmissionID: "crash-" + sqlitetest.SubmissionID(), CounterID: c.ID, AgencyID: c.AgencyID,
			Instrument: in, Answers: ans, Channel: survey.ChannelWeb, Lang: "vi", ReceivedAt: at, Client: client})
	}
	for d := 0; d < 29; d++ {
		day := start.AddDate(0, 0, d)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		for _, c := range counters {
			for i := 0; i < 20; i++ {
				sub(c, day.Add(time.Duration(7*60+rng.IntN(9*60))*time.Minute), 0, rng.Int64N(1<<40)+1)
			}
		}
	}
	burst, _ := time.ParseInLocation("2006-01-02 15:04", "2026-10-06 09:00", survey.Vietnam)
	for _, c := range counters {
		for i := 0; i < 1500; i++ {
			sub(c, burst.Add(time.Duration(i)*2*time.Second), 5, 4242+c.ID)
		}
	}
	i := 0
	if _, err := db.BulkLoad(ctx, func() (*survey.Submission, error) {
		if i == len(subs) {
			return nil, nil
		}
		i++
		return subs[i-1], nil
	}); err != nil {
		t.Fatal(err)
	}
}

// checkSetAside asserts that every rating is either counted or set aside,
// never both: the indices count exactly the unflagged responses (checkDB's
// rule), excluded_daily exactly the flagged ones, and every set-aside
// rating has its window, every window its ratings.
func checkSetAside(t *testing.T, path string) (setAside int) {
	t.Helper()
	checkDB(t, path, nil)
	db := openCheck(t, path)
	defer db.Close()
	var excluded, flagged, orphans, empty int
	db.QueryRow(`SELECT COALESCE(SUM(n), 0) FROM excluded_daily`).Scan(&excluded)
	db.QueryRow(`SELECT count(*) FROM responses WHERE flag != ''`).Scan(&flagged)
	db.QueryRow(`SELECT count(*) FROM responses WHERE flag = 'integrity' AND integrity_window IS NULL`).Scan(&orphans)
	db.QueryRow(`SELECT count(*) FROM integrity_windows w WHERE NOT EXISTS (SELECT 1 FROM responses WHERE integrity_window = w.id)`).Scan(&empty)
	if excluded != flagged || orphans != 0 || empty != 0 {
		t.Fatalf("excluded_daily %d vs %d flagged; %d set aside without a window; %d windows without ratings", excluded, flagged, orphans, empty)
	}
	return flagged
}

// TestIntegrityScanKilled kills `sipas integrity scan` at random moments
// of its run: after each kill every rating is either counted or set aside
// (one transaction), and a scan run to the end afterwards sets aside every
// burst. SIPAS_CRASH_CYCLES sets the number of kills (default 4).
func TestIntegrityScanKilled(t *testing.T) {
	path, _ := seedDB(t)
	stuffedProvince(t, path)
	// How long an uninterrupted scan takes, on a copy.
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	probe := path + ".probe"
	if err := os.WriteFile(probe, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	runSipas(t, "integrity", "scan", "--db", probe, "--date", "2026-10-06")
	full := time.Since(began)
	total := checkSetAside(t, probe)
	if total < 4*1500 {
		t.Fatalf("an uninterrupted scan set aside %d ratings, want the %d of the bursts", total, 4*1500)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	cycles := envInt(t, "SIPAS_CRASH_CYCLES", 4)
	for c := 0; c < cycles; c++ {
		cmd := exec.Command(sipasBin, "integrity", "scan", "--db", path, "--date", "2026-10-06")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(full))))
		cmd.Process.Kill()
		cmd.Wait()
		n := checkSetAside(t, path)
		if n != 0 && n != total {
			t.Fatalf("cycle %d: %d ratings set aside, want none or all %d (one transaction)", c, n, total)
		}
	}
	runSipas(t, "integrity", "scan", "--db", path, "--date", "2026-10-06")
	if n := checkSetAside(t, path); n != total {
		t.Fatalf("after the kills, a full scan set aside %d, want %d", n, total)
	}
}

// TestServerScansPeriodically: `sipas serve --integrity-every 1s` sets aside
// a burst of identical ratings from one phone by itself, within seconds,
// while a rating from another phone stays counted.
func TestServerScansPeriodically(t *testing.T) {
	path, tokens := seedDB(t)
	s := startServer(t, path, "--integrity-every", "1s")
	client := &http.Client{Timeout: 10 * time.Second}
	rng := rand.New(rand.NewPCG(3, 4))
	items := make([]string, 0, len(sipasItems))
	for _, code := range sipasItems {
		items = append(items, fmt.Sprintf("%q:5", code))
	}
	for i := 0; i < 15; i++ {
		body := fmt.Sprintf(`{"token":%q,"submission_id":%q,"answers":{%s}}`, tokens[0], "burst-"+sqlitetest.SubmissionID(), strings.Join(items, ","))
		if code, _ := post(context.Background(), client, s.url, body); code != http.StatusCreated {
			t.Fatalf("burst rating %d: status %d", i, code)
		}
	}
	other := submissionBody(tokens[2], "other-"+sqlitetest.SubmissionID(), rng)
	req, _ := http.NewRequest(http.MethodPost, s.url+"/api/v1/responses", strings.NewReader(other))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "another phone")
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("other rating: %v %v", resp, err)
	}
	resp.Body.Close()
	db := openCheck(t, path)
	deadline := time.Now().Add(20 * time.Second)
	var n int
	for time.Now().Before(deadline) {
		db.QueryRow(`SELECT count(*) FROM responses WHERE flag = 'integrity'`).Scan(&n)
		if n == 15 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if n != 15 {
		t.Fatalf("%d of the burst's 15 ratings set aside by the server's scan\n%s", n, s.log())
	}
	var counted int
	db.QueryRow(`SELECT count(*) FROM responses WHERE submission_id LIKE 'other-%' AND flag = ''`).Scan(&counted)
	if counted != 1 {
		t.Errorf("the other phone's rating: counted %d, want 1", counted)
	}
	checkSetAside(t, path)
}
