package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// Targets from issue 2: durable submissions per second of sipas divided by
// requests per second of a bare Gin handler, under the same load.
const (
	floorRatio = 0.25
	aimRatio   = 0.5
	// maxErrorRate is the share of failed requests above which the run fails.
	maxErrorRate = 0.001
)

// loadSummary is one load in the JSON summary.
type loadSummary struct {
	Requests  int            `json:"requests"`
	OK        int            `json:"ok"`
	Errors    int            `json:"errors"`
	Statuses  map[string]int `json:"statuses"`
	Seconds   float64        `json:"seconds"`
	PerSecond float64        `json:"per_second"`
	P50ms     float64        `json:"p50_ms"`
	P99ms     float64        `json:"p99_ms"`
	ErrorRate float64        `json:"error_rate"`
	Samples   []string       `json:"error_samples,omitempty"`
}

// summary is the JSON written to --out.
type summary struct {
	Scenario   string      `json:"scenario"`
	Table      string      `json:"table"`
	Clients    int         `json:"clients"`
	Duration   string      `json:"duration"`
	CPUs       int         `json:"cpus"`
	Order      string      `json:"order"`
	Bare       loadSummary `json:"bare_gin"`
	Sipas      loadSummary `json:"sipas"`
	Ratio      float64     `json:"ratio"`
	Floor      float64     `json:"floor"`
	Aim        float64     `json:"aim"`
	FloorMet   bool        `json:"floor_met"`
	AimMet     bool        `json:"aim_met"`
	StoredRows int64       `json:"stored_rows"`
	StatsRows  int64       `json:"stats_respondents"`
	Durable    bool        `json:"durable"`
	Failures   []string    `json:"failures,omitempty"`

	// Unit is what the rates count: requests, or journeys (form, POST,
	// thank-you page).
	Unit string `json:"unit"`
	// The journey scenario's: submissions answered with the thank-you
	// page (the first SetupJourneys captured the bare pages), those of
	// them not found in the database or found with another instrument or
	// language, and the sizes of the pages.
	Acknowledged  int        `json:"acknowledged,omitempty"`
	SetupJourneys int        `json:"setup_journeys,omitempty"`
	Missing       int64      `json:"missing,omitempty"`
	Mismatched    int64      `json:"mismatched,omitempty"`
	Pages         []pageSize `json:"pages,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func summarize(r *loadResult) loadSummary {
	st := map[string]int{}
	for k, v := range r.Statuses {
		name := fmt.Sprint(k)
		if k == 0 {
			name = "transport_error"
		}
		st[name] = v
	}
	return loadSummary{
		Requests: r.OK + r.Errors, OK: r.OK, Errors: r.Errors, Statuses: st,
		Seconds: r.Elapsed.Seconds(), PerSecond: r.Rate(),
		P50ms: ms(percentile(r.Latencies, 0.50)), P99ms: ms(percentile(r.Latencies, 0.99)),
		ErrorRate: r.ErrorRate(), Samples: r.FirstErrs,
	}
}

// ratio returns sipas/bare, 0 when the bare load did nothing.
func ratio(sipas, bare float64) float64 {
	if bare <= 0 {
		return 0
	}
	return sipas / bare
}

// verdict lists why the run failed: too many errors on either load, or a
// durability mismatch between 201 answers and stored rows.
func verdict(s *summary) []string {
	var f []string
	if s.Bare.ErrorRate > maxErrorRate {
		f = append(f, fmt.Sprintf("bare Gin: %d of %d requests failed (more than %.1f%%)", s.Bare.Errors, s.Bare.Requests, 100*maxErrorRate))
	}
	if s.Scenario == scenarioJourney {
		if s.Sipas.ErrorRate > maxErrorRate {
			f = append(f, fmt.Sprintf("sipas: %d of %d journeys did not end on the thank-you page (more than %.1f%%)", s.Sipas.Errors, s.Sipas.Requests, 100*maxErrorRate))
		}
		if s.StoredRows != int64(s.Acknowledged) || s.Missing > 0 || s.Mismatched > 0 {
			f = append(f, fmt.Sprintf("durability: %d rows in responses, %d submissions answered with the thank-you page, %d of them not stored, %d stored with another instrument or language",
				s.StoredRows, s.Acknowledged, s.Missing, s.Mismatched))
		}
		return f
	}
	if s.Sipas.ErrorRate > maxErrorRate {
		f = append(f, fmt.Sprintf("sipas: %d of %d %s were not answered 201 (more than %.1f%%)", s.Sipas.Errors, s.Sipas.Requests, s.Scenario, 100*maxErrorRate))
	}
	if s.StoredRows != int64(s.Sipas.OK) {
		f = append(f, fmt.Sprintf("durability: %d rows in %s, but %d %s were answered 201", s.StoredRows, s.Table, s.Sipas.OK, s.Scenario))
	}
	return f
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

// printTable writes the human-readable result.
func printTable(w io.Writer, s *summary) {
	fmt.Fprintf(w, "\n%s throughput: %d clients, %s per load, %d CPUs, order: %s\n", s.Scenario, s.Clients, s.Duration, s.CPUs, s.Order)
	unit, count, bareName, sipasName := "req/s", "requests", "bare Gin (reads body, \"ok\")", "sipas (durable "+s.Scenario+", 201)"
	if s.Scenario == scenarioJourney {
		unit, count, bareName, sipasName = "journeys/s", "journeys", "bare Gin (precompressed pages)", "sipas (form, durable POST, thanks)"
	}
	fmt.Fprintf(w, "%-36s %12s %10s %10s %9s %7s\n", "", unit, "p50 ms", "p99 ms", count, "errors")
	row := func(name string, l loadSummary) {
		fmt.Fprintf(w, "%-36s %12.0f %10.2f %10.2f %9d %7d\n", name, l.PerSecond, l.P50ms, l.P99ms, l.Requests, l.Errors)
	}
	row(bareName, s.Bare)
	row(sipasName, s.Sipas)
	if s.Scenario == scenarioJourney {
		fmt.Fprintf(w, "ratio sipas/bare: %.3f   target %.2f: %s\n", s.Ratio, s.Floor, yesNo(s.FloorMet))
		for _, p := range s.Pages {
			fmt.Fprintf(w, "pages %-10s %s: form %6d bytes (%5d gzipped), thank-you %5d bytes (%5d gzipped)\n", p.Instrument, p.Lang, p.FormBytes, p.FormGzipBytes, p.ThanksBytes, p.ThanksGzip)
		}
		fmt.Fprintf(w, "bare pages: sipas's, precompressed (the gzipped bytes above, sent as they are)\n")
		fmt.Fprintf(w, "durability: %d rows in responses, %d submissions answered with the thank-you page (%d to capture the pages), %d not stored, %d with another instrument or language, %d respondents in stats_monthly: %s\n",
			s.StoredRows, s.Acknowledged, s.SetupJourneys, s.Missing, s.Mismatched, s.StatsRows, map[bool]string{true: "ok", false: "MISMATCH"}[s.Durable])
	} else {
		fmt.Fprintf(w, "ratio sipas/bare: %.3f   floor %.2f: %s   aim %.2f: %s\n", s.Ratio, s.Floor, yesNo(s.FloorMet), s.Aim, yesNo(s.AimMet))
		fmt.Fprintf(w, "durability: %d rows in %s, %d answered 201, %d respondents in stats_monthly: %s\n",
			s.StoredRows, s.Table, s.Sipas.OK, s.StatsRows, map[bool]string{true: "ok", false: "MISMATCH"}[s.Durable])
	}
	for _, l := range []struct {
		name string
		s    loadSummary
	}{{"bare Gin", s.Bare}, {"sipas", s.Sipas}} {
		if l.s.Errors > 0 {
			keys := make([]string, 0, len(l.s.Statuses))
			for k := range l.s.Statuses {
				keys = append(keys, fmt.Sprintf("%s×%d", k, l.s.Statuses[k]))
			}
			sort.Strings(keys)
			fmt.Fprintf(w, "%s answers: %s; e.g. %s\n", l.name, strings.Join(keys, " "), strings.Join(l.s.Samples, " | "))
		}
	}
	fmt.Fprintf(w, "note: the load generator runs on the same machine and competes with the server for the %d CPUs\n", s.CPUs)
	fmt.Fprintf(w, "      (and shares this process with the bare Gin server); on a 2-core box both numbers are\n")
	fmt.Fprintf(w, "      lower than on a real server, and the ratio is the figure to compare.\n")
	for _, f := range s.Failures {
		fmt.Fprintf(w, "FAIL: %s\n", f)
	}
}

func writeJSONFile(path string, s *summary) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
