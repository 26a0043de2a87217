package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/demo"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/web/dashboard"
	"github.com/sipas/sipas/survey/web/webtest"
)

// Benchmark data: 500 agencies and 1M responses over the year before
// benchEnd. Building it takes about a minute, so it is built once into a
// file in the temporary folder and reused by later runs (delete it, or set
// SIPAS_BENCH_DB to another path, to rebuild).
const (
	benchAgencies  = 500
	benchResponses = 1_000_000
	// benchPassword is the admin's password in the benchmark database; it
	// is that of the databases already built into the temporary folder.
	benchPassword = "correct-horse-battery"
)

var benchEnd = time.Date(2026, 11, 27, 17, 0, 0, 0, survey.Vietnam)

func benchDB(b *testing.B, reg *survey.Instruments) string {
	b.Helper()
	path := os.Getenv("SIPAS_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), "sipas-bench-overview-500x1M-v1.db")
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	os.Remove(tmp)
	db, err := sqlite.Open(tmp, reg, sqlite.Options{})
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	ctx := context.Background()
	by := survey.Actor{Name: "bench"}
	p := demo.NewProvince(benchAgencies, rand.New(rand.NewPCG(1, 0xdec0de)))
	if err := db.ImportAgencies(ctx, p.Agencies, by); err != nil {
		b.Fatalf("agencies: %v", err)
	}
	if err := db.ImportCounters(ctx, p.Counters, by); err != nil {
		b.Fatalf("counters: %v", err)
	}
	hash, err := survey.HashPassword(benchPassword)
	if err != nil {
		b.Fatalf("hash: %v", err)
	}
	if err := db.CreateUser(ctx, &survey.User{Name: "admin", Role: survey.RoleAdmin, PasswordHash: hash}, survey.Actor{Name: "bench"}); err != nil {
		b.Fatalf("user: %v", err)
	}
	gen, err := demo.NewGenerator(p.Counters, reg, benchEnd, 365, 1)
	if err != nil {
		b.Fatalf("generator: %v", err)
	}
	left := benchResponses
	if _, err := db.BulkLoad(ctx, func() (*survey.Submission, error) {
		if left == 0 {
			return nil, nil
		}
		left--
		return gen.Next(), nil
	}); err != nil {
		b.Fatalf("bulk load: %v", err)
	}
	if err := db.Close(); err != nil {
		b.Fatalf("close: %v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatalf("rename: %v", err)
	}
	os.Remove(tmp + "-wal")
	os.Remove(tmp + "-shm")
	return path
}

// BenchmarkOverviewPage measures the server time of the overview page of
// the province's root for the year preset, through the router, with the
// rank intervals already cached (as after the first view), with a monthly
// dossier volume for every agency: pooling respondents
// (weighting=respondents) and with the default, the volume-weighted
// roll-up.
func BenchmarkOverviewPage(b *testing.B) {
	b.Run("respondents", func(b *testing.B) { benchmarkOverview(b, false) })
	b.Run("volume", func(b *testing.B) { benchmarkOverview(b, true) })
}

// withBenchVolumes imports a monthly volume for every agency and month of
// the benchmark's year (replacing the ones of an earlier run).
func withBenchVolumes(b *testing.B, db *sqlite.DB) {
	ctx := context.Background()
	as, err := db.ListAgencies(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	var rows []*survey.VolumeRow
	rng := rand.New(rand.NewPCG(2, 0x5ca1e))
	for _, a := range as {
		for m := 1; m <= 12; m++ {
			rows = append(rows, &survey.VolumeRow{AgencyCode: a.Code, Month: fmt.Sprintf("2026-%02d", m), Dossiers: 200 + rng.Int64N(4800)})
		}
	}
	if _, err := db.ImportVolumes(ctx, rows, survey.Actor{Name: "bench"}); err != nil {
		b.Fatal(err)
	}
}

func benchmarkOverview(b *testing.B, volumes bool) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		b.Fatalf("instruments: %v", err)
	}
	db, err := sqlite.Open(benchDB(b, reg), reg, sqlite.Options{})
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return benchEnd } // the server's clock: "this year" runs to benchEnd
	withBenchVolumes(b, db)
	secret, err := db.TokenSecret(context.Background())
	if err != nil {
		b.Fatalf("secret: %v", err)
	}
	srv, err := web.New(web.Config{BaseURL: "http://127.0.0.1:8080"}, web.Deps{Store: db, Instruments: reg, Signer: survey.NewSigner(secret),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return benchEnd }})
	if err != nil {
		b.Fatalf("server: %v", err)
	}
	cl := webtest.NewClient(b, srv.Handler())
	cl.Remote = "192.0.2.1:1"
	cl.LoginWith("admin", benchPassword)
	page := "/dashboard/overview/DEMO?period=year&weighting=respondents"
	if volumes {
		page = "/dashboard/overview/DEMO?period=year"
	}
	// Warm up until the rank intervals are cached.
	for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		w := cl.Get(page)
		if w.Code != http.StatusOK {
			b.Fatalf("got %d, want 200", w.Code)
		}
		if !strings.Contains(w.Body.String(), dashboard.TextsIn("vi").RanksPending) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("rank intervals not ready after 10 minutes")
		}
	}
	want := "gia quyền theo số người đánh giá"
	if volumes {
		want = "gia quyền theo số hồ sơ"
	}
	if w := cl.Get(page); !strings.Contains(w.Body.String(), want) {
		b.Fatalf("the page does not say %q", want)
	}
	b.ResetTimer()
	for b.Loop() {
		if w := cl.Get(page); w.Code != http.StatusOK {
			b.Fatalf("got %d, want 200", w.Code)
		}
	}
}

