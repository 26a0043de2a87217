package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	switch {
	case len(args) == 0:
	case args[0] == "add", args[0] == "passwd", args[0] == "list", args[0] == "disable", args[0] == "enable", args[0] == "set":
		return userCommand(ctx, args, stdin, stdout, stderr)
	}
	fmt.Fprintln(stderr, "usage: sipas user add --name NAME --role admin|official|integration [--agency CODE]  (password on stdin)\n"+
		"       sipas user passwd --name NAME  (password on stdin)\n"+
		"       sipas user disable|enable --name NAME\n"+
		"       sipas user set --name NAME [--role admin|official|integration] [--agency CODE] [--email ADDR] [--digest=true|false] [--alert-mail=true|false]\n"+
		"       sipas user list")
	return fmt.Errorf("missing or unknown user subcommand")
}

func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user "+args[0], stderr)
	dbPath := dbFlag(fs)
	name := fs.String("name", "", "user name")
	role := fs.String("role", survey.RoleOfficial, "admin, official or integration (the one-stop software: registers dossiers and volumes through the API, sees nothing)")
	agency := fs.String("agency", "", "agency code (officials see this agency and everything beneath it; integration accounts register for it)")
	email := fs.String("email", "", "user set: the official's email address (\"\": none)")
	digest := fs.Bool("digest", false, "user set: the weekly digest by mail (needs an email address)")
	alertMail := fs.Bool("alert-mail", false, "user set: a mail for each new alert in the official's scope (needs an email address)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "list" {
		us, err := db.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tAGENCY\tSTATUS")
		for _, u := range us {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.AgencyCode, status)
		}
		return tw.Flush()
	}
	if *name == "" {
		return fmt.Errorf("--name is required")
	}
	if args[0] == "disable" || args[0] == "enable" || args[0] == "set" {
		var up survey.UserUpdate
		switch args[0] {
		case "disable", "enable":
			off := args[0] == "disable"
			up.Disabled = &off
		default:
			fs.Visit(func(f *flag.Flag) {
				switch f.Name {
				case "role":
					up.Role = role
				case "agency":
					up.AgencyCode = agency
				case "email":
					up.Email = email
				case "digest":
					up.DigestWeekly = digest
				case "alert-mail":
					up.AlertMail = alertMail
				}
			})
			if up.Role == nil && up.AgencyCode == nil && up.Email == nil && up.DigestWeekly == nil && up.AlertMail == nil {
				return fmt.Errorf("user set needs --role, --agency, --email, --digest or --alert-mail")
			}
		}
		u, err := db.UpdateUser(ctx, *name, up, cliActor)
		if err != nil {
			return err
		}
		switch args[0] {
		case "disable":
			fmt.Fprintf(stdout, "user %s disabled; its sessions are signed out\n", u.Name)
		case "enable":
			fmt.Fprintf(stdout, "user %s enabled\n", u.Name)
		default:
			fmt.Fprintf(stdout, "user %s is now %s of agency %q; email %q, weekly digest %v, alert mail %v\n", u.Name, u.Role, u.AgencyCode, u.Email, u.DigestWeekly, u.AlertMail)
		}
		return nil
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	hash, err := survey.HashPassword(pw)
	if err != nil {
		return err
	}
	if args[0] == "passwd" {
		if err := db.SetPassword(ctx, *name, hash, cliActor); err != nil {
			return err
		}
		// A reset password is often a compromised or departed account:
		// end its sessions too.
		u, err := db.FindUser(ctx, *name)
		if err != nil {
			return err
		}
		if err := db.DeleteUserSessions(ctx, u.ID, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; its sessions are signed out\n", *name)
		return nil
	}
	u := &survey.User{Name: *name, Role: *role, AgencyCode: *agency, PasswordHash: hash}
	if err := db.CreateUser(ctx, u, cliActor); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s (%s) created\n", u.Name, u.Role)
	return nil
}

// readPassword reads the first line of stdin.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("no password on standard input")
	}
	return pw, nil
}

func cmdAgency(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: sipas agency add --code C --name N [--parent P] | list [--root C] [--json] | import FILE.csv (header code,name,parent; - for stdin)\n"+agencyReorgUsage)
		return fmt.Errorf("missing agency subcommand")
	}
	switch args[0] {
	case "move", "merge", "reorganise":
		return cmdAgencyReorg(ctx, args, stdin, stdout, stderr)
	}
	fs := newFlags("agency "+args[0], stderr)
	dbPath := dbFlag(fs)
	code := fs.String("code", "", "agency code")
	name := fs.String("name", "", "agency name")
	parent := fs.String("parent", "", "parent agency code")
	root := fs.String("root", "", "list only this subtree")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "add":
		a := &survey.Agency{Code: *code, Name: *name, ParentCode: *parent}
		if err := db.CreateAgency(ctx, a, cliActor); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "agency %s created\n", a.Code)
	case "list":
		as, err := db.ListAgencies(ctx, *root)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(as)
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tNAME\tPARENT\tSTATUS")
		for _, a := range as {
			st := "open"
			if a.ClosedAt != nil {
				st = "closed"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Code, a.Name, a.ParentCode, st)
		}
		return tw.Flush()
	case "import":
		r, closeFn, err := inputFile(fs.Args(), stdin)
		if err != nil {
			return err
		}
		defer closeFn()
		as, lines, err := survey.ParseAgenciesCSV(r)
		if err != nil {
			return err
		}
		if err := db.ImportAgencies(ctx, as, cliActor); err != nil {
			return survey.ImportLine(err, lines)
		}
		fmt.Fprintf(stdout, "%d agencies imported\n", len(as))
	default:
		return fmt.Errorf("unknown agency subcommand %q", args[0])
	}
	return nil
}

