// Command sipas is the citizen-satisfaction server and its administration
// tool. Run "sipas help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `sipas — citizen satisfaction with one-stop counters (SIPAS)

Usage: sipas <command> [flags]

Commands:
  serve     run the web server (survey forms, QR codes, API)
  seed      generate a synthetic demo province
  user      add, list, disable, enable or change accounts (admins, officials, integration) and passwords
  agency    add, list or import (CSV) agencies; move, merge or reorganise (CSV) them from a date
  counter   add, list, import (CSV) or rotate the QR or the kiosk key of counters
  dossier   import (CSV) dossiers registered by the one-stop software
  volume    import (CSV) monthly dossier counts of agencies
  backup    copy the database consistently while the server runs
  score     print an agency's indices for a period (table, json or csv)
  report    make a periodic report (quarter, half-year, year, month) as json, xlsx or printable html
  integrity run the integrity scan; show or set opening hours and holidays
  alerts    run the alert check (drops, targets, overdue tasks, set-aside shares) or list alerts
  mail      send a test message, or the weekly digests now (for cron)

Every command takes --db PATH (default ./data/sipas.db).
Run "sipas <command> -h" for its flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "sipas:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("missing command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, rest, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr)
	case "agency":
		return cmdAgency(ctx, rest, stdin, stdout, stderr)
	case "counter":
		return cmdCounter(ctx, rest, stdin, stdout, stderr)
	case "dossier":
		return cmdDossier(ctx, rest, stdin, stdout, stderr)
	case "volume":
		return cmdVolume(ctx, rest, stdin, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr)
	case "score":
		return cmdScore(ctx, rest, stdout, stderr)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr)
	case "integrity":
		return cmdIntegrity(ctx, rest, stdin, stdout, stderr)
	case "alerts":
		return cmdAlerts(ctx, rest, stdout, stderr)
	case "mail":
		return cmdMail(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
