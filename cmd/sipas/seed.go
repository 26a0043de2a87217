package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite"
)

func cmdSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", stderr)
	dbPath := dbFlag(fs)
	nAgencies := fs.Int("agencies", 60, "number of agencies (province, departments, districts, communes)")
	nResponses := fs.Int("responses", 20000, "number of responses")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same data)")
	days := fs.Int("days", 365, "spread responses over this many days before today")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the database already has agencies")
	maxDossiers := fs.Int("max-dossiers", 100000, "register at most about this many dossiers; agencies beyond it import monthly volumes instead")
	demoUsers := fs.Bool("demo-users", false, "also create the demo accounts admin and official with the public password sipas-demo (never on a real database)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *nAgencies < 1 || *nResponses < 0 || *days < 1 || *maxDossiers < 0 {
		return fmt.Errorf("--agencies must be ≥ 1, --responses ≥ 0, --days ≥ 1, --max-dossiers ≥ 0")
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
	p := demo.NewProvince(*nAgencies, rng)
	if err := db.ImportAgencies(ctx, p.Agencies, cliActor); err != nil {
		return err
	}
	if err := db.ImportCounters(ctx, p.Counters, cliActor); err != nil {
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
		off := p.Agencies[len(p.Agencies)-1].ParentCode
		if off == "" {
			off = p.Agencies[0].Code
		}
		if err := db.CreateUser(ctx, &survey.User{Name: "official", Role: survey.RoleOfficial, AgencyCode: off, PasswordHash: hash}, cliActor); err != nil {
			return err
		}
	}
	gen, err := demo.NewGenerator(p.Counters, db.Instruments(), time.Now(), *days, *seed)
	if err != nil {
		return err
	}
	// The demo plan's task that worked is in the ratings from its start.
	plan := demo.NewPlan(p, time.Now())
	for _, l := range plan.Lifts {
		gen.Lift(l)
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
	nRated, left := len(rated), *nResponses-len(rated)
	n, err := db.BulkLoad(ctx, func() (*survey.Submission, error) {
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case left > 0:
			left--
			return gen.Next(), nil
		case len(rated) > 0:
			s := rated[0]
			rated = rated[1:]
			return s, nil
		}
		return nil, nil
	})
	if err != nil {
		return err
	}
	stuffed := ""
	if *demoUsers {
		// The demo's integrity page has something to show: a staff member
		// who rated their own counter twenty times on the last weekday,
		// set aside by a scan of that day.
		if stuffed, err = seedStuffing(ctx, db, gen, p.Counters); err != nil {
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
	fmt.Fprintf(stdout, "seeded %s: %d agencies, %d counters, %d responses (%d of them dossier ratings), %d dossiers, %d monthly volumes in %.1fs\n",
		*dbPath, len(p.Agencies), len(p.Counters), n, nRated, nDossiers, len(volumes), time.Since(start).Seconds())
	if stuffed != "" {
		fmt.Fprintln(stdout, stuffed)
	}
	fmt.Fprintln(stdout, planned)
	return nil
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
