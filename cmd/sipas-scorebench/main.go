// Command sipas-scorebench measures how long scoring takes on a large
// database, next to a full scan of the stored answers in the same run:
// the overview of every agency for one year (overall and element indices
// with SE and CI), the province's scores, children table and trend and a
// district's for whole months, for periods that start or end mid-month
// and for a single day (issue 13, goal 3).
//
//	go run ./cmd/sipas-scorebench --sipas bin/sipas [--db data/bench-500x1M.db] [--runs 15]
//
// The database is seeded once with `sipas seed --agencies 500 --responses
// 1000000` and kept for later runs.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
)

func main() {
	bin := flag.String("sipas", "bin/sipas", "the sipas binary (for seeding)")
	dbPath := flag.String("db", "data/bench-500x1M.db", "benchmark database (seeded when missing)")
	agencies := flag.Int("agencies", 500, "agencies to seed")
	responses := flag.Int("responses", 1000000, "responses to seed")
	runs := flag.Int("runs", 15, "timed runs of each measurement")
	only := flag.String("only", "", "run only the measurements whose name contains this")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed runs to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "sipas-scorebench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*bin, *dbPath, *agencies, *responses, *runs, *only); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "sipas-scorebench:", err)
		os.Exit(1)
	}
}

func run(bin, dbPath string, agencies, responses, runs int, only string) error {
	if _, err := os.Stat(dbPath); os.IsNotExist(err) {
		fmt.Printf("seeding %s (%d agencies, %d responses)…\n", dbPath, agencies, responses)
		cmd := exec.Command(bin, "seed", "--db", dbPath, "--agencies", fmt.Sprint(agencies), "--responses", fmt.Sprint(responses), "--seed", "1")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	ctx := context.Background()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(dbPath, reg, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	in, _ := reg.Current("sipas-2017")
	roots, err := db.ListAgencies(ctx, "")
	if err != nil || len(roots) == 0 {
		return fmt.Errorf("no agencies in %s", dbPath)
	}
	root := roots[0]
	svc := &report.Service{Agencies: db, Stats: db, Reorg: db, Instruments: reg}

	raw, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return err
	}
	defer raw.Close()
	var total int64
	if err := raw.QueryRow(`SELECT count(*) FROM responses`).Scan(&total); err != nil {
		return err
	}

	// The 12 calendar months ending with the current one; the 365 days
	// ending today, which starts and ends inside a month; a custom period
	// from mid-month to today, as an official picks one (issue 13: it took
	// 4.7–7.3 s at 10M responses when mid-month days were summed from the
	// responses); a district's custom period ending mid-month; a single day.
	now := time.Now().In(survey.Vietnam)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, survey.Vietnam)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, survey.Vietnam)
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	period := func(from, to time.Time) survey.Period {
		p, err := survey.ParsePeriod(day(from), day(to))
		if err != nil {
			panic(err) // the dates above are valid
		}
		return p
	}
	monthsYear := period(first.AddDate(0, -11, 0), first.AddDate(0, 1, -1))
	rollingYear := period(today.AddDate(0, 0, -364), today)
	custom := period(first.AddDate(0, -11, 14), today)
	districtSpan := period(today.AddDate(0, 0, -145), today.AddDate(0, 0, -72))
	oneDay := period(today.AddDate(0, 0, -1), today.AddDate(0, 0, -1))
	district, err := firstParent(ctx, db, root)
	if err != nil {
		return err
	}

	var nAgencies int
	overview := func(p survey.Period) func() error {
		return func() error {
			all, err := svc.All(ctx, report.Query{Agency: root, Instrument: in, Period: p})
			nAgencies = len(all)
			return err
		}
	}
	q := func(a *survey.Agency, p survey.Period) report.Query {
		return report.Query{Agency: a, Instrument: in, Period: p}
	}
	scores := func(a *survey.Agency, p survey.Period) func() error {
		return func() error { _, err := svc.Scores(ctx, q(a, p)); return err }
	}
	children := func(a *survey.Agency, p survey.Period) func() error {
		// As GET /api/v1/scores/children: waits for the rank intervals,
		// which are cached after the first (warm-up) run.
		return func() error { _, err := svc.Children(ctx, q(a, p), report.ChildrenOptions{}); return err }
	}
	trend := func(a *survey.Agency, p survey.Period) func() error {
		return func() error { _, err := svc.Trend(ctx, q(a, p)); return err }
	}
	count := func() error {
		var n int64
		return raw.QueryRow(`SELECT count(*) FROM responses`).Scan(&n)
	}
	scanAnswers := func() error {
		var n int64
		return raw.QueryRow(`SELECT sum(length(answers)) FROM responses`).Scan(&n)
	}

	fmt.Printf("\nscoring benchmark: %s, %d responses, %d runs each, median (p90); first = the untimed warm-up run\n\n", dbPath, total, runs)
	base, err := measure(runs, scanAnswers)
	if err != nil {
		return err
	}
	span := func(p survey.Period) string { return p.FromString() + " – " + p.ToString() }
	rows := []struct {
		name string
		f    func() error
	}{
		{"SELECT count(*) FROM responses", count},
		{"overview of every agency, 12 whole months (" + span(monthsYear) + ")", overview(monthsYear)},
		{"overview of every agency, 365 days (" + span(rollingYear) + ")", overview(rollingYear)},
		{"province scores, 12 whole months", scores(root, monthsYear)},
		{"province scores, " + span(custom), scores(root, custom)},
		{"province scores, one day (" + oneDay.FromString() + ")", scores(root, oneDay)},
		{"province children, 12 whole months", children(root, monthsYear)},
		{"province children, " + span(custom), children(root, custom)},
		{"province children, one day", children(root, oneDay)},
		{"province trend, 12 whole months", trend(root, monthsYear)},
		{"province trend, " + span(custom), trend(root, custom)},
		{"district " + district.Code + " scores, " + span(districtSpan), scores(district, districtSpan)},
		{"district " + district.Code + " children, " + span(districtSpan), children(district, districtSpan)},
	}
	const format = "%-74s %10s %10s %10s %8s\n"
	fmt.Printf(format, "measurement", "median", "p90", "first", "÷ scan")
	fmt.Printf(format, "baseline: full scan, SELECT sum(length(answers)) FROM responses", ms(base.med), ms(base.p90), ms(base.first), "1.000")
	for _, r := range rows {
		if !strings.Contains(r.name, only) {
			continue
		}
		m, err := measure(runs, r.f)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		fmt.Printf(format, r.name, ms(m.med), ms(m.p90), ms(m.first), fmt.Sprintf("%.3f", float64(m.med)/float64(base.med)))
	}
	fmt.Printf("\n(the overview computes overall + 5 element indices with SE and 95%% CI for each of %d agencies' subtrees,\n target ≤ 200 ms for 12 months; scores, children and trend, target ≤ 100 ms and ≤ 0.1× the full scan for any period)\n", nAgencies)
	return nil
}

// firstParent returns the first agency right under root that has agencies
// under it today (a district or a department), or root.
func firstParent(ctx context.Context, db *sqlite.DB, root *survey.Agency) (*survey.Agency, error) {
	all, err := db.ListAgencies(ctx, root.Code)
	if err != nil {
		return nil, err
	}
	parents := map[string]bool{}
	for _, a := range all {
		parents[a.ParentCode] = true
	}
	for _, a := range all {
		if a.ParentCode == root.Code && parents[a.Code] {
			return a, nil
		}
	}
	return root, nil
}

type timing struct{ med, p90, first time.Duration }

func measure(runs int, f func() error) (timing, error) {
	t0 := time.Now()
	if err := f(); err != nil { // warm-up
		return timing{}, err
	}
	first := time.Since(t0)
	ds := make([]time.Duration, runs)
	for i := range ds {
		t0 := time.Now()
		if err := f(); err != nil {
			return timing{}, err
		}
		ds[i] = time.Since(t0)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return timing{med: ds[len(ds)/2], p90: ds[len(ds)*9/10], first: first}, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
