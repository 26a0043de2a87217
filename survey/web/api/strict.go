package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// checkKeys walks a JSON document and refuses what encoding/json lets
// through silently: a key that matches a field only case-insensitively
// (encoding/json would merge "Answers" into "answers") and a key given twice
// in one object (the last would win). Keys of objects decoded into structs
// must be one of the struct's JSON names exactly; map keys only unique.
//
// The document has already been decoded by encoding/json, so it is
// well-formed: this is a single pass over the bytes that only finds the keys
// (submissions are on the hot path; json.Decoder.Token cost as much as the
// decoding itself).
func (k *keyChecker) checkKeys(body []byte, t reflect.Type) error {
	s := &keyScanner{b: body, fields: k}
	return s.value(t)
}

// keyChecker remembers the JSON names of the request types it has seen
// (a handful of structs), so that reflection runs once per type, not per
// request.
type keyChecker struct {
	types sync.Map // reflect.Type → []jsonField
}

func (k *keyChecker) fieldsOf(t reflect.Type) []jsonField {
	if v, ok := k.types.Load(t); ok {
		return v.([]jsonField)
	}
	f := jsonFields(t, nil)
	k.types.Store(t, f)
	return f
}

// keyScanner walks well-formed JSON.
type keyScanner struct {
	b      []byte
	i      int
	fields *keyChecker
}

func (s *keyScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

var rawMessage = reflect.TypeFor[json.RawMessage]()

func (s *keyScanner) value(t reflect.Type) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessage {
		t = nil // any shape, but still no duplicate keys
	}
	s.ws()
	if s.i >= len(s.b) {
		return fmt.Errorf("unexpected end of JSON")
	}
	switch s.b[s.i] {
	case '{':
		s.i++
		return s.object(t)
	case '[':
		s.i++
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for {
			s.ws()
			if s.i < len(s.b) && s.b[s.i] == ']' {
				s.i++
				return nil
			}
			if err := s.value(elem); err != nil {
				return err
			}
			s.ws()
			if s.i < len(s.b) && s.b[s.i] == ',' {
				s.i++
			}
		}
	case '"':
		s.str()
		return nil
	}
	for s.i < len(s.b) && strings.IndexByte(",]} \t\n\r", s.b[s.i]) < 0 {
		s.i++ // a number, true, false or null
	}
	return nil
}

// str skips a string starting at its opening quote and returns its
// contents as written, and whether it holds an escape.
func (s *keyScanner) str() (raw []byte, escaped bool) {
	s.i++ // "
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			escaped = true
			s.i += 2
			continue
		case '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, escaped
		}
		s.i++
	}
	return s.b[start:], escaped
}

func (s *keyScanner) object(t reflect.Type) error {
	var fields []jsonField
	var elem reflect.Type
	switch {
	case t != nil && t.Kind() == reflect.Struct:
		fields = s.fields.fieldsOf(t)
	case t != nil && t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	var seenBuf [32][]byte // an answers object has one key per item
	seen := seenBuf[:0]
	for {
		s.ws()
		if s.i >= len(s.b) {
			return fmt.Errorf("unexpected end of JSON")
		}
		if s.b[s.i] == '}' {
			s.i++
			return nil
		}
		if s.b[s.i] == ',' {
			s.i++
			continue
		}
		key, escaped := s.str()
		if escaped {
			var k string
			if err := json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &k); err != nil {
				return err
			}
			key = []byte(k)
		}
		for _, k := range seen {
			if bytes.Equal(k, key) {
				return fmt.Errorf("duplicate key %s", strconv.Quote(string(key)))
			}
		}
		seen = append(seen, key)
		next := elem
		if t != nil && t.Kind() == reflect.Struct {
			found := false
			for _, f := range fields {
				if f.name == string(key) {
					next, found = f.typ, true
					break
				}
			}
			if !found {
				return fmt.Errorf("unknown field %s", strconv.Quote(string(key)))
			}
		}
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == ':' {
			s.i++
		}
		if err := s.value(next); err != nil {
			return err
		}
	}
}

// jsonField is one exact JSON name of a struct field and the field's type.
type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields appends the exact JSON names of a struct's exported fields
// (embedded structs' fields promoted) to out.
func jsonFields(t reflect.Type, out []jsonField) []jsonField {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = jsonFields(f.Type, out)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name, f.Type})
	}
	return out
}
