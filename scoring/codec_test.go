package scoring

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestStatsBinaryRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for name, d := range map[string]Design{"sipas": sipasDesign(), "small": smallDesign(), "quick": quickDesign()} {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{0, 1, 500} {
				s := mustStats(t, d, newPopulation(len(d.Items), 0.5, 0.2).sample(rng, n))
				b, err := s.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var got Stats
				if err := got.UnmarshalBinary(b); err != nil {
					t.Fatal(err)
				}
				if !got.Matches(d) {
					t.Fatalf("got a Stats that does not match its design")
				}
				checkSameStats(t, &got, s)
				for i := range s.floats {
					if got.floats[i] != s.floats[i] {
						t.Fatalf("got float %v, want exactly %v", got.floats[i], s.floats[i])
					}
				}
				// The decoded Stats keeps working.
				if err := got.Merge(s); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestStatsBinarySize(t *testing.T) {
	d := sipasDesign()
	s := mustStats(t, d, newPopulation(22, 0.5, 0.2).sample(rand.New(rand.NewPCG(1, 1)), 1000))
	b, _ := s.MarshalBinary()
	if len(b) > 4096 {
		t.Fatalf("got %d bytes for 22 items, want at most 4096", len(b))
	}
}

func TestStatsUnmarshalErrors(t *testing.T) {
	d := smallDesign()
	good, _ := mustStats(t, d, [][]uint8{{1, 2, 3, 4, 5, 0, 4, 4}, {5, 5, 5, 5, 5, 5, 5, 5}}).MarshalBinary()
	corrupt := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	nan := corrupt(func(b []byte) []byte {
		binary.LittleEndian.PutUint64(b[len(b)-8:], math.Float64bits(math.NaN()))
		return b
	})
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"version", corrupt(func(b []byte) []byte { b[0] = 9; return b })},
		{"truncated", good[:len(good)-1]},
		{"trailing", append(append([]byte(nil), good...), 0)},
		{"zero items", []byte{statsVersion, 0, 0}},
		{"too many items", []byte{statsVersion, 200, 1, 0}},
		{"position out of range", []byte{statsVersion, 1, 1, 1, 3}},
		{"overlong varint", []byte{statsVersion, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
		{"NaN float", nan},
		{"counts do not add up", tampered(t, d, func(s *Stats) { s.ints[iCounts+1]++ })},
		{"pair count above N", tampered(t, d, func(s *Stats) { s.ints[s.offRR] = 3 })},
		{"element above N", tampered(t, d, func(s *Stats) { s.ints[s.offElem[0]] = 3 })},
		{"complete cases above n", tampered(t, d, func(s *Stats) { s.ints[s.offElem[1]+1] = 2; s.ints[s.offElem[1]] = 1 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStats(quickDesign())
			before := s.Clone()
			if err := s.UnmarshalBinary(tt.data); !errors.Is(err, ErrEncoding) {
				t.Fatalf("got %v, want ErrEncoding", err)
			}
			checkSameStats(t, s, before)
		})
	}
}

// tampered encodes Stats of two respondents of d after f breaks an invariant.
func tampered(t *testing.T, d Design, f func(s *Stats)) []byte {
	s := mustStats(t, d, [][]uint8{{1, 2, 3, 4, 5, 0, 4, 4}, {5, 5, 5, 5, 5, 5, 5, 5}})
	f(s)
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzStatsUnmarshal checks that no input makes UnmarshalBinary panic, and
// that anything it accepts re-encodes identically and computes without NaN.
func FuzzStatsUnmarshal(f *testing.F) {
	for _, d := range []Design{sipasDesign(), smallDesign(), quickDesign()} {
		b, _ := mustStats(f, d, newPopulation(len(d.Items), 0.5, 0.2).sample(rand.New(rand.NewPCG(1, 2)), 5)).MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{statsVersion, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Stats
		if err := s.UnmarshalBinary(data); err != nil {
			return
		}
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatalf("got %v, want a re-encodable Stats", err)
		}
		if string(b) != string(data) {
			t.Fatalf("got %x, want %x", b, data)
		}
		checkNoNaN(t, Compute(designOf(&s), &s, Options{}))
		c := s.Clone()
		if err := c.Merge(&s); err != nil {
			t.Fatal(err)
		}
		if err := c.Sub(&s); err != nil {
			t.Fatal(err)
		}
	})
}

// designOf builds a Design with generated codes for the shape of s.
func designOf(s *Stats) Design {
	d := Design{Items: make([]string, s.sh.k)}
	for i := range d.Items {
		d.Items[i] = "I" + string(rune('A'+i%26)) + string(rune('a'+i/26))
	}
	for e, items := range s.sh.elems {
		d.Elements = append(d.Elements, Element{Code: "E" + string(rune('A'+e%26)) + string(rune('a'+e/26)), Items: items})
	}
	return d
}

func TestMergeBinary(t *testing.T) {
	d := sipasDesign()
	rng := rand.New(rand.NewPCG(21, 22))
	pop := newPopulation(len(d.Items), 0.6, 0.1)
	a := mustStats(t, d, pop.sample(rng, 40))
	b := mustStats(t, d, pop.sample(rng, 25))
	enc, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := a.Clone()
	if err := want.Merge(b); err != nil {
		t.Fatal(err)
	}
	got := a.Clone()
	if err := got.MergeBinary(enc); err != nil {
		t.Fatalf("MergeBinary: %v", err)
	}
	if !reflect.DeepEqual(got.ints, want.ints) || !reflect.DeepEqual(got.floats, want.floats) {
		t.Fatalf("MergeBinary differs from Merge")
	}
	// Garbage, truncation and another design leave the receiver unchanged.
	other, _ := mustStats(t, quickDesign(), [][]uint8{{5}}).MarshalBinary()
	for name, bad := range map[string][]byte{
		"empty": nil, "version": {9}, "truncated": enc[:len(enc)-3], "trailing": append(append([]byte{}, enc...), 0),
		"other design": other, "header only": enc[:4],
	} {
		c := a.Clone()
		if err := c.MergeBinary(bad); err == nil {
			t.Fatalf("%s: got no error", name)
		}
		if !reflect.DeepEqual(c.ints, a.ints) || !reflect.DeepEqual(c.floats, a.floats) {
			t.Fatalf("%s: receiver changed", name)
		}
	}
}

func FuzzMergeBinary(f *testing.F) {
	d := sipasDesign()
	s := mustStats(f, d, [][]uint8{filled(len(d.Items), 4), filled(len(d.Items), 0)})
	enc, _ := s.MarshalBinary()
	f.Add(enc)
	f.Add([]byte{1, 22})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := s.Clone()
		if err := c.MergeBinary(data); err != nil && !reflect.DeepEqual(c.ints, s.ints) {
			t.Fatalf("receiver changed on error %v", err)
		}
	})
}
