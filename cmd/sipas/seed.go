package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
)

func cmdSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", stderr)
	dbPath := dbFlag(fs)
	nAgencies := fs.Int("agencies", 60, "number of agencies (province, departments, districts, communes)")
	nResponses := fs.Int("responses", 20000, "number of responses")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same data)")
	days := fs.Int("days", 365, "spread responses over this many days before today")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the database already has agencies")
	demoUsers := fs.Bool("demo-users", false, "also create the demo accounts admin and official with the public password sipas-demo (never on a real database)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *nAgencies < 1 || *nResponses < 0 || *days < 1 {
		return fmt.Errorf("--agencies must be ≥ 1, --responses ≥ 0, --days ≥ 1")
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
	left := *nResponses
	n, err := db.BulkLoad(ctx, func() (*survey.Submission, error) {
		if left == 0 {
			return nil, ctx.Err()
		}
		left--
		return gen.Next(), nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %s: %d agencies, %d counters, %d responses in %.1fs\n",
		*dbPath, len(p.Agencies), len(p.Counters), n, time.Since(start).Seconds())
	return nil
}
