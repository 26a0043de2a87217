// Command sipas-integrity-sim measures the integrity detector
// (survey/integrity) on the simulated province of survey/integrity/sim: for
// each seed it generates 28 days of honest history and an evaluated month
// (October 2026) with attacks injected, replays the month through
// integrity.Detect on the server's schedule (each day judged every --every
// from its start to the end of the next day, today seen only up to the
// scan), and prints per
// attack type and size the share of injected ratings set aside (recall,
// over all seeds and the lowest seed), the share of honest ratings set
// aside (false positives), and per signal how many set-aside ratings list
// it and what recall and false positives become with it switched off.
//
// Rerun it with the same fixed seeds (the numbers are reproducible):
//
//	go run ./cmd/sipas-integrity-sim [--seeds 1,2,3,4,5] [--every 5m] [--ablation-every 30m] [--user-agents 5] [--alpha 0] [--ablation=true] [--out FILE]
//
// make bench runs it (scripts/bench.sh). The aims (issue): ≥ 95 % recall
// for bursts of 10 or more and for off-hours stuffing, ≥ 50 % for the slow
// drip, ≤ 0.5 % of honest ratings set aside. Exit status 1 on bad flags or
// a failed --out; missing an aim is reported, not an error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/integrity/sim"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sipas-integrity-sim:", err)
		os.Exit(1)
	}
}

