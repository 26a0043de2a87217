package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestCheckKeys(t *testing.T) {
	typ := reflect.TypeFor[*responseRequest]()
	tests := []struct {
		name, body, wantErr string
	}{
		{"exact keys", `{"token":"t","submission_id":"s","answers":{"TC1":5,"TC2":"na"},"followup":"1","comment":"c","kiosk":""}`, ""},
		{"key in another case", `{"token":"t","answers":{"TC1":1},"Answers":{"TC1":5}}`, `unknown field "Answers"`},
		{"upper-case only", `{"TOKEN":"t"}`, `unknown field "TOKEN"`},
		{"duplicate top-level key", `{"token":"a","token":"b"}`, `duplicate key "token"`},
		{"duplicate answer", `{"answers":{"TC1":1,"TC1":5}}`, `duplicate key "TC1"`},
		{"unknown key", `{"nope":1}`, `unknown field "nope"`},
		{"nested raw objects", `{"answers":{"TC1":{"a":1,"a":2}}}`, `duplicate key "a"`},
		{"arrays walked", `{"answers":{"TC1":[{"x":1,"x":1}]}}`, `duplicate key "x"`},
		{"a note", `{"note":"x"}`, `unknown field "note"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&keyChecker{}).checkKeys([]byte(tt.body), typ)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
	// encoding/json alone takes the case-variant key and changes TC1: what
	// checkKeys is for.
	var r responseRequest
	if err := json.Unmarshal([]byte(`{"answers":{"TC1":1},"Answers":{"TC1":5}}`), &r); err != nil || string(r.Answers["TC1"]) != "5" {
		t.Fatalf("encoding/json changed: got %v %s", err, r.Answers["TC1"])
	}
	if err := (&keyChecker{}).checkKeys([]byte(`{"note":"x"}`), reflect.TypeFor[*reviewRequest]()); err != nil {
		t.Fatalf("review request: %v", err)
	}
}
