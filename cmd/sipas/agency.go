package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sipas/sipas/survey"
)

// agencyReorgUsage is the usage of the reorganisation subcommands of
// sipas agency.
const agencyReorgUsage = "       sipas agency move --agency C --parent P [--date YYYY-MM-DD]   (default today)\n" +
	"       sipas agency merge --into X --from A,B,C --date YYYY-MM-DD [--name N] [--parent P] [--counters move|close]\n" +
	"       sipas agency reorganise FILE.csv   (header kind,date,agency,parent,into,from,name,counters; kinds move, merge, split, close; - for stdin; all or nothing)"

// cmdAgencyReorg runs sipas agency move, merge and reorganise: changes of
// the tree from a date, applied through the store's Reorganise, all of a
// command's events or none. A merge lists the counters it moved or
// closed; an import, how many.
func cmdAgencyReorg(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("agency "+args[0], stderr)
	dbPath := dbFlag(fs)
	agency := fs.String("agency", "", "the agency that moves")
	parent := fs.String("parent", "", "its new parent (move); the new agency's parent (merge; default the first predecessor's)")
	date := fs.String("date", "", "the day the change takes effect, YYYY-MM-DD (move: default today)")
	into := fs.String("into", "", "the agency they merge into (created when it does not exist)")
	from := fs.String("from", "", "the agencies that merge, separated by commas")
	name := fs.String("name", "", "the name of the agency they merge into (required when it is created)")
	counters := fs.String("counters", survey.CountersMove, "the merged agencies' counters: move (to the new agency; their QR codes keep working) or close")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	now := db.Now()
	var events []survey.Event
	switch args[0] {
	case "move":
		m := &survey.Move{Agency: *agency, Parent: *parent, Date: *date}
		if m.Date == "" {
			m.Date = survey.LocalDate(now)
		}
		if err := survey.CheckMove(m, now); err != nil {
			return flagError(err)
		}
		events = []survey.Event{{Kind: survey.EventMove, Move: m}}
	case "merge":
		m := &survey.Merge{Into: *into, Date: *date, Name: *name, Parent: *parent, Counters: *counters}
		if *from != "" {
			m.From = strings.Split(*from, ",")
		}
		if err := survey.CheckMerge(m, now); err != nil {
			return flagError(err)
		}
		events = []survey.Event{{Kind: survey.EventMerge, Merge: m}}
	case "reorganise":
		r, closeFn, err := inputFile(fs.Args(), stdin)
		if err != nil {
			return err
		}
		defer closeFn()
		if events, err = survey.ParseReorganisation(r, now); err != nil {
			return err
		}
	}
	outcomes, err := db.Reorganise(ctx, events, cliActor)
	if err != nil {
		return err
	}
	switch args[0] {
	case "move":
		fmt.Fprintf(stdout, "agency %s is under %s from %s\n", events[0].Move.Agency, events[0].Move.Parent, events[0].Move.Date)
	case "merge":
		m := events[0].Merge
		fmt.Fprintf(stdout, "%s merged into %s on %s (counters: %s)\n", strings.Join(m.From, ", "), m.Into, m.Date, m.Counters)
		printCounterChanges(stdout, outcomes[0].Counters)
	default:
		fmt.Fprintf(stdout, "%d reorganisation events applied (counters: %d moved, %d closed)\n", len(events),
			survey.CountCounters(outcomes, survey.CounterMoved), survey.CountCounters(outcomes, survey.CounterClosed))
	}
	return nil
}

// printCounterChanges lists what a merge did to counters, one a line:
// "  X-A/Q1 → P-MOI/X-A-Q1 (moved)", "  X-B/K1 (closed)".
func printCounterChanges(w io.Writer, cs []survey.CounterChange) {
	for _, c := range cs {
		if c.To != "" {
			fmt.Fprintf(w, "  %s → %s (%s)\n", c.From, c.To, c.Action)
		} else {
			fmt.Fprintf(w, "  %s (%s)\n", c.From, c.Action)
		}
	}
}

// flagError names the flag of a domain error about a field: the flags
// are the fields' names ("date: …" becomes "--date: …").
func flagError(err error) error {
	if e, ok := err.(*survey.Error); ok && len(e.Fields) == 1 {
		for f := range e.Fields {
			return fmt.Errorf("--%s: %s", f, strings.TrimPrefix(e.Message, f+": "))
		}
	}
	return err
}
