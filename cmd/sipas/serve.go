package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/web"
	"github.com/sipas/sipas/survey/webhook"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	dbPath := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	baseURL := fs.String("base-url", "", "public URL of the server, used in QR codes (default http://ADDR)")
	rateLimit := fs.Int("rate-limit", 20, fmt.Sprintf("submissions per counter per client counted in a burst, then per hour sustained, before further ones are flagged (0: off); "+
		"%d× this counted a day, further ones flagged; past %d× this in an hour, 429", survey.DailyFactor, survey.HardCapFactor))
	scoringSet := addScoringFlags(fs)
	lowRate := fs.Float64("low-response-rate", report.DefaultLowResponseRate, "response rate (respondents ÷ dossiers, a ratio in (0, 1)) below which the dashboard highlights an index")
	trusted := fs.String("trusted-proxy", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted (default: none, the peer address is the client)")
	scanEvery := fs.Duration("integrity-every", 5*time.Minute, "how often the integrity scan judges yesterday's and today's ratings (0: never; run \"sipas integrity scan\" from cron instead; old client tags are still erased hourly)")
	alertsEvery := fs.Duration("alerts-every", 24*time.Hour, "how often the alert check runs (first a minute after start; 0: never; run \"sipas alerts run\" from cron instead)")
	hookPrivate := fs.Bool("webhook-allow-private", false, "let webhooks point to loopback, private and link-local addresses (off: refused when created and when delivered)")
	hookEvery := fs.Duration("webhook-every", 5*time.Second, "how often new events are queued for webhooks and due deliveries are sent (at least 100ms)")
	mailSet := addMailFlags(fs)
	memLimit := fs.Int("memory-limit", 100, "soft limit of the Go heap in MiB, which the garbage collector keeps under however it is tuned (0: none; GOMEMLIMIT overrides)")
	readable := fs.Bool("allow-readable-db", false, "start even when the database file can be read by other users (it holds password hashes and secrets)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rateLimit < 0 {
		return fmt.Errorf("--rate-limit must be ≥ 0")
	}
	if *memLimit < 0 {
		return fmt.Errorf("--memory-limit must be ≥ 0 (MiB; 0: none)")
	}
	if *scanEvery < 0 || (*scanEvery > 0 && *scanEvery < time.Second) {
		return fmt.Errorf("--integrity-every must be 0 (off) or at least 1s")
	}
	if *alertsEvery < 0 || (*alertsEvery > 0 && *alertsEvery < time.Second) {
		return fmt.Errorf("--alerts-every must be 0 (off) or at least 1s")
	}
	if *hookEvery < 100*time.Millisecond {
		return fmt.Errorf("--webhook-every must be at least 100ms")
	}
	smtp, err := mailSet.sender()
	if err != nil {
		return err
	}
	if !report.ValidLowResponseRate(*lowRate) {
		return fmt.Errorf("--low-response-rate must be a ratio between 0 and 1 (0.05 is 5 %%)")
	}
	proxies, err := web.ParseCIDRs(*trusted)
	if err != nil {
		return fmt.Errorf("--trusted-proxy: %w", err)
	}
	if os.Getenv("GOGC") == "" {
		// The heap of the server is small and short-lived (requests, one
		// batch of submissions): collecting at 4× instead of 2× the live heap
		// costs a few MB and raised the submission benchmark by about 17%.
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" && *memLimit > 0 {
		// GOGC 400 alone let the heap reach 5× what dashboards keep live:
		// a peak RSS of 179 MB on a 60-agency demo under scripts/bench-10m.sh's
		// load, 131 MB with this limit at 100 MiB.
		debug.SetMemoryLimit(int64(*memLimit) << 20)
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// Checked before opening (which migrates the file) and after (SQLite
	// has made the -wal and -shm files by then).
	if err := sqlite.CheckPermissions(*dbPath); err != nil && !*readable {
		return fmt.Errorf("database %s (or start with --allow-readable-db)", survey.ErrorMessage(err))
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	if err := sqlite.CheckPermissions(db.Path); err != nil {
		if !*readable {
			db.Close()
			return fmt.Errorf("database %s (or start with --allow-readable-db)", survey.ErrorMessage(err))
		}
		log.Error("database file readable by other users", "err", survey.ErrorMessage(err))
	}
	secret, err := db.TokenSecret(ctx)
	if err != nil {
		db.Close()
		return fmt.Errorf("token secret: %w", err)
	}
	ipSecret, err := db.IPHashSecret(ctx)
	if err != nil {
		db.Close()
		return fmt.Errorf("client hash secret: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		db.Close()
		return err
	}
	if *baseURL == "" {
		host := ln.Addr().String()
		if strings.HasPrefix(host, "0.0.0.0:") || strings.HasPrefix(host, "[::]:") {
			host = "localhost" + host[strings.LastIndex(host, ":"):]
		}
		*baseURL = "http://" + host
	}
	scoringOpts, adjust, err := scoringSet.options()
	if err != nil {
		db.Close()
		return err
	}
	srv, err := web.New(web.Config{BaseURL: *baseURL, RateLimit: *rateLimit, IPHashSecret: ipSecret, TrustedProxies: proxies,
		Scoring: scoringOpts, Adjust: adjust, LowResponseRate: *lowRate,
		WebhookAllowPrivate: *hookPrivate}, web.Deps{Store: db, Instruments: db.Instruments(), Signer: survey.NewSigner(secret), Log: log})
	if err != nil {
		db.Close()
		return err
	}
	db.OnCommit = srv.ObserveCommit
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	scanCtx, stopScan := context.WithCancel(ctx)
	scanDone := make(chan struct{})
	go func() {
		defer close(scanDone)
		sc := &integrity.Scanner{Store: db}
		if *scanEvery > 0 {
			sc.Run(scanCtx, *scanEvery, log)
		} else {
			// Without the scan (run from cron instead), client tags are
			// still erased on time.
			sc.RunErase(scanCtx, time.Hour, log)
		}
	}()
	alertsDone := make(chan struct{})
	go func() {
		defer close(alertsDone)
		if *alertsEvery > 0 {
			newChecker(db, scoringOpts, adjust).Every(scanCtx, *alertsEvery, time.Now, log)
		}
	}()
	hooksDone := make(chan struct{})
	go func() {
		defer close(hooksDone)
		newDispatcher(db, *baseURL, *hookPrivate, log).Run(scanCtx, *hookEvery)
	}()
	mailDone := make(chan struct{})
	go func() {
		defer close(mailDone)
		if smtp == nil {
			log.Info("mail off: no --smtp-url and --smtp-from, no digests or alert mail are sent")
			return
		}
		log.Info("mail on", "smtp", smtp.Config.String(), "from", smtp.From)
		newMailScheduler(db, smtp, strings.TrimRight(*baseURL, "/"), scoringOpts, adjust, log).Run(scanCtx, time.Minute)
	}()
	log.Info("listening", "addr", ln.Addr().String(), "base_url", *baseURL, "db", *dbPath)
	select {
	case err := <-errc:
		stopScan()
		<-scanDone
		<-alertsDone
		<-hooksDone
		<-mailDone
		db.Close()
		return err
	case <-ctx.Done():
	}
	stopScan()
	<-scanDone // a pass in progress ends (its transaction commits or rolls back) before the database closes
	<-alertsDone
	<-hooksDone // attempts that were answered are recorded before the database closes
	<-mailDone  // a mail being sent is claimed or released before the database closes
	// Graceful shutdown: stop accepting, let requests in flight finish (their
	// submissions are committed by the batch writer), then close the
	// database after the writer has drained its queue.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	serr := hs.Shutdown(sctx)
	cerr := db.Close()
	if serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	log.Info("stopped")
	return cerr
}

// newDispatcher is the webhook dispatcher of serve.
func newDispatcher(db *sqlite.DB, baseURL string, allowPrivate bool, log *slog.Logger) *webhook.Dispatcher {
	return &webhook.Dispatcher{
		Store:    db,
		Builder:  &webhook.Builder{Instruments: db.Instruments(), BaseURL: baseURL, Now: time.Now},
		Client:   webhook.NewClient(10*time.Second, allowPrivate),
		Schedule: webhook.DefaultSchedule,
		Now:      time.Now,
		Log:      log,
	}
}