func inputFile(args []string, stdin io.Reader) (io.Reader, func(), error) {
	if len(args) != 1 {
		return nil, nil, fmt.Errorf("give one CSV file (or - for standard input)")
	}
	if args[0] == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(args[0])
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func cmdCounter(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: sipas counter add --agency A --code C --name N [--instrument sipas-2017|quick] | list --agency A | import FILE.csv (header agency,code,name,instrument) | rotate --agency A --code C | rotate-kiosk --agency A --code C [--base-url URL] | urls --agency A [--base-url URL]")
		return fmt.Errorf("missing counter subcommand")
	}
	fs := newFlags("counter "+args[0], stderr)
	dbPath := dbFlag(fs)
	agency := fs.String("agency", "", "agency code")
	code := fs.String("code", "", "counter code")
	name := fs.String("name", "", "counter name")
	inst := fs.String("instrument", "sipas-2017", "instrument id")
	baseURL := fs.String("base-url", "http://127.0.0.1:8080", "public URL of the server (for urls and rotate-kiosk)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "add":
		c := &survey.Counter{AgencyCode: *agency, Code: *code, Name: *name, Instrument: *inst}
		if err := db.CreateCounter(ctx, c, cliActor); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "counter %s/%s created\n", c.AgencyCode, c.Code)
	case "list":
		cs, err := db.ListCounters(ctx, *agency)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AGENCY\tCODE\tNAME\tINSTRUMENT\tSTATUS")
		for _, c := range cs {
			st := "open"
			if c.ClosedAt != nil {
				st = "closed"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.AgencyCode, c.Code, c.Name, c.Instrument, st)
		}
		return tw.Flush()
	case "import":
		r, closeFn, err := inputFile(fs.Args(), stdin)
		if err != nil {
			return err
		}
		defer closeFn()
		cs, lines, err := survey.ParseCountersCSV(r, db.Instruments())
		if err != nil {
			return err
		}
		if err := db.ImportCounters(ctx, cs, cliActor); err != nil {
			return survey.ImportLine(err, lines)
		}
		fmt.Fprintf(stdout, "%d counters imported\n", len(cs))
	case "urls":
		cs, err := db.ListCounters(ctx, *agency)
		if err != nil {
			return err
		}
		signer, err := dbSigner(ctx, db)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.ClosedAt != nil {
				continue
			}
			u := surveyURL(*baseURL, signer, c)
			fmt.Fprintf(stdout, "%s/%s (%s, %s)\n  survey: %s\n  kiosk:  %s?kiosk=%s\n  poster: %s/poster\n", c.AgencyCode, c.Code, c.Name, c.Instrument, u, u, signer.KioskKey(c), u)
		}
	case "rotate":
		c, err := db.RotateCounterToken(ctx, *agency, *code, cliActor)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "counter %s/%s now at token version %d; print its new poster\n", c.AgencyCode, c.Code, c.TokenVersion)
	case "rotate-kiosk":
		// Only the tablet's key changes: the printed QR codes keep working.
		c, err := db.RotateKioskKey(ctx, *agency, *code, cliActor)
		if err != nil {
			return err
		}
		signer, err := dbSigner(ctx, db)
		if err != nil {
			return err
		}
		u := surveyURL(*baseURL, signer, c)
		fmt.Fprintf(stdout, "counter %s/%s now at kiosk version %d; the old kiosk key is refused. Open the new kiosk URL on its tablet:\n  %s?kiosk=%s\n",
			c.AgencyCode, c.Code, c.KioskVersion, u, signer.KioskKey(c))
	default:
		return fmt.Errorf("unknown counter subcommand %q", args[0])
	}
	return nil
}

// dbSigner returns the signer of the database's token secret.
func dbSigner(ctx context.Context, db *sqlite.DB) (*survey.Signer, error) {
	secret, err := db.TokenSecret(ctx)
	if err != nil {
		return nil, err
	}
	return survey.NewSigner(secret), nil
}

// surveyURL is the public survey URL of counter c under base.
func surveyURL(base string, signer *survey.Signer, c *survey.Counter) string {
	return strings.TrimRight(base, "/") + "/s/" + signer.Token(c.ID, c.TokenVersion)
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	dbPath := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: sipas backup [--db PATH] TARGET")
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	res, err := sqlite.IntegrityCheck(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("backup integrity check: %s", res)
	}
	fmt.Fprintf(stdout, "backup written to %s (integrity_check: ok)\n", fs.Arg(0))
	return nil
}