// BenchmarkIntegrityScan measures one pass of the integrity scan on a copy
// of the benchmark database (500 agencies, 1 000 000 responses over a
// year, about 2 700 a day) at the end of its last day: reading yesterday's
// and today's ratings, judging them and storing what is set aside. The
// first pass of an hour also reads the four weeks of history behind the
// baselines (reported as first-pass-ms); the timed passes reuse them, as
// the server's passes every five minutes do.
func BenchmarkIntegrityScan(b *testing.B) {
	reg := sqlitetest.Instruments(b)
	src := benchDB(b, reg)
	path := filepath.Join(b.TempDir(), "scan.db")
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sc := &integrity.Scanner{Store: db, Now: func() time.Time { return benchEnd }}
	start := time.Now()
	res, err := sc.Scan(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	b.ResetTimer()
	for b.Loop() {
		if _, err := sc.Scan(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(first.Milliseconds()), "first-pass-ms")
	b.ReportMetric(float64(res.Ratings), "ratings")
}

// BenchmarkCitizenForm measures the server time of the citizen's form (GET
// /s/{token}, gzip accepted) through the router, for both instruments:
// the page every citizen loads first (issue 13's journey).
func BenchmarkCitizenForm(b *testing.B) {
	e := webtest.New(b)
	for _, counter := range []string{"D1/Q1", "D1/K1"} {
		b.Run(counter, func(b *testing.B) {
			url := "/s/" + e.Token(b, counter)
			b.ReportAllocs()
			for b.Loop() {
				r := e.NewRequest(webtest.Request{Method: http.MethodGet, URL: url})
				r.Header.Set("Accept-Encoding", "gzip")
				w := &discard{h: http.Header{}}
				e.Handler.ServeHTTP(w, r)
				if w.code != http.StatusOK {
					b.Fatalf("form: got %d", w.code)
				}
			}
		})
	}
}

// discard is a ResponseWriter that keeps the status only.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) Write(p []byte) (int, error) {
	if d.code == 0 {
		d.code = http.StatusOK
	}
	return len(p), nil
}
func (d *discard) WriteHeader(code int) { d.code = code }
