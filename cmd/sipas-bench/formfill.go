package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/sipas/sipas/survey"
)

// htmlForm is the first POST form of a page, read as a browser reads it:
// its action and controls in document order.
type htmlForm struct {
	Action   string
	Controls []control
}

// control is one successful-or-not form control.
type control struct {
	Kind    string // "hidden", "text", "textarea", "radio", "checkbox", "submit"
	Name    string
	Value   string
	Checked bool
}

// parseForm returns the first <form method="post"> of page, read as a
// browser reads it: tags and attribute names in any case, values quoted
// either way or not at all, character references decoded, comments and
// the contents of <style> and <script> skipped. It scans for the tags a
// submission depends on (form, input, button, textarea) rather than
// building a tree or tokenizing every tag, which costs as much as the
// server's answer and would weigh on both sides of the ratio. Disabled
// controls are left out, as a browser never sends them.
func parseForm(page []byte) (*htmlForm, error) {
	var f *htmlForm
	for i := 0; ; {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 {
			break
		}
		i += j + 1
		if bytes.HasPrefix(page[i:], []byte("!--")) {
			k := bytes.Index(page[i+3:], []byte("-->"))
			if k < 0 {
				break
			}
			i += 3 + k + 3
			continue
		}
		closing := i < len(page) && page[i] == '/'
		if closing {
			i++
		}
		n := 0
		for i+n < len(page) && isNameByte(page[i+n]) {
			n++
		}
		if n == 0 {
			continue // a '<' in text
		}
		name := strings.ToLower(string(page[i : i+n]))
		end, a := readAttrs(page[i+n:])
		i += n + end
		if closing {
			if name == "form" && f != nil {
				return f, nil
			}
			continue
		}
		switch name {
		case "style", "script":
			// Raw text: skip to the end tag.
			k := indexFold(page[i:], "</"+name)
			if k < 0 {
				i = len(page)
				continue
			}
			i += k
		case "form":
			if f == nil && strings.EqualFold(a.method, "post") {
				f = &htmlForm{Action: a.action}
			}
		case "input", "button", "textarea":
			if f == nil || a.disabled {
				continue
			}
			switch name {
			case "input":
				kind := strings.ToLower(a.kind)
				switch kind {
				case "hidden", "radio", "checkbox", "submit":
				case "button", "reset", "image", "file":
					continue // not sent by a plain submission
				default:
					kind = "text" // text, search, email, or no type at all
				}
				if !a.hasValue && (kind == "radio" || kind == "checkbox") {
					a.value = "on"
				}
				f.Controls = append(f.Controls, control{Kind: kind, Name: a.name, Value: a.value, Checked: a.checked})
			case "button":
				if t := strings.ToLower(a.kind); t == "" || t == "submit" {
					f.Controls = append(f.Controls, control{Kind: "submit", Name: a.name, Value: a.value})
				}
			case "textarea":
				k := indexFold(page[i:], "</textarea")
				if k < 0 {
					return nil, errors.New("a textarea is not closed")
				}
				// A newline right after <textarea> is not part of its value.
				v := strings.TrimPrefix(strings.TrimPrefix(string(page[i:i+k]), "\r"), "\n")
				f.Controls = append(f.Controls, control{Kind: "textarea", Name: a.name, Value: html.UnescapeString(v)})
				i += k
			}
		}
	}
	if f == nil {
		return nil, errors.New("no POST form on the page")
	}
	return nil, errors.New("the form is not closed")
}

