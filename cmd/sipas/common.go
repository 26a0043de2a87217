package main

import (
	"flag"
	"fmt"
	"io"
	"os"

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
