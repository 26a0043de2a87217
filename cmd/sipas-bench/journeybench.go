package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
)

// Target of issue 13, goal 1: journeys per second of sipas divided by
// those of the bare handler set ("a citizen's journey costs at most 2.5
// times a bare handler's").
const journeyTarget = 0.4

// pageSize is the size of one variant's pages as sipas sent them.
type pageSize struct {
	Instrument    string `json:"instrument"`
	Lang          string `json:"lang"`
	FormBytes     int    `json:"form_bytes"`
	FormGzipBytes int    `json:"form_gzip_bytes"`
	ThanksBytes   int    `json:"thanks_bytes"`
	ThanksGzip    int    `json:"thanks_gzip_bytes"`
}

// journeySpecs returns the form spec of each of journeyInstruments, from
// the instruments compiled into this binary (the seeded database's).
func journeySpecs() ([len(journeyInstruments)]formSpec, error) {
	var specs [len(journeyInstruments)]formSpec
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		return specs, fmt.Errorf("instruments: %w", err)
	}
	for k, id := range journeyInstruments {
		in, err := reg.Current(id)
		if err != nil {
			return specs, fmt.Errorf("instrument %s: %w", id, err)
		}
		specs[k] = specOf(in)
	}
	return specs, nil
}

// benchJourney is --scenario journey (issue 13, goal 1): the citizen's
// whole journey on sipas against the same three requests on a bare Gin
// handler set, interleaved round by round like the other scenarios; then
// every acknowledged submission is looked up in the database.
func benchJourney(ctx context.Context, o *options, stdout io.Writer, bin, dir, dbPath, addr string, counters []counterURL) (*summary, error) {
	cfg := journeyConfig{Base: "http://" + addr, Clients: o.clients}
	for k, id := range journeyInstruments {
		if cfg.Tokens[k] = tokensOf(counters, id); len(cfg.Tokens[k]) == 0 {
			return nil, fmt.Errorf("the seeded database has no %s counter", id)
		}
	}
	var err error
	if cfg.Specs, err = journeySpecs(); err != nil {
		return nil, err
	}
	srv, err := startServer(ctx, bin, dbPath, addr, filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.stop(10 * time.Second)
		}
	}()

	// One journey per instrument and language gives the bare handlers
	// their pages, precompressed as sipas sent them.
	caps, allAcks, err := captureVariants(ctx, &cfg)
	if err != nil {
		return nil, fmt.Errorf("%w (log in %s; use --keep)", err, srv.log.Name())
	}
	setup := len(allAcks)
	for _, cp := range caps {
		if cp.formGzip == nil {
			return nil, fmt.Errorf("sipas sent a form uncompressed to a client that accepts gzip")
		}
	}
	bj, err := newBareJourney(cfg.Tokens, caps)
	if err != nil {
		return nil, err
	}
	bareAddr, stopBare, err := bj.start()
	if err != nil {
		return nil, err
	}
	defer stopBare()

	slice := o.duration / time.Duration(o.rounds)
	fmt.Fprintf(stdout, "bare Gin on %s, sipas serve on %s (journeys at %d sipas-2017 and %d quick counters, vi and en; bare pages precompressed): %d clients, %d rounds of %s each…\n",
		bareAddr, addr, len(cfg.Tokens[0]), len(cfg.Tokens[1]), o.clients, o.rounds, slice)
	var seed [8]byte
	rand.Read(seed[:])
	bare, sip := &loadResult{}, &loadResult{}
	for round := range o.rounds {
		lc := cfg
		lc.Duration, lc.Seed = slice, binary.LittleEndian.Uint64(seed[:])+uint64(round)<<48
		lc.Base = "http://" + bareAddr
		r, _ := runJourneys(ctx, lc)
		bare.merge(r)
		lc.Base = "http://" + addr
		r, acks := runJourneys(ctx, lc)
		sip.merge(r)
		allAcks = append(allAcks, acks...)
		if ctx.Err() != nil {
			break
		}
	}
	stopped = true
	if err := srv.stop(60 * time.Second); err != nil {
		return nil, fmt.Errorf("stop sipas serve: %w (log in %s; use --keep)", err, srv.log.Name())
	}
	// Even after an interrupt, check what was stored.
	js, err := checkAcked(context.Background(), dbPath, allAcks)
	if err != nil {
		return nil, err
	}

	s := &summary{
		Scenario: o.scenario, Table: "responses", Unit: "journeys",
		Clients: o.clients, Duration: o.duration.String(), CPUs: runtime.NumCPU(),
		Order: fmt.Sprintf("interleaved, %d rounds of bare Gin then sipas", o.rounds),
		Bare:  summarize(bare), Sipas: summarize(sip),
		Floor: journeyTarget, Aim: journeyTarget,
		StoredRows: js.Rows, StatsRows: js.StatsRespondents,
		Acknowledged: len(allAcks), SetupJourneys: setup, Missing: js.Missing, Mismatched: js.Mismatched,
	}
	for _, inst := range journeyInstruments {
		for _, lang := range journeyLangs {
			cp := caps[variant{inst, lang}]
			s.Pages = append(s.Pages, pageSize{Instrument: inst, Lang: lang, FormBytes: len(cp.form), FormGzipBytes: len(cp.formGzip), ThanksBytes: len(cp.thanks), ThanksGzip: len(cp.thanksGzip)})
		}
	}
	s.Ratio = ratio(s.Sipas.PerSecond, s.Bare.PerSecond)
	s.FloorMet, s.AimMet = s.Ratio >= s.Floor, s.Ratio >= s.Aim
	s.Durable = js.Rows == int64(len(allAcks)) && js.Missing == 0 && js.Mismatched == 0
	s.Failures = verdict(s)
	if ctx.Err() != nil {
		s.Failures = append(s.Failures, "interrupted")
	}
	printTable(stdout, s)
	return s, nil
}
