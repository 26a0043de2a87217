package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Scenarios of --scenario.
const (
	scenarioSubmissions = "submissions"
	scenarioDossiers    = "dossiers"
	scenarioJourney     = "journey"
)

// scenario is what one kind of load sends and where its successes are
// stored.
type scenario struct {
	path     string // POST target on both servers
	body     func(dst []byte, run string, client, seq int) []byte
	user     string
	password string
	table    string // every 201 answer adds one row here
	describe string
}

// submissions is the load of issue 2: ratings of the seeded counters.
func submissions(tokens []string) scenario {
	return scenario{path: "/api/v1/responses", table: "responses", describe: fmt.Sprintf("%d sipas-2017 counters", len(tokens))}
}

// benchUser is the integration account the dossier load registers as.
const (
	benchUser     = "bench-onestop"
	benchPassword = "bench-onestop-password"
)

// dossiers is the load of issue 10: the one-stop software registering new
// dossiers (each code once) with their dates, as an integration account of
// the seeded province's root.
func dossiers(ctx context.Context, bin, db string) (scenario, error) {
	out, err := sipasCmd(ctx, bin, "agency", "list", "--db", db)
	if err != nil {
		return scenario{}, err
	}
	codes := parseAgencyCodes(bytes.NewReader(out))
	if len(codes) < 2 {
		return scenario{}, fmt.Errorf("the seeded database has %d agencies, want a root and children", len(codes))
	}
	cmd := exec.CommandContext(ctx, bin, "user", "add", "--db", db, "--name", benchUser, "--role", "integration", "--agency", codes[0])
	cmd.Stdin = strings.NewReader(benchPassword + "\n")
	if b, err := cmd.CombinedOutput(); err != nil {
		return scenario{}, fmt.Errorf("user add: %w: %s", err, bytes.TrimSpace(b))
	}
	agencies := codes[1:]
	received := time.Date(2026, 11, 2, 8, 15, 0, 0, time.FixedZone("ICT", 7*3600))
	return scenario{
		path: "/api/v1/dossiers", user: benchUser, password: benchPassword, table: "dossiers",
		describe: fmt.Sprintf("dossiers of %d agencies, as integration account %s", len(agencies), benchUser),
		body: func(dst []byte, run string, client, seq int) []byte {
			h := mix(uint64(client)<<32 | uint64(seq))
			at := received.Add(time.Duration(h%(30*24*3600)) * time.Second)
			dst = append(dst, `{"code":"BENCH.`...)
			dst = append(dst, run...)
			dst = append(dst, '-')
			dst = strconv.AppendInt(dst, int64(client), 10)
			dst = append(dst, '-')
			dst = strconv.AppendInt(dst, int64(seq), 10)
			dst = append(dst, `","agency":`...)
			dst = strconv.AppendQuote(dst, agencies[h%uint64(len(agencies))])
			dst = append(dst, `,"procedure":"1.004227","procedure_name":"Cấp bản sao trích lục hộ tịch","received_at":"`...)
			dst = at.AppendFormat(dst, time.RFC3339)
			dst = append(dst, `","due_at":"`...)
			dst = at.Add(7*24*time.Hour).AppendFormat(dst, time.RFC3339)
			return append(dst, `"}`...)
		},
	}, nil
}
