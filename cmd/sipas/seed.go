package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite"
)

func cmdSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", stderr)
	dbPath := dbFlag(fs)
	nAgencies := fs.Int("agencies", 60, "units of the province today: the province, its departments and its communes and wards (its history before "+demo.ReorgDay+" adds about 2.5 times as many: the districts and the communes that merged)")
	nResponses := fs.Int("responses", 20000, "number of responses")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same data)")
	days := fs.Int("days", 365, "spread responses over this many days before today")
	from := fs.String("from", "", "spread responses from this day YYYY-MM-DD to today (instead of --days)")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the database already has agencies")
	maxDossiers := fs.Int("max-dossiers", 100000, "register at most about this many dossiers; agencies beyond it import monthly volumes instead")
	demoUsers := fs.Bool("demo-users", false, "also create the demo accounts admin and official with the public password sipas-demo (never on a real database)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *nAgencies < 1 || *nResponses < 0 || *days < 1 || *maxDossiers < 0 {
		return fmt.Errorf("--agencies must be ≥ 1, --responses ≥ 0, --days ≥ 1, --max-dossiers ≥ 0")
	}
	now := time.Now()
	if *from != "" {
		n, err := daysFrom(*from, now)
		if err != nil {
			return err
		}
		*days = n
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	existing, err := db.ListAgencies(ctx, "")
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		if *ifEmpty {
			fmt.Fprintf(stdout, "database %s already has %d agencies: not seeding\n", *dbPath, len(existing))
			return nil
		}
		return fmt.Errorf("database %s already has agencies; seed an empty database", *dbPath)
	}
	start := time.Now()
	rng := rand.New(rand.NewPCG(*seed, 0xdec0de))
	l := demo.NewLayout(*nAgencies, rng)
	p := l.Old
	ids, err := seedTree(ctx, db, l, firstDay(now, *days))
	if err != nil {
		return err
	}
	if *demoUsers {
		hash, err := survey.HashPassword("sipas-demo")
		if err != nil {
			return err
		}
		if err := db.CreateUser(ctx, &survey.User{Name: "admin", Role: survey.RoleAdmin, PasswordHash: hash}, cliActor); err != nil {
			return err
		}
		if err := db.CreateUser(ctx, &survey.User{Name: "official", Role: survey.RoleOfficial, AgencyCode: officialUnit(l), PasswordHash: hash}, cliActor); err != nil {
			return err
		}
	}
	gen, err := demo.NewGenerator(p.Counters, db.Instruments(), now, *days, *seed)
	if err != nil {
		return err
	}
	// Each rating and dossier goes to the agency of its day.
	if err := gen.Follow(l, ids); err != nil {
		return err
	}
	// The demo plan's task that worked is in the ratings from its start.
	plan := demo.NewPlan(l.Current, now)
	for _, lift := range plan.Lifts {
		gen.Lift(lift)
	}
	signer, err := dbSigner(ctx, db)
	if err != nil {
		return err
	}
	// Dossiers first: their ratings need their ids.
	dossiers := demo.NewDossiers(p.Counters, gen, *nResponses, *maxDossiers, signer.DossierHash, *seed)
	nDossiers, err := db.BulkLoadDossiers(ctx, func() (*survey.Dossier, error) { return dossiers.Next(), ctx.Err() })
	if err != nil {
		return err
	}
	rated := dossiers.Ratings()
	rated = rated[:min(len(rated), *nResponses)]
	n, err := db.BulkLoad(ctx, seedResponses(ctx, gen.ByDay(*nResponses-len(rated)), rated))
	if err != nil {
		return err
	}
	nRated := len(rated)
	stuffed := ""
	if *demoUsers {
		// The demo's integrity page has something to show: a staff member
		// who rated their own counter twenty times on the last weekday,
		// set aside by a scan of that day.
		if stuffed, err = seedStuffing(ctx, db, gen, p.Counters); err != nil {
			return err
		}
	}
	published := ""
	if *demoUsers {
		if published, err = seedPublic(ctx, db); err != nil {
			return err
		}
	}
	planned, err := seedPlan(ctx, db, plan)
	if err != nil {
		return err
	}
	volumes := dossiers.Volumes()
	if len(volumes) > 0 {
		if _, err := db.ImportVolumes(ctx, volumes, cliActor); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "seeded %s: %d agencies today (%d before the reorganisation of %s: %d merges, %d districts closed), %d counters, %d responses (%d of them dossier ratings), %d dossiers, %d monthly volumes in %.1fs\n",
		*dbPath, len(l.Current.Agencies), len(p.Agencies), demo.ReorgDay, len(l.Events), len(l.Closed), len(p.Counters), n, nRated, nDossiers, len(volumes), time.Since(start).Seconds())
	if stuffed != "" {
		fmt.Fprintln(stdout, stuffed)
	}
	fmt.Fprintln(stdout, planned)
	if published != "" {
		fmt.Fprintln(stdout, published)
	}
	return nil
}

