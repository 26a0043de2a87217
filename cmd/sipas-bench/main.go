// Command sipas-bench measures submission throughput for "make bench": in
// one run it puts the same load on a bare Gin handler (in this process) and
// then on the real "sipas serve" (a child process on a freshly seeded
// database), and prints durable submissions per second, the bare Gin rate,
// their ratio against the floor (0.25) and aim (0.5) of issue 2, and p50/p99
// latencies. It then stops the server with SIGTERM and checks in SQLite that
// every submission answered 201 is stored.
//
// --scenario journey (issue 13) measures the citizen's whole journey
// instead: each client, a keep-alive browser that accepts gzip, loads a
// counter's form, posts it filled in as the HTML form sends it, and loads
// the thank-you page the 303 names, alternating between sipas-2017 and
// quick counters and between Vietnamese and English. The yardstick is the
// same three requests on three bare Gin handlers that serve the pages
// sipas sent (precompressed: the gzipped bytes sipas sent), parse the
// posted form and redirect. It prints journeys per second, the ratio
// against the target 0.4, and p50/p99 per journey, then looks up every
// submission sipas acknowledged (answered with the thank-you page) in
// SQLite: stored once, with its instrument and language.
//
// Order: interleaved. The duration of each load is cut into --rounds slices
// and the two loads alternate, bare Gin then sipas, slice by slice, so that
// whatever else the machine is doing (a CI neighbour, a compiler) weighs on
// both sides of the ratio alike. Each side's rate is its successful
// requests over the sum of its slices.
//
// Exit status: 0 on success, 1 on a setup failure, more than 0.1% failed
// requests, or a durability mismatch; 3 when --require-floor is set and the
// ratio is below the floor (the target, for journeys).
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// options are the command-line flags.
type options struct {
	sipas        string
	duration     time.Duration
	clients      int
	out          string
	rounds       int
	keep         bool
	requireFloor bool
	scenario     string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("sipas-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.sipas, "sipas", "bin/sipas", "path of the built sipas binary")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "duration of each load")
	fs.IntVar(&o.clients, "clients", 256, "concurrent clients, each with one request (journey: one journey) in flight; 64 for --scenario journey unless set")
	fs.StringVar(&o.out, "out", "", "write a JSON summary to this file")
	fs.IntVar(&o.rounds, "rounds", 5, "alternate the two loads in this many slices of duration/rounds each")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary folder (database, server log)")
	fs.BoolVar(&o.requireFloor, "require-floor", false, "exit 3 when the ratio is below the floor")
	fs.StringVar(&o.scenario, "scenario", scenarioSubmissions, "what to load: submissions (POST /api/v1/responses), dossiers (POST /api/v1/dossiers as an integration account) or journey (the citizen's form, its POST and the thank-you page)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.scenario == scenarioJourney && !set["clients"] {
		o.clients = 64 // the load of issue 13
	}
	if o.clients < 1 || o.duration <= 0 || o.rounds < 1 {
		return nil, errors.New("--clients, --duration and --rounds must be positive")
	}
	switch o.scenario {
	case scenarioSubmissions, scenarioDossiers, scenarioJourney:
	default:
		return nil, fmt.Errorf("--scenario must be %s, %s or %s", scenarioSubmissions, scenarioDossiers, scenarioJourney)
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "sipas-bench:", err)
		return 2
	}
	s, err := bench(ctx, o, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "sipas-bench:", err)
		return 1
	}
	if o.out != "" {
		if err := writeJSONFile(o.out, s); err != nil {
			fmt.Fprintln(stderr, "sipas-bench:", err)
			return 1
		}
	}
	switch {
	case len(s.Failures) > 0:
		return 1
	case o.requireFloor && !s.FloorMet:
		return 3
	}
	return 0
}

func bench(ctx context.Context, o *options, stdout io.Writer) (*summary, error) {
	bin, err := filepath.Abs(o.sipas)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("sipas binary: %w (run make build)", err)
	}
	dir, err := os.MkdirTemp("", "sipas-bench-")
	if err != nil {
		return nil, err
	}
	if o.keep {
		fmt.Fprintln(stdout, "keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	dbPath := filepath.Join(dir, "bench.db")
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	counters, err := prepareDB(ctx, bin, dbPath, "http://"+addr)
	if err != nil {
		return nil, err
	}
	if o.scenario == scenarioJourney {
		return benchJourney(ctx, o, stdout, bin, dir, dbPath, addr, counters)
	}
	tokens := tokensOf(counters, "sipas-2017")
	if len(tokens) == 0 {
		return nil, errors.New("the seeded database has no sipas-2017 counter")
	}
	sc := submissions(tokens)
	if o.scenario == scenarioDossiers {
		if sc, err = dossiers(ctx, bin, dbPath); err != nil {
			return nil, err
		}
	}
	var nonce [4]byte
	rand.Read(nonce[:])

	// The yardstick, a bare Gin handler in this process, and the real server.
	bareAddr, stopBare, err := startBareGin()
	if err != nil {
		return nil, err
	}
	defer stopBare()
	srv, err := startServer(ctx, bin, dbPath, addr, filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	slice := o.duration / time.Duration(o.rounds)
	fmt.Fprintf(stdout, "bare Gin on %s, sipas serve on %s (%s): %d clients, %d rounds of %s each…\n",
		bareAddr, addr, sc.describe, o.clients, o.rounds, slice)
	bare, sip := &loadResult{}, &loadResult{}
	for round := range o.rounds {
		// The same bodies for both: same clients, tokens, ids and answers.
		lc := loadConfig{Clients: o.clients, Duration: slice, Tokens: tokens, Run: fmt.Sprintf("%xr%d", nonce, round),
			Body: sc.body, User: sc.user, Password: sc.password}
		lc.URL, lc.WantStatus = "http://"+bareAddr+sc.path, 200
		bare.merge(runLoad(ctx, lc))
		lc.URL, lc.WantStatus = "http://"+addr+sc.path, 201
		sip.merge(runLoad(ctx, lc))
		if ctx.Err() != nil {
			break
		}
	}
	if err := srv.stop(60 * time.Second); err != nil {
		return nil, fmt.Errorf("stop sipas serve: %w (log in %s; use --keep)", err, srv.log.Name())
	}
	// Even after an interrupt, check what was stored.
	rows, statsN, err := storedCounts(context.Background(), dbPath, sc.table)
	if err != nil {
		return nil, err
	}

	s := &summary{
		Scenario: o.scenario, Table: sc.table, Unit: "requests",
		Clients: o.clients, Duration: o.duration.String(), CPUs: runtime.NumCPU(),
		Order: fmt.Sprintf("interleaved, %d rounds of bare Gin then sipas", o.rounds),
		Bare:  summarize(bare), Sipas: summarize(sip),
		Floor: floorRatio, Aim: aimRatio,
		StoredRows: rows, StatsRows: statsN,
	}
	s.Ratio = ratio(s.Sipas.PerSecond, s.Bare.PerSecond)
	s.FloorMet, s.AimMet = s.Ratio >= floorRatio, s.Ratio >= aimRatio
	s.Durable = rows == int64(sip.OK)
	s.Failures = verdict(s)
	if ctx.Err() != nil {
		s.Failures = append(s.Failures, "interrupted")
	}
	printTable(stdout, s)
	return s, nil
}
