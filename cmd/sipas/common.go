package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sipas/sipas/scoring"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
)

// dbFlag registers the --db flag common to every command.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("SIPAS_DB")
	if def == "" {
		def = "./data/sipas.db"
	}
	return fs.String("db", def, "SQLite database file (env SIPAS_DB)")
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("sipas "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// openDB loads the embedded instruments and opens the database.
func openDB(path string) (*sqlite.DB, error) {
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		return nil, fmt.Errorf("instruments: %w", err)
	}
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	return db, nil
}

var cliActor = survey.Actor{Name: "cli"}

// scoringFlags are the confidence level, reporting rules and multiplicity
// adjustment of the commands that report indices (serve, report), so that
// a file says what the dashboard says when both are given the same.
type scoringFlags struct {
	level, flagWidth, suppressWidth *float64
	minN, flagN                     *int64
	adjust                          *string
}

// addScoringFlags defines the scoring flags on fs.
func addScoringFlags(fs *flag.FlagSet) scoringFlags {
	return scoringFlags{
		level:         fs.Float64("confidence", 0.95, "confidence level of every interval"),
		minN:          fs.Int64("min-n", 30, "reporting rule: an index with n below this is not reportable"),
		flagN:         fs.Int64("flag-n", 50, "reporting rule: flag an index with n below this"),
		flagWidth:     fs.Float64("flag-width", 20, "reporting rule: flag an index whose CI is wider (percentage points)"),
		suppressWidth: fs.Float64("suppress-width", 30, "reporting rule: an index whose CI is wider is not reportable"),
		adjust:        fs.String("adjust", scoring.MethodHolm, "multiplicity adjustment of comparisons: holm or bh"),
	}
}

// options checks the scoring flags and returns the scoring options and the
// adjustment.
func (f scoringFlags) options() (scoring.Options, string, error) {
	switch {
	case !(*f.level > 0.5 && *f.level < 1):
		return scoring.Options{}, "", fmt.Errorf("--confidence must be between 0.5 and 1 (e.g. 0.95)")
	case *f.adjust != scoring.MethodHolm && *f.adjust != scoring.MethodBH:
		return scoring.Options{}, "", fmt.Errorf("--adjust must be holm or bh")
	case *f.minN < 0 || *f.flagN < 0 || *f.flagWidth <= 0 || *f.suppressWidth <= 0:
		return scoring.Options{}, "", fmt.Errorf("invalid reporting rules: --min-n and --flag-n ≥ 0, --flag-width and --suppress-width > 0")
	}
	return scoring.Options{Level: *f.level, Rules: scoring.Rules{MinN: *f.minN, FlagN: *f.flagN, FlagWidth: *f.flagWidth, SuppressWidth: *f.suppressWidth}}, *f.adjust, nil
}