// tagAttrs are the attributes of a tag that a submission depends on; the
// first of a repeated attribute counts, as in a browser.
type tagAttrs struct {
	method, action, kind, name, value string
	hasValue, checked, disabled       bool
	seen                              uint8 // bits: type, name
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// readAttrs reads the attributes of a tag from b (just after its name) and
// returns the offset just after the tag's '>'.
func readAttrs(b []byte) (int, tagAttrs) {
	var a tagAttrs
	k := 0
	for k < len(b) {
		for k < len(b) && (isSpace(b[k]) || b[k] == '/') {
			k++
		}
		if k >= len(b) || b[k] == '>' {
			return min(k+1, len(b)), a
		}
		start := k
		for k < len(b) && !isSpace(b[k]) && b[k] != '=' && b[k] != '>' && b[k] != '/' {
			k++
		}
		key := strings.ToLower(string(b[start:k]))
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		var val string
		hasVal := false
		if k < len(b) && b[k] == '=' {
			k++
			for k < len(b) && isSpace(b[k]) {
				k++
			}
			hasVal = true
			if k < len(b) && (b[k] == '"' || b[k] == '\'') {
				q := b[k]
				e := bytes.IndexByte(b[k+1:], q)
				if e < 0 {
					e = len(b) - k - 1
				}
				val = string(b[k+1 : k+1+e])
				k += e + 2
			} else {
				start := k
				for k < len(b) && !isSpace(b[k]) && b[k] != '>' {
					k++
				}
				val = string(b[start:k])
			}
			if strings.IndexByte(val, '&') >= 0 {
				val = html.UnescapeString(val)
			}
		}
		switch key {
		case "method":
			a.method = val
		case "action":
			a.action = val
		case "type":
			if a.seen&1 == 0 {
				a.kind, a.seen = val, a.seen|1
			}
		case "name":
			if a.seen&2 == 0 {
				a.name, a.seen = val, a.seen|2
			}
		case "value":
			if !a.hasValue {
				a.value, a.hasValue = val, hasVal
			}
		case "checked":
			a.checked = true
		case "disabled":
			a.disabled = true
		}
	}
	return len(b), a
}

// indexFold is bytes.Index for an ASCII needle, ignoring case.
func indexFold(b []byte, needle string) int {
	for i := 0; i+len(needle) <= len(b); i++ {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		if i+len(needle) <= len(b) && strings.EqualFold(string(b[i:i+len(needle)]), needle) {
			return i
		}
	}
	return -1
}

// values returns the distinct values of the radio group or the submit
// buttons called name, in document order.
func (f *htmlForm) values(kind, name string) []string {
	var out []string
	for _, c := range f.Controls {
		if c.Kind == kind && c.Name == name && !slices.Contains(out, c.Value) {
			out = append(out, c.Value)
		}
	}
	return out
}

// formSpec is what a citizen has to answer on an instrument's form: every
// item (required), the follow-up question (optional) and the comment.
type formSpec struct {
	Items    []string
	Followup string // "" for none
}

// specOf returns the form spec of an instrument.
func specOf(in *survey.Instrument) formSpec {
	s := formSpec{}
	for _, it := range in.Items {
		s.Items = append(s.Items, it.Code)
	}
	if in.Followup != nil {
		s.Followup = in.Followup.Code
	}
	return s
}

// fill answers the form as a citizen would and returns the body a browser
// sends for it (application/x-www-form-urlencoded, fields in document
// order) with the submission id it carries. Every item of spec is answered
// (a level, skewed towards satisfied, or about 5% "no opinion" where the
// form offers it); an item drawn as submit buttons (the one-tap form) is
// the button clicked; the optional follow-up is answered half the time,
// the comment is one of comments, and every other field (hidden ones, the
// empty honeypot) is sent as the page holds it. h fixes the choices.
func fill(f *htmlForm, spec formSpec, h uint64) (body, submissionID string, err error) {
	chosen := map[string]string{}      // radio group → value
	clicked := control{Kind: "submit"} // the button pressed; nameless for a plain "Send"
	clickedSet := false
	pick := func(vals []string, r uint64) string {
		if r%20 == 0 && slices.Contains(vals, "na") {
			return "na"
		}
		if v := string("12334445555"[r%11]); slices.Contains(vals, v) {
			return v
		}
		return vals[r%uint64(len(vals))]
	}
	for i, code := range spec.Items {
		r := mix(h + uint64(i) + 1)
		if vals := f.values("radio", code); len(vals) > 0 {
			chosen[code] = pick(vals, r)
			continue
		}
		vals := f.values("submit", code)
		if len(vals) == 0 {
			return "", "", fmt.Errorf("the form has no field for item %s", code)
		}
		if clickedSet {
			return "", "", fmt.Errorf("items %s and %s are both buttons: one click cannot answer both", clicked.Name, code)
		}
		clicked, clickedSet = control{Kind: "submit", Name: code, Value: pick(vals, r)}, true
	}
	if spec.Followup != "" && h>>40&1 == 1 {
		if vals := f.values("radio", spec.Followup); len(vals) > 0 {
			chosen[spec.Followup] = vals[mix(h^0xf0)%uint64(len(vals))]
		}
	}
	if !clickedSet && !slices.ContainsFunc(f.Controls, func(c control) bool { return c.Kind == "submit" && c.Name == "" }) {
		return "", "", errors.New("the form has no plain submit button")
	}
	var b strings.Builder
	add := func(name, value string) {
		if name == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(value))
	}
	done := map[string]bool{}
	for _, c := range f.Controls {
		switch c.Kind {
		case "hidden", "text":
			add(c.Name, c.Value)
			if c.Name == "submission_id" {
				submissionID = c.Value
			}
		case "textarea":
			v := c.Value
			if c.Name == "comment" {
				v = comments[mix(h^0xc0)%uint64(len(comments))]
			}
			// Browsers send a textarea's line breaks as CRLF.
			add(c.Name, strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\n", "\r\n"))
		case "radio":
			v, ok := chosen[c.Name]
			if !ok && c.Checked {
				v, ok = c.Value, true
			}
			if ok && v == c.Value && !done[c.Name] {
				add(c.Name, v)
				done[c.Name] = true
			}
		case "checkbox":
			if c.Checked {
				add(c.Name, c.Value)
			}
		case "submit":
			if clickedSet && c.Name == clicked.Name && c.Value == clicked.Value && !done["\x00submit"] {
				add(c.Name, c.Value)
				done["\x00submit"] = true
			}
		}
	}
	if !survey.ValidSubmissionID(submissionID) {
		return "", "", fmt.Errorf("the form carries no valid submission_id (got %q)", submissionID)
	}
	return b.String(), submissionID, nil
}
