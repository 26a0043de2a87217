// Package render executes the app's HTML pages. Every page has a template
// set of its own, and each set is checked against the page's Go data type
// when it is built, so a template naming a field the page lacks fails at
// start-up instead of at request time.
package render

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"reflect"
)

// Page declares one page: the template to execute, the files its set is
// parsed from, and its data type.
type Page struct {
	Name  string   // the template to execute; {{define "Name"}} in one of Files
	Files []string // paths in the FS: shared layout files and the page's own file
	Type  any      // a value of the page's data type, e.g. (*SurveyPage)(nil)
}

// Set holds the parsed and checked template set of every page. It is
// immutable after New and safe for concurrent use.
type Set struct {
	pages map[string]page
}

// page is one built page: its own template set and its data type.
type page struct {
	tmpl *template.Template
	typ  reflect.Type
}

// New parses each page's files from fsys into a template set of its own
// (html/template) and checks it against the page's type. The error names
// the page, the template and position, and the missing field; the problems
// of all pages are joined.
func New(fsys fs.FS, pages ...Page) (*Set, error) {
	s := &Set{pages: make(map[string]page, len(pages))}
	var errs []error
	for _, p := range pages {
		if _, dup := s.pages[p.Name]; dup {
			errs = append(errs, fmt.Errorf("page %q: declared twice", p.Name))
			continue
		}
		built, perrs := build(fsys, p)
		if len(perrs) > 0 {
			errs = append(errs, perrs...)
			continue
		}
		s.pages[p.Name] = built
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// build parses and checks one page and returns its problems.
func build(fsys fs.FS, p Page) (page, []error) {
	fail := func(err error) (page, []error) { return page{}, []error{err} }
	switch {
	case p.Name == "":
		return fail(errors.New("page without a name"))
	case p.Type == nil:
		return fail(fmt.Errorf("page %q: no data type", p.Name))
	case len(p.Files) == 0:
		return fail(fmt.Errorf("page %q: no files", p.Name))
	}
	root := template.New(p.Name)
	for _, name := range p.Files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fail(fmt.Errorf("page %q: %w", p.Name, err))
		}
		// Each file is parsed under its path, so positions in errors name
		// the file, and equal base names in two directories do not clash.
		if _, err := root.New(name).Parse(string(b)); err != nil {
			return fail(fmt.Errorf("page %q: %w", p.Name, err))
		}
	}
	if t := root.Lookup(p.Name); t == nil || t.Tree == nil {
		return fail(fmt.Errorf("page %q: no template %q in %q", p.Name, p.Name, p.Files))
	}
	typ := reflect.TypeOf(p.Type)
	if errs := check(p.Name, root, typ); len(errs) > 0 {
		return page{}, errs
	}
	return page{tmpl: root, typ: typ}, nil
}

// Execute runs page name with data into w. It refuses unknown names and
// data whose dynamic type is not the page's declared type. A template can
// still fail half-way, so callers render into a buffer and write that.
func (s *Set) Execute(w io.Writer, name string, data any) error {
	p, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	if t := reflect.TypeOf(data); t != p.typ {
		return fmt.Errorf("render: page %q takes data of type %s, not %v", name, p.typ, t)
	}
	return p.tmpl.ExecuteTemplate(w, name, data)
}
