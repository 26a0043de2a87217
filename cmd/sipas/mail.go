package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/mail"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/sqlite"
)

const mailUsage = `usage:
  sipas mail test --to ADDR [SMTP flags]                  send a test message
  sipas mail digest --base-url URL [--now] [--user NAME] [SMTP flags]    send this week's digests not sent yet (from Monday 07:00 Vietnam time; --now: already before)
SMTP flags: --smtp-url smtp://user:pass@host:587 (env SIPAS_SMTP_URL) --smtp-from ADDR (env SIPAS_SMTP_FROM)`

// mailFlags are the SMTP settings of serve and mail.
type mailFlags struct {
	url, from *string
}

// addMailFlags defines --smtp-url and --smtp-from on fs, defaulting to
// SIPAS_SMTP_URL and SIPAS_SMTP_FROM (so the password need not be on the
// command line, where other users of the host can see it).
func addMailFlags(fs *flag.FlagSet) mailFlags {
	return mailFlags{
		url: fs.String("smtp-url", os.Getenv("SIPAS_SMTP_URL"), "SMTP server for mail: smtp://user:pass@host:587 (STARTTLS required), smtp://host:25?tls=none, "+
			"smtps://user:pass@host:465 (implicit TLS); percent-encode special characters (env SIPAS_SMTP_URL; none: no mail)"),
		from: fs.String("smtp-from", os.Getenv("SIPAS_SMTP_FROM"), `sender of mail, e.g. "SIPAS <khaosat@tinh.gov.vn>" (env SIPAS_SMTP_FROM)`),
	}
}

// sender returns the SMTP sender of the flags, or nil when neither is set.
func (m mailFlags) sender() (*mail.SMTP, error) {
	if *m.url == "" && *m.from == "" {
		return nil, nil
	}
	if *m.url == "" || *m.from == "" {
		return nil, errors.New("--smtp-url and --smtp-from go together")
	}
	cfg, err := mail.ParseURL(*m.url)
	if err != nil {
		return nil, err
	}
	from, err := mail.ParseFrom(*m.from)
	if err != nil {
		return nil, err
	}
	return &mail.SMTP{Config: cfg, From: from}, nil
}

// newMailScheduler wires the digests and alert mail over the database.
func newMailScheduler(db *sqlite.DB, s mail.Sender, baseURL string, opts scoring.Options, adjust string, log *slog.Logger) *mail.Scheduler {
	reports := &report.Service{Agencies: db, Stats: db, Volumes: db, Plans: db, Reorg: db, Instruments: db.Instruments(),
		Options: opts, Adjust: adjust}
	return &mail.Scheduler{Store: db, Alerts: db, Reports: reports, Instruments: db.Instruments(), Sender: s,
		BaseURL: baseURL, Log: log}
}

// cmdMail sends a test message or the due digests (for cron).
func cmdMail(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, mailUsage)
		return fmt.Errorf("missing subcommand")
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("mail "+sub, stderr)
	mf := addMailFlags(fs)
	switch sub {
	case "test":
		to := fs.String("to", "", "address to send the test message to")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		addr, err := survey.ParseEmail(*to)
		if err != nil || addr == "" {
			return fmt.Errorf("--to: an email address is needed")
		}
		s, err := mf.sender()
		if err != nil {
			return err
		}
		if s == nil {
			return errors.New("--smtp-url and --smtp-from are needed")
		}
		m := &mail.Message{To: addr, Subject: "SIPAS: thư thử nghiệm",
			Text: "Đây là thư thử nghiệm của SIPAS, gửi lúc " + time.Now().In(survey.Vietnam).Format("15:04 02/01/2006") + ".\nMáy chủ thư đã được cấu hình đúng.\n",
			HTML: "<!DOCTYPE html><html lang=\"vi\"><body><p>Đây là thư thử nghiệm của SIPAS.</p><p>Máy chủ thư đã được cấu hình đúng.</p></body></html>"}
		if err := s.Send(ctx, m); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "test message sent to %s via %s\n", addr, s.Config)
		return nil
	case "digest":
		dbPath := dbFlag(fs)
		now := fs.Bool("now", false, "send this week's digests even before Monday 07:00")
		user := fs.String("user", "", "only this user's digest")
		baseURL := fs.String("base-url", "", "public URL of the server, as serve's --base-url, for the links in the mail (required)")
		sf := addScoringFlags(fs)
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if !strings.HasPrefix(*baseURL, "http://") && !strings.HasPrefix(*baseURL, "https://") {
			return errors.New("--base-url is needed (the server's public URL, https://…), for the links in the mail")
		}
		*baseURL = strings.TrimRight(*baseURL, "/")
		s, err := mf.sender()
		if err != nil {
			return err
		}
		if s == nil {
			return errors.New("--smtp-url and --smtp-from are needed")
		}
		opts, adjust, err := sf.options()
		if err != nil {
			return err
		}
		db, err := openDB(*dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := newMailScheduler(db, s, *baseURL, opts, adjust, nil).SendDigests(ctx, *now, *user)
		fmt.Fprintf(stdout, "%d digests sent\n", n)
		if err != nil {
			return fmt.Errorf("%s", survey.ErrorMessage(err))
		}
		return nil
	}
	fmt.Fprintln(stderr, mailUsage)
	return fmt.Errorf("unknown subcommand %q", sub)
}
