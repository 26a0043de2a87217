package main

import (
	"context"
	"fmt"
	"io"

	"github.com/sipas/sipas/survey"
)

const dossierUsage = "usage: sipas dossier import FILE.csv  (header code,agency,received_at and optionally counter,procedure,procedure_name,due_at,returned_at; - for stdin)"

// cmdDossier registers dossiers from a CSV file, as the one-stop software
// does through POST /api/v1/dossiers/import: all or nothing, an error names
// the line. Only the codes' keyed hashes are stored.
func cmdDossier(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	r, dbPath, closeFn, err := importInput("dossier", dossierUsage, args, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeFn()
	rs, lines, err := survey.ParseDossiersCSV(r)
	if err != nil {
		return err
	}
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	signer, err := dbSigner(ctx, db)
	if err != nil {
		return err
	}
	hashes := make([][]byte, len(rs))
	for i, d := range rs {
		hashes[i] = signer.DossierHash(d.Code)
	}
	created, err := db.ImportDossiers(ctx, hashes, rs, cliActor)
	if err != nil {
		return survey.ImportLine(err, lines)
	}
	fmt.Fprintf(stdout, "%d dossiers imported (%d new, %d updated)\n", len(rs), created, len(rs)-created)
	return nil
}

const volumeUsage = "usage: sipas volume import FILE.csv  (header agency,month,dossiers, month as 2026-11; - for stdin)"

// cmdVolume stores monthly dossier counts from a CSV file, as POST
// /api/v1/volumes/import does, and says what each row replaced.
func cmdVolume(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	r, dbPath, closeFn, err := importInput("volume", volumeUsage, args, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeFn()
	vs, lines, err := survey.ParseVolumesCSV(r)
	if err != nil {
		return err
	}
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.ImportVolumes(ctx, vs, cliActor)
	if err != nil {
		return survey.ImportLine(err, lines)
	}
	for _, v := range rows {
		fmt.Fprintf(stdout, "%s %s: %d dossiers", v.Agency, v.Month, v.Dossiers)
		if v.Replaced != nil {
			fmt.Fprintf(stdout, "; replaces the %d imported before", *v.Replaced)
		}
		if v.Registered > 0 {
			fmt.Fprintf(stdout, "; stands in for %d registered dossiers", v.Registered)
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "%d monthly counts imported\n", len(rows))
	return nil
}

// importInput reads the arguments of "sipas NOUN import [--db PATH] FILE":
// the file (or stdin for "-") and the database path.
func importInput(noun, usage string, args []string, stdin io.Reader, stderr io.Writer) (io.Reader, string, func(), error) {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(stderr, usage)
		return nil, "", nil, fmt.Errorf("missing or unknown %s subcommand", noun)
	}
	fs := newFlags(noun+" import", stderr)
	dbPath := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return nil, "", nil, err
	}
	r, closeFn, err := inputFile(fs.Args(), stdin)
	if err != nil {
		return nil, "", nil, err
	}
	return r, *dbPath, closeFn, nil
}
