// Command sipas-scorebench measures how long scoring takes on a large
// database, next to a full scan of the stored answers in the same run:
// the overview of every agency for one year (overall and element indices
// with SE and CI), and the same for a year that does not start on the first
// of a month (whose edge months are summed from the responses themselves).
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
	"sort"
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
	flag.Parse()
	if err := run(*bin, *dbPath, *agencies, *responses, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "sipas-scorebench:", err)
		os.Exit(1)
	}
}

func run(bin, dbPath string, agencies, responses, runs int) error {
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

	// The 12 calendar months ending with the current one; and the 365 days
	// ending today, which starts and ends inside a month.
	now := time.Now().In(survey.Vietnam)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, survey.Vietnam)
	monthsYear, _ := survey.ParsePeriod(first.AddDate(0, -11, 0).Format("2006-01-02"), first.AddDate(0, 1, -1).Format("2006-01-02"))
	rollingYear, _ := survey.ParsePeriod(now.AddDate(0, 0, -364).Format("2006-01-02"), now.Format("2006-01-02"))

	var nAgencies int
	overview := func(p survey.Period) func() error {
		return func() error {
			all, err := svc.All(ctx, report.Query{Agency: root, Instrument: in, Period: p})
			nAgencies = len(all)
			return err
		}
	}
	count := func() error {
		var n int64
		return raw.QueryRow(`SELECT count(*) FROM responses`).Scan(&n)
	}
	scanAnswers := func() error {
		var n int64
		return raw.QueryRow(`SELECT sum(length(answers)) FROM responses`).Scan(&n)
	}

	fmt.Printf("\nscoring benchmark: %s, %d responses, %d runs each, median (p90)\n\n", dbPath, total, runs)
	base, err := measure(runs, count)
	if err != nil {
		return err
	}
	rows := []struct {
		name string
		f    func() error
	}{
		{"overview, 12 whole months (" + monthsYear.FromString() + " – " + monthsYear.ToString() + ")", overview(monthsYear)},
		{"overview, 365 days (" + rollingYear.FromString() + " – " + rollingYear.ToString() + ")", overview(rollingYear)},
		{"full scan: SELECT sum(length(answers)) FROM responses", scanAnswers},
	}
	fmt.Printf("%-78s %10s %10s %8s\n", "measurement", "median", "p90", "÷ count(*)")
	fmt.Printf("%-78s %10s %10s %8s\n", "baseline: SELECT count(*) FROM responses", ms(base.med), ms(base.p90), "1.00")
	for _, r := range rows {
		m, err := measure(runs, r.f)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		fmt.Printf("%-78s %10s %10s %8.2f\n", r.name, ms(m.med), ms(m.p90), float64(m.med)/float64(base.med))
	}
	fmt.Printf("\n(the overview computes overall + 5 element indices with SE and 95%% CI for each of %d agencies' subtrees;\n target ≤ 200 ms for the 12-month overview)\n", nAgencies)
	return nil
}

type timing struct{ med, p90 time.Duration }

func measure(runs int, f func() error) (timing, error) {
	if err := f(); err != nil { // warm-up
		return timing{}, err
	}
	ds := make([]time.Duration, runs)
	for i := range ds {
		t0 := time.Now()
		if err := f(); err != nil {
			return timing{}, err
		}
		ds[i] = time.Since(t0)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return timing{med: ds[len(ds)/2], p90: ds[len(ds)*9/10]}, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