// seedResponses returns BulkLoad's next for the seed: the generator's
// ratings, oldest day first, with the dossier ratings merged in by time.
func seedResponses(ctx context.Context, gen func() *survey.Submission, rated []*survey.Submission) func() (*survey.Submission, error) {
	rated = slices.Clone(rated)
	slices.SortStableFunc(rated, func(a, b *survey.Submission) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	s := gen()
	return func() (*survey.Submission, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(rated) > 0 && (s == nil || rated[0].ReceivedAt.Before(s.ReceivedAt)) {
			r := rated[0]
			rated = rated[1:]
			return r, nil
		}
		r := s
		if r != nil {
			s = gen()
		}
		return r, nil
	}
}

// seedTree stores the province as it was before the reorganisation
// (created the day before the first seeded day, or before the
// reorganisation when that is earlier) and applies the reorganisation of
// its day, recorded on that day: the merges, then the closure of the
// districts they left empty. It returns every agency's id by code.
func seedTree(ctx context.Context, db *sqlite.DB, l *demo.Layout, first time.Time) (map[string]int64, error) {
	clock := db.Now
	defer func() { db.Now = clock }()
	created := first
	if reorg := demo.ReorgStart(); reorg.Before(created) {
		created = reorg
	}
	created = created.AddDate(0, 0, -1).Add(8 * time.Hour)
	db.Now = func() time.Time { return created }
	if err := db.ImportAgencies(ctx, l.Old.Agencies, cliActor); err != nil {
		return nil, err
	}
	if err := db.ImportCounters(ctx, l.Old.Counters, cliActor); err != nil {
		return nil, err
	}
	// At the start of the day, in one import: the merges close the
	// communes, then each district they left empty closes, its counters
	// with it (so that no list offers their QR codes).
	day := demo.ReorgStart()
	db.Now = func() time.Time { return day }
	if events := l.Reorganisation(); len(events) > 0 {
		if _, err := db.Reorganise(ctx, events, cliActor); err != nil {
			return nil, fmt.Errorf("demo reorganisation: %w", err)
		}
	}
	db.Now = clock
	as, err := db.ListAgencies(ctx, "")
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(as))
	for _, a := range as {
		ids[a.Code] = a.ID
	}
	// The generator names the moved counters as the store did.
	for c, t := range l.Transfers {
		if t.Closed {
			continue
		}
		got, err := db.FindCounterByID(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if got.AgencyCode != t.Agency || got.Code != t.Code {
			return nil, fmt.Errorf("demo reorganisation: counter %s/%s is %s/%s, want %s/%s", c.AgencyCode, c.Code, got.AgencyCode, got.Code, t.Agency, t.Code)
		}
	}
	return ids, nil
}

// officialUnit is the agency of the demo's official: the first new ward,
// whose dashboard shows its predecessors' history.
func officialUnit(l *demo.Layout) string {
	if len(l.Events) > 0 {
		return l.Events[0].Merge.Into
	}
	return l.Current.Agencies[len(l.Current.Agencies)-1].Code
}

// firstDay is midnight in Vietnam of the first of days days ending today.
func firstDay(now time.Time, days int) time.Time {
	l := now.In(survey.Vietnam)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, survey.Vietnam).AddDate(0, 0, 1-days)
}

// daysFrom is the number of days from day (YYYY-MM-DD) to today, both
// included.
func daysFrom(day string, now time.Time) (int, error) {
	d, err := time.ParseInLocation("2006-01-02", day, survey.Vietnam)
	if err != nil {
		return 0, fmt.Errorf("--from: %q is not a date YYYY-MM-DD", day)
	}
	l := now.In(survey.Vietnam)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, survey.Vietnam)
	n := int(math.Round(today.Sub(d).Hours()/24)) + 1
	if n < 1 {
		return 0, fmt.Errorf("--from: %s is after today", day)
	}
	return n, nil
}

// seedStuffing stores a burst of twenty all-5 ratings from one phone at the
// first sipas-2017 counter, at 10:00 on the last weekday before today, and
// runs the integrity scan over that day; it says what was set aside.
func seedStuffing(ctx context.Context, db *sqlite.DB, gen *demo.Generator, counters []*survey.Counter) (string, error) {
	var c *survey.Counter
	for _, x := range counters {
		if x.Instrument == "sipas-2017" {
			c = x
			break
		}
	}
	if c == nil {
		return "", nil
	}
	now := time.Now().In(survey.Vietnam)
	day := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, survey.Vietnam).AddDate(0, 0, -1)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, -1)
	}
	for _, s := range gen.Stuffing(c, day, 20, 0x5eed) {
		if _, err := db.StoreResponse(ctx, s); err != nil {
			return "", err
		}
	}
	res, err := (&integrity.Scanner{Store: db, By: cliActor}).Scan(ctx, survey.LocalDate(day))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("integrity demo: 20 all-5 ratings from one phone at %s/%s on %s, %d set aside (see /dashboard/agency/%s/integrity)",
		c.AgencyCode, c.Code, survey.LocalDate(day), res.SetAside, c.AgencyCode), nil
}
