package integrity

import "math"

// maxStartsPerWindow bounds how many windows start within the span of one
// window (see detect).
const maxStartsPerWindow = 50

// cv is a client and an answer vector.
type cv struct {
	client int64
	vector string
}

// window holds the counts of one scan window. What the rate limit flagged
// counts only for its own device: a flood of submissions it already kept
// out (from an address rotating its user agent, say) cannot make honest
// citizens who rated beside it look suspicious. Ratings the integrity
// rules set aside count for everyone: they are the pattern.
type window struct {
	// all and allVec count every rating of a client in the window (and with
	// a vector); counted and countedVec the ones that count for others.
	all, counted map[int64]int
	allVec       map[cv]int
	countedVec   map[cv]int
	// kCounted is the ratings that count for others; people the distinct
	// clients among them and peopleVec those giving each vector (a rating
	// without a client is a person of its own).
	kCounted  int
	people    int
	peopleVec map[string]int
	// vectors lists each client's answer vectors in the window.
	vectors map[int64][]string
}

func (w *window) init() {
	w.all, w.counted, w.allVec, w.countedVec, w.peopleVec = map[int64]int{}, map[int64]int{}, map[cv]int{}, map[cv]int{}, map[string]int{}
	w.vectors = map[int64][]string{}
}

// fill counts the ratings rs of a window.
func (w *window) fill(rs []Rating) {
	clear(w.all)
	clear(w.counted)
	clear(w.allVec)
	clear(w.countedVec)
	clear(w.peopleVec)
	for c, v := range w.vectors {
		w.vectors[c] = v[:0]
	}
	w.kCounted, w.people = 0, 0
	for _, r := range rs {
		key := cv{r.Client, r.Vector}
		w.all[r.Client]++
		w.allVec[key]++
		if r.Client != 0 {
			w.vectors[r.Client] = append(w.vectors[r.Client], r.Vector)
		}
		if r.Limited {
			continue
		}
		w.kCounted++
		w.counted[r.Client]++
		w.countedVec[key]++
		if r.Client == 0 || w.counted[r.Client] == 1 {
			w.people++
		}
		if r.Client == 0 || w.countedVec[key] == 1 {
			w.peopleVec[r.Vector]++
		}
	}
}

// signals returns the p-values of r's signals in the window: base (its own
// day) with the window's burst, device and repetition.
func (w *window) signals(r Rating, base [5]float64, mu float64, nEff int, clientsEff map[int64]int, b *Baseline, tails *tailCache) [5]float64 {
	sig := base
	// r's own device: all its ratings of the window; everyone else: the
	// counted ones.
	own, ownVec := 1, 1
	countedOwn, countedOwnVec, inPeople, inPeopleVec := 0, 0, 0, 0
	if !r.Limited {
		countedOwn, countedOwnVec, inPeople, inPeopleVec = 1, 1, 1, 1
	}
	if r.Client != 0 {
		key := cv{r.Client, r.Vector}
		own, ownVec = w.all[r.Client], w.allVec[key]
		countedOwn, countedOwnVec = w.counted[r.Client], w.countedVec[key]
		inPeople, inPeopleVec = min(countedOwn, 1), min(countedOwnVec, 1)
	}
	k := w.kCounted - countedOwn + own
	sig[0] = max(tails.poisson(k, mu), burstFloor)
	if alike := w.alike(r); alike >= 3 {
		// The device's taps with answers like these, against its share of
		// the rest of the day: people sharing an address (an office's
		// Wi-Fi) answer differently; a phone stuffing its counter repeats
		// itself, give or take an item.
		rest := float64(nEff - w.kCounted)
		share := min((float64(clientsEff[r.Client]-countedOwn)+0.5)/(max(rest, 0)+1), 1)
		sig[1] = tails.binom(alike, k, share)
	}
	rep := sig[2] // the client's day
	others := w.people - inPeople
	if kv := ownVec + w.peopleVec[r.Vector] - inPeopleVec; kv >= 3 {
		// Among the window's people.
		rep = min(rep, tails.binom(kv, own+others, b.vectorShare(r.Vector)))
	}
	if own >= 5 {
		// Among the device's ratings of the window (a tablet, or a phone
		// tapping on).
		rep = min(rep, tails.binom(ownVec, own, b.vectorShare(r.Vector)))
	}
	sig[2] = min(1, 3*rep) // the smallest of three, Bonferroni
	if r.Kiosk && sig[2] >= kioskPattern {
		// The tablet serves every citizen of the counter: that it is busy
		// says nothing of a rating that does not carry the window's
		// repeated answers.
		sig[0], sig[1] = 1, 1
	}
	return sig
}

// maxAlike bounds the comparisons of alike: past it, a device's taps are
// counted as they are, not compared (a flood from one phone is one device
// whatever its answers).
const maxAlike = 200

// alike counts the ratings of r's device in the window whose answers are
// like r's: the same but for at most alikeItems items, or, both, every
// answer 4 or 5 (the "satisfied" a stuffer wants).
func (w *window) alike(r Rating) int {
	if r.Client == 0 {
		return 0
	}
	vs := w.vectors[r.Client]
	if len(vs) > maxAlike {
		return len(vs)
	}
	n := 0
	for _, v := range vs {
		if alikeVectors(v, r.Vector) {
			n++
		}
	}
	return n
}

// alikeItems is how many answers two ratings may differ in and still be
// alike.
const alikeItems = 3

// alikeVectors reports whether answer vectors a and b are alike.
func alikeVectors(a, b string) bool {
	if satisfied(a) && satisfied(b) {
		return true
	}
	if len(a) != len(b) {
		return false
	}
	d := 0
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			if d++; d > alikeItems {
				return false
			}
		}
	}
	return true
}

// satisfied reports whether every answered item of v is 4 or 5.
func satisfied(v string) bool {
	n := 0
	for i := 0; i < len(v); i++ {
		if a := v[i]; a >= 1 && a <= 5 {
			if a < 4 {
				return false
			}
			n++
		}
	}
	return n > 0
}

// tailCache remembers the tail probabilities of one unit-day: windows
// that overlap ask the same ones again and again.
type tailCache map[[3]uint64]float64

func (t tailCache) poisson(k int, mu float64) float64 {
	key := [3]uint64{0, uint64(k), math.Float64bits(mu)}
	if p, ok := t[key]; ok {
		return p
	}
	p := poissonSF(k, mu)
	t[key] = p
	return p
}

func (t tailCache) binom(k, n int, p float64) float64 {
	key := [3]uint64{uint64(k)<<32 | 1, uint64(n), math.Float64bits(p)}
	if v, ok := t[key]; ok {
		return v
	}
	v := binomSF(k, n, p)
	t[key] = v
	return v
}
