package survey

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/sipas/sipas/scoring"
)

// Text is a piece of wording in Vietnamese and English.
type Text struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In returns the text in lang ("en" or anything else for Vietnamese),
// falling back to Vietnamese when the English wording is missing.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.VI
}

// Element is a group of criteria (an "yếu tố" in SIPAS).
type Element struct {
	Code string `json:"code"`
	Text
}

// Item is one question answered on the 5-level scale.
type Item struct {
	Code    string `json:"code"`
	Element string `json:"element,omitempty"`
	Text
}

// Option is one choice of a follow-up question.
type Option struct {
	Value string `json:"value"`
	Text
}

// Followup is an optional single-choice question asked after the items (in
// the quick instrument: "Số lần phải đi lại").
type Followup struct {
	Code    string   `json:"code"`
	Options []Option `json:"options"`
	Text
}

// Instrument is one version of a questionnaire. Instruments are data:
// loaded from embedded JSON files, validated at start-up, never edited once
// released.
type Instrument struct {
	ID             string    `json:"id"`
	Version        int       `json:"version"`
	Title          Text      `json:"title"`
	Intro          Text      `json:"intro"`
	Source         string    `json:"source"`
	Elements       []Element `json:"elements"`
	Items          []Item    `json:"items"`
	AllowNoOpinion bool      `json:"allow_no_opinion"`
	RequireAll     bool      `json:"require_all"`
	Followup       *Followup `json:"followup,omitempty"`
	Comment        bool      `json:"comment"`

	itemIndex map[string]int
	design    *scoring.Design
	// empty is empty Stats of design, which NewBundle copies: cheaper than
	// validating the design again for each of a report's many bundles.
	empty *scoring.Stats
}

// Answer values stored per item: 1..5 are the scale, AnswerNA is an explicit
// "no opinion", AnswerBlank means the item was not answered.
const (
	AnswerBlank uint8 = 0
	AnswerNA    uint8 = 6
)

// MaxCommentRunes caps the length of a citizen's comment.
const MaxCommentRunes = 2000

// Scale is the 5-level answer scale with its labels.
var Scale = [5]Text{
	{VI: "Rất không hài lòng", EN: "Very dissatisfied"},
	{VI: "Không hài lòng", EN: "Dissatisfied"},
	{VI: "Bình thường", EN: "Neutral"},
	{VI: "Hài lòng", EN: "Satisfied"},
	{VI: "Rất hài lòng", EN: "Very satisfied"},
}

// NoOpinion is the label of the "no opinion" answer.
var NoOpinion = Text{VI: "Không có ý kiến", EN: "No opinion"}

var codeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,31}$`)

// ItemIndex returns the position of the item with the given code.
func (in *Instrument) ItemIndex(code string) (int, bool) {
	i, ok := in.itemIndex[code]
	return i, ok
}

// ElementItems returns, for each element in order, the positions of its items.
func (in *Instrument) ElementItems() [][]int {
	out := make([][]int, len(in.Elements))
	for i, e := range in.Elements {
		for k, it := range in.Items {
			if it.Element == e.Code {
				out[i] = append(out[i], k)
			}
		}
	}
	return out
}

// validate checks the instrument's internal consistency and builds its index.
func (in *Instrument) validate() error {
	if !codeRE.MatchString(in.ID) || in.Version < 1 {
		return fmt.Errorf("instrument %q v%d: bad id or version", in.ID, in.Version)
	}
	if in.Title.VI == "" || len(in.Items) == 0 {
		return fmt.Errorf("instrument %s: needs a Vietnamese title and at least one item", in.ID)
	}
	elems := map[string]bool{}
	for _, e := range in.Elements {
		if !codeRE.MatchString(e.Code) || elems[e.Code] || e.VI == "" {
			return fmt.Errorf("instrument %s: bad or duplicate element %q", in.ID, e.Code)
		}
		elems[e.Code] = true
	}
	in.itemIndex = make(map[string]int, len(in.Items))
	used := map[string]int{}
	for k, it := range in.Items {
		if !codeRE.MatchString(it.Code) || it.VI == "" {
			return fmt.Errorf("instrument %s: bad item %q", in.ID, it.Code)
		}
		if _, dup := in.itemIndex[it.Code]; dup {
			return fmt.Errorf("instrument %s: duplicate item %s", in.ID, it.Code)
		}
		if len(in.Elements) > 0 && !elems[it.Element] {
			return fmt.Errorf("instrument %s: item %s in unknown element %q", in.ID, it.Code, it.Element)
		}
		in.itemIndex[it.Code] = k
		used[it.Element]++
	}
	for _, e := range in.Elements {
		if used[e.Code] == 0 {
			return fmt.Errorf("instrument %s: element %s has no items", in.ID, e.Code)
		}
	}
	d := in.buildDesign()
	if err := d.Validate(); err != nil {
		return fmt.Errorf("instrument %s: %w", in.ID, err)
	}
	in.design = &d
	in.empty = scoring.NewStats(d)
	if f := in.Followup; f != nil {
		if !codeRE.MatchString(f.Code) || len(f.Options) == 0 || len(f.Options) > 250 {
			return fmt.Errorf("instrument %s: bad follow-up", in.ID)
		}
		if _, clash := in.itemIndex[f.Code]; clash {
			return fmt.Errorf("instrument %s: follow-up code %s clashes with an item", in.ID, f.Code)
		}
	}
	return nil
}

// FollowupIndex returns the 1-based position of value among the follow-up's
// options (what is stored), or 0 when value is empty or unknown.
func (in *Instrument) FollowupIndex(value string) int {
	if in.Followup == nil {
		return 0
	}
	for i, o := range in.Followup.Options {
		if o.Value == value {
			return i + 1
		}
	}
	return 0
}

// Instruments is the registry of every instrument version the server knows.
type Instruments struct {
	versions map[string][]*Instrument // by id, ascending version
}

// LoadInstruments reads and validates every *.json file in fsys. It fails on
// the first malformed file, so a bad release never starts.
func LoadInstruments(fsys fs.FS) (*Instruments, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	reg := &Instruments{versions: map[string][]*Instrument{}}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		var in Instrument
		if err := dec.Decode(&in); err != nil {
			return nil, fmt.Errorf("instrument file %s: %w", name, err)
		}
		if err := in.validate(); err != nil {
			return nil, fmt.Errorf("instrument file %s: %w", name, err)
		}
		if want := fmt.Sprintf("%s.v%d.json", in.ID, in.Version); path.Base(name) != want {
			return nil, fmt.Errorf("instrument file %s: must be named %s", name, want)
		}
		reg.versions[in.ID] = append(reg.versions[in.ID], &in)
	}
	if len(reg.versions) == 0 {
		return nil, fmt.Errorf("no instruments found")
	}
	for _, vs := range reg.versions {
		sort.Slice(vs, func(i, j int) bool { return vs[i].Version < vs[j].Version })
	}
	return reg, nil
}

// Current returns the newest version of the instrument id.
func (r *Instruments) Current(id string) (*Instrument, error) {
	vs := r.versions[id]
	if len(vs) == 0 {
		return nil, Errorf(EINVALID, "unknown instrument %q", id)
	}
	return vs[len(vs)-1], nil
}

// Version returns one exact version of an instrument.
func (r *Instruments) Version(id string, version int) (*Instrument, error) {
	for _, in := range r.versions[id] {
		if in.Version == version {
			return in, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "unknown instrument %s version %d", id, version)
}

// IDs returns the known instrument ids, sorted.
func (r *Instruments) IDs() []string {
	ids := make([]string, 0, len(r.versions))
	for id := range r.versions {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
