package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
	"github.com/sipas/sipas/survey/web/document"
)

// cmdReport prints a periodic report (báo cáo định kỳ) of an agency's
// subtree as JSON (the API's), XLSX or a printable HTML document.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	dbPath := dbFlag(fs)
	agency := fs.String("agency", "", "agency code (its subtree is reported; a lead department gets everything beneath it)")
	period := fs.String("period", "", "period: YYYY-Qn, YYYY-H1, YYYY-H2, YYYY or YYYY-MM")
	format := fs.String("format", "json", "json, xlsx or html")
	out := fs.String("out", "", "write to this file instead of standard output (replaced whole, or left as it was on failure)")
	inst := fs.String("instrument", survey.DefaultInstrument, "instrument id")
	lang := fs.String("lang", "vi", "language of the xlsx and html texts: vi or en")
	// As the server is run with, so that the file says what the dashboard
	// says.
	scoringSet := addScoringFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *format != "json" && *format != "xlsx" && *format != "html" {
		return fmt.Errorf("--format must be json, xlsx or html")
	}
	if *lang != "vi" && *lang != "en" {
		return fmt.Errorf("--lang must be vi or en")
	}
	opts, adjust, err := scoringSet.options()
	if err != nil {
		return err
	}
	if *agency == "" {
		return fmt.Errorf("--agency is required")
	}
	if *period == "" {
		return fmt.Errorf("--period is required (YYYY-Qn, YYYY-H1, YYYY-H2, YYYY or YYYY-MM)")
	}
	rp, err := survey.ParseReportPeriod(*period)
	if err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	in, err := db.Instruments().Current(*inst)
	if err != nil {
		return err
	}
	a, err := db.FindAgency(ctx, *agency)
	if err != nil {
		return err
	}
	svc := &report.Service{Agencies: db, Stats: db, Volumes: db, Plans: db, Reorg: db, Instruments: db.Instruments(),
		Options: opts, Adjust: adjust}
	r, err := svc.Periodic(ctx, report.PeriodicQuery{Agency: a, Instrument: in, Period: rp, Today: time.Now(), Lang: *lang})
	if err != nil {
		return err
	}
	// The whole report is rendered before anything is written.
	var b bytes.Buffer
	switch *format {
	case "json":
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	case "xlsx":
		err = document.XLSX(&b, r, in, *lang)
	default:
		err = document.HTML(&b, r, in, *lang)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	return writeAtomic(*out, b.Bytes())
}

// writeAtomic writes data to a temporary file beside path and renames it
// over path, so that a failed write leaves no half file.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("--out: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--out: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}
