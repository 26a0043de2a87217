package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/integrity"
)

const integrityUsage = `usage:
  sipas integrity scan [--date YYYY-MM-DD]...   judge yesterday's and today's ratings (or the dates given) and set aside what the rule covers
  sipas integrity hours CODE                    print the opening hours that apply to an agency (JSON)
  sipas integrity hours CODE FILE.json|-        set the agency's own hours ({"mon": ["07:00-11:30", "13:30-17:00"], ...})
  sipas integrity hours CODE --inherit          drop the agency's own hours: it takes its parent's (or the default)
  sipas integrity holidays                      print the public holidays (JSON)
  sipas integrity holidays FILE.json|-          replace them ([{"date": "2026-09-02", "name": "Quốc khánh"}, ...])`

// cmdIntegrity runs the integrity scan (for cron, when the server's own
// periodic pass is off) and manages what its signals are judged against.
func cmdIntegrity(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, integrityUsage)
		return fmt.Errorf("missing subcommand")
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("integrity "+sub, stderr)
	dbPath := dbFlag(fs)
	var dates multiFlag
	inherit := false
	switch sub {
	case "scan":
		fs.Var(&dates, "date", "a date to judge (YYYY-MM-DD, Vietnam; repeatable; default yesterday and today)")
	case "hours":
		fs.BoolVar(&inherit, "inherit", false, "drop the agency's own hours")
	case "holidays":
	default:
		fmt.Fprintln(stderr, integrityUsage)
		return fmt.Errorf("unknown subcommand %q", sub)
	}
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		return err
	}
	for _, d := range dates {
		if _, err := survey.ParsePeriod(d, d); err != nil {
			return fmt.Errorf("--date: %s", survey.ErrorMessage(err))
		}
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if most := map[string]int{"scan": 0, "hours": 2, "holidays": 1}[sub]; len(pos) > most {
		fmt.Fprintln(stderr, integrityUsage)
		return fmt.Errorf("integrity %s: unexpected argument %q", sub, pos[most])
	}
	switch sub {
	case "scan":
		res, err := (&integrity.Scanner{Store: db, By: cliActor}).Scan(ctx, dates...)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d ratings of %d units judged; %d set aside in %d windows; %d client hashes erased\n",
			strings.Join(res.Dates, ", "), res.Ratings, res.Units, res.SetAside, res.Windows, res.Erased)
		return nil
	case "hours":
		if len(pos) == 0 || len(pos) > 2 || (inherit && len(pos) != 1) {
			fmt.Fprintln(stderr, integrityUsage)
			return fmt.Errorf("give an agency code, and a file to set its hours")
		}
		code := pos[0]
		if inherit {
			return db.SetAgencyHours(ctx, code, nil, cliActor)
		}
		if len(pos) == 1 {
			h, from, err := db.AgencyHours(ctx, code)
			if err != nil {
				return err
			}
			return json.NewEncoder(stdout).Encode(map[string]any{"agency": code, "hours": h, "set_on": from})
		}
		var h integrity.Hours
		if err := readJSON(pos[1], stdin, &h); err != nil {
			return err
		}
		return db.SetAgencyHours(ctx, code, &h, cliActor)
	default: // holidays
		if len(pos) == 0 {
			list, err := db.Holidays(ctx)
			if err != nil {
				return err
			}
			if list == nil {
				list = []integrity.Holiday{}
			}
			return json.NewEncoder(stdout).Encode(list)
		}
		var list []integrity.Holiday
		if err := readJSON(pos[0], stdin, &list); err != nil {
			return err
		}
		if err := db.SetHolidays(ctx, list, cliActor); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d holidays set\n", len(list))
		return nil
	}
}

// readJSON decodes the file at path ("-": stdin) into v, refusing unknown
// fields.
func readJSON(path string, stdin io.Reader, v any) error {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if survey.ErrorCode(err) == survey.EINVALID {
			return fmt.Errorf("%s: %s", path, survey.ErrorMessage(err))
		}
		return fmt.Errorf("%s: not the JSON expected: %v", path, err)
	}
	if dec.More() {
		return fmt.Errorf("%s: more than one JSON value", path)
	}
	return nil
}

// parseInterspersed parses flags before, between and after the positional
// arguments ("hours D1 --inherit"), which it returns in order.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		rest := args
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		// After "--" everything is positional.
		if n := len(rest) - fs.NArg(); n > 0 && rest[n-1] == "--" {
			return append(pos, fs.Args()...), nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
