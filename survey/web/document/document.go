// Package document renders a periodic report (report.Periodic) as officials
// send it up: HTML sections for the dashboard page, a standalone printable
// HTML document, and an XLSX workbook with one sheet per section. It knows
// no HTTP.
//
// Every index is printed with its interval and n, through report.Shown:
// an estimate the reporting rules do not allow is "chưa đủ dữ liệu", and a
// verdict (a change, a comparison with the other units, a target, a
// task's effect) is only the one its interval or adjusted p-value
// supports. The styles are static/report.css, linked by the dashboard and
// inlined by HTML; the markup has no inline style attribute and no script.
package document

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"

	"github.com/sipas/sipas/static"
	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/report"
)

// templateFiles are the report's templates, parsed anew on every call.
//
//go:embed templates/*.html
var templateFiles embed.FS

// StyleFile is the report's stylesheet in package static (served as
// /static/report.css).
const StyleFile = "report.css"

// parse parses the templates with the functions of lang.
func parse(lang string) (*template.Template, error) {
	return template.New("report").Funcs(template.FuncMap{
		"notEnough":   func() string { return report.NotEnough(lang) },
		"statusLabel": func(s string) string { return report.StatusLabel(s, lang) },
	}).ParseFS(templateFiles, "templates/report.html")
}

// Body renders the report's sections as HTML to embed in a page; in is
// the report's instrument (its element and criterion names). The sections
// start with the report's <h1>; the page links static/report.css.
func Body(r *report.Periodic, in *survey.Instrument, lang string) (template.HTML, error) {
	if r == nil {
		return "", errors.New("document: no report")
	}
	t, err := parse(lang)
	if err != nil {
		return "", fmt.Errorf("document: templates: %w", err)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "body", build(r, in, lang)); err != nil {
		return "", fmt.Errorf("document: body: %w", err)
	}
	return template.HTML(b.String()), nil // html/template escaped it
}

// Style returns static/report.css.
func Style() (string, error) {
	b, err := static.Files.ReadFile(StyleFile)
	if err != nil {
		return "", fmt.Errorf("document: %s: %w", StyleFile, err)
	}
	return string(b), nil
}

// HTML writes the report as a standalone printable HTML document, its
// stylesheet inlined so that it prints the same when saved or mailed.
// Nothing is written when rendering fails.
func HTML(w io.Writer, r *report.Periodic, in *survey.Instrument, lang string) error {
	if r == nil {
		return errors.New("document: no report")
	}
	css, err := Style()
	if err != nil {
		return err
	}
	t, err := parse(lang)
	if err != nil {
		return fmt.Errorf("document: templates: %w", err)
	}
	var b bytes.Buffer
	data := struct {
		Page *page
		CSS  template.CSS
	}{build(r, in, lang), template.CSS(css)} // our own file
	if err := t.ExecuteTemplate(&b, "document", data); err != nil {
		return fmt.Errorf("document: html: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}