// summary is the JSON written by --out.
type summary struct {
	Seeds    []uint64               `json:"seeds"`
	Alpha    float64                `json:"alpha"`
	Result   *sim.Result            `json:"result"`
	Ablation map[string]*sim.Result `json:"ablation,omitempty"`
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sipas-integrity-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seedList := fs.String("seeds", "1,2,3,4,5", "comma-separated seeds of the simulated months")
	alpha := fs.Float64("alpha", 0, "combined p-value below which a rating is set aside (0: the detector's default)")
	ablation := fs.Bool("ablation", true, "re-run with each signal switched off")
	out := fs.String("out", "", "write a JSON summary to this file")
	cases := fs.Int("cases", 30, "honest ratings set aside to list")
	uas := fs.Int("user-agents", sim.DefaultConfig().UserAgents, "kinds of phone and browser behind one address (1: every phone looks alike, the worst case)")
	every := fs.Duration("every", 5*time.Minute, "judge each day every this long from its start to the end of the next day, as the server's periodic scan does by default (0: once, at the end of the day)")
	ablationEvery := fs.Duration("ablation-every", 30*time.Minute, "the same for the runs with a signal switched off (coarser, to keep the run short)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var seeds []uint64
	for _, s := range strings.Split(*seedList, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("--seeds: %q is not a seed", s)
		}
		seeds = append(seeds, n)
	}
	if *alpha < 0 || *alpha >= 1 {
		return fmt.Errorf("--alpha must be in [0, 1)")
	}
	cfg := sim.DefaultConfig()
	if *uas < 1 {
		return fmt.Errorf("--user-agents must be at least 1")
	}
	cfg.UserAgents = *uas
	variants := []string{""}
	if *ablation {
		variants = append(variants, integrity.Signals...)
	}
	// results[v][i] is variant v (signal switched off, "" none) of seed i.
	results := make([][]*sim.Result, len(variants))
	for v := range variants {
		results[v] = make([]*sim.Result, len(seeds))
	}
	var wg sync.WaitGroup
	for i, seed := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := sim.Generate(seed, cfg)
			for v, off := range variants {
				opt := integrity.Options{Alpha: *alpha}
				if off != "" {
					opt.Off = map[string]bool{off: true}
				}
				sched := *every
				if off != "" {
					sched = *ablationEvery
				}
				results[v][i] = sim.RunEvery(m, opt, sched)
			}
		}()
	}
	wg.Wait()
	sum := summary{Seeds: seeds, Alpha: *alpha, Result: sim.Merge(results[0]...)}
	if *ablation {
		sum.Ablation = map[string]*sim.Result{}
		for v, off := range variants[1:] {
			sum.Ablation[off] = sim.Merge(results[v+1]...)
		}
	}
	report(stdout, cfg, sum, *cases)
	if *out != "" {
		b, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// report prints the tables.
func report(w io.Writer, cfg sim.Config, s summary, cases int) {
	r := s.Result
	alpha := "default " + strconv.FormatFloat(integrity.DefaultAlpha, 'g', -1, 64)
	if s.Alpha > 0 {
		alpha = strconv.FormatFloat(s.Alpha, 'g', -1, 64)
	}
	units := 0
	for _, a := range cfg.Agencies {
		units += len(a.Counters)
	}
	fmt.Fprintf(w, "integrity simulation: seeds %v, alpha %s, %d agencies, %d counters, %d history days, %s + %d days evaluated\n\n",
		s.Seeds, alpha, len(cfg.Agencies), units, cfg.HistoryDays, cfg.Start, cfg.Days)

	fmt.Fprintf(w, "%-20s %5s %8s %9s %7s %8s", "attack", "inst", "injected", "set aside", "recall", "min/seed")
	for _, sig := range integrity.Signals {
		if s.Ablation != nil {
			fmt.Fprintf(w, " %11s", "-"+sig)
		}
	}
	fmt.Fprintln(w)
	for _, k := range r.Kinds {
		fmt.Fprintf(w, "%-20s %5d %8d %9d %7s %8s", k.Kind, k.Instances, k.Total, k.SetAside, pct(k.Share()), pct(k.MinRecall()))
		for _, sig := range integrity.Signals {
			if a := s.Ablation[sig]; a != nil {
				fmt.Fprintf(w, " %11s", pct(a.Kind(k.Kind).Share()))
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%-20s %5s %8d %9d %7s %8s", "all injected", "", r.Injected.Total, r.Injected.SetAside, pct(r.Injected.Share()), "")
	for _, sig := range integrity.Signals {
		if a := s.Ablation[sig]; a != nil {
			fmt.Fprintf(w, " %11s", pct(a.Injected.Share()))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-20s %5s %8d %9d %7s %8s", "honest (FP)", "", r.Honest.Total, r.Honest.SetAside, fmt.Sprintf("%.2f%%", 100*r.Honest.Share()), "")
	for _, sig := range integrity.Signals {
		if a := s.Ablation[sig]; a != nil {
			fmt.Fprintf(w, " %11s", fmt.Sprintf("%.2f%%", 100*a.Honest.Share()))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-20s %5s %8d %9d %7s %8s", "honest on their own", "", r.Honest.Total, r.Honest.SetAside-r.Collateral, fmt.Sprintf("%.2f%%", 100*own(r)), "")
	for _, sig := range integrity.Signals {
		if a := s.Ablation[sig]; a != nil {
			fmt.Fprintf(w, " %11s", fmt.Sprintf("%.2f%%", 100*own(a)))
		}
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "\naims:\n")
	for _, a := range aims(r) {
		fmt.Fprintln(w, " ", a)
	}

	fmt.Fprintf(w, "\nsignals: share of set-aside ratings whose window lists it\n%-12s %10s %10s\n", "signal", "injected", "honest")
	for _, sig := range integrity.Signals {
		c := r.Signals[sig]
		fmt.Fprintf(w, "%-12s %10s %10s\n", sig, share(c.Injected, r.Injected.SetAside), share(c.Honest, r.Honest.SetAside))
	}

	fmt.Fprintf(w, "\nhonest ratings by how they arrived\n%-16s %8s %9s %7s\n", "pattern", "ratings", "set aside", "share")
	pats := make([]string, 0, len(r.Patterns))
	for p := range r.Patterns {
		pats = append(pats, p)
	}
	sort.Strings(pats)
	for _, p := range pats {
		t := r.Patterns[p]
		fmt.Fprintf(w, "%-16s %8d %9d %7s\n", p, t.Total, t.SetAside, fmt.Sprintf("%.2f%%", 100*t.Share()))
	}

	missed := 0
	for _, in := range r.Instances {
		if in.SetAside < in.N {
			missed++
		}
	}
	fmt.Fprintf(w, "\nattacks not wholly set aside (%d of %d)\n", missed, len(r.Instances))
	fmt.Fprintf(w, "%-4s %-20s %-18s %-10s %6s %9s %7s  %s\n", "seed", "attack", "counter", "date", "n", "set aside", "honest", "reasons")
	for _, in := range r.Instances {
		if in.SetAside < in.N {
			fmt.Fprintf(w, "%-4d %-20s %-18s %-10s %6d %9d %7d  %s\n", in.Seed, in.Kind, in.UnitName, in.Date, in.N, in.SetAside, in.PerDay, strings.Join(in.Reasons, ","))
		}
	}

	fmt.Fprintf(w, "\nhonest ratings set aside: %d, of them %d next to an attack (in a window that also set injected ratings aside), %d on their own\n",
		r.Honest.SetAside, r.Collateral, r.Honest.SetAside-r.Collateral)
	// Honest ratings set aside next to each kind of attack.
	next := map[sim.Kind]int{}
	for _, c := range r.Cases {
		for _, k := range c.Attacks {
			next[k] += c.Honest
		}
	}
	fmt.Fprintf(w, "%-20s %5s %9s\n", "next to attack", "inst", "honest")
	for _, k := range r.Kinds {
		fmt.Fprintf(w, "%-20s %5d %9d\n", k.Kind, k.Instances, next[k.Kind])
	}
	for _, collateral := range []bool{false, true} {
		var list []sim.Case
		for _, c := range r.Cases {
			if c.Collateral() == collateral {
				list = append(list, c)
			}
		}
		title := "windows of honest ratings only"
		if collateral {
			title = "windows next to an attack"
		}
		fmt.Fprintf(w, "\n%s (%d; first %d)\n", title, len(list), min(cases, len(list)))
		fmt.Fprintf(w, "%-4s %-17s %-10s %-11s %6s %8s %6s %4s %5s %5s %4s %6s  %-34s %s\n",
			"seed", "counter", "date", "window", "honest", "injected", "per day", "wifi", "kiosk", "all-5", "obs", "exp", "reasons", "honest patterns")
		for i, c := range list {
			if i >= cases {
				break
			}
			fmt.Fprintf(w, "%-4d %-17s %-10s %-11s %6d %8d %7d %4d %5d %5d %4d %6.2f  %-34s %s\n",
				c.Seed, c.Unit, c.Date, c.From.Format("15:04")+"-"+c.To.Format("15:04"), c.Honest, c.Injected, c.PerDay,
				c.WiFi, c.Kiosk, c.AllFive, c.Observed, c.Expected, strings.Join(c.Reasons, ","), patterns(c.Patterns))
		}
	}
}

// patterns formats counts by pattern, sorted by name.
func patterns(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

// own is the share of honest ratings set aside on their own (not in a
// window with injected ones).
func own(r *sim.Result) float64 {
	if r.Honest.Total == 0 {
		return 0
	}
	return float64(r.Honest.SetAside-r.Collateral) / float64(r.Honest.Total)
}

func share(n, of int) string {
	if of == 0 {
		return "-"
	}
	return pct(float64(n) / float64(of))
}

// aims lists the aims with what was reached.
func aims(r *sim.Result) []string {
	var out []string
	check := func(name string, got, aim float64, atLeast bool) {
		ok := got >= aim
		if !atLeast {
			ok = got <= aim
		}
		verdict := "met"
		if !ok {
			verdict = "MISSED"
		}
		op := "≥"
		if !atLeast {
			op = "≤"
		}
		out = append(out, fmt.Sprintf("%-34s %8s (aim %s %s) %s", name, fmt.Sprintf("%.2f%%", 100*got), op, pct(aim), verdict))
	}
	for _, k := range r.Kinds {
		switch {
		case (k.Type == sim.BurstOneDevice || k.Type == sim.BurstThreeDevices || k.Type == sim.BurstOneDeviceVaried) && k.Size >= 10,
			k.Type == sim.OffHoursPhone, k.Type == sim.OffHoursKiosk:
			check(k.Kind.String()+" recall", k.Share(), 0.95, true)
		case k.Type == sim.Drip:
			check(k.Kind.String()+" recall", k.Share(), 0.5, true)
		}
	}
	check("honest set aside", r.Honest.Share(), 0.005, false)
	return out
}
