package survey

import "github.com/sipas/sipas/scoring"

// Design returns the instrument's layout for the scoring package. The
// result is shared: callers must not modify it.
func (in *Instrument) Design() scoring.Design {
	if in.design != nil {
		return *in.design
	}
	return in.buildDesign()
}

func (in *Instrument) buildDesign() scoring.Design {
	d := scoring.Design{Items: make([]string, len(in.Items))}
	for k, it := range in.Items {
		d.Items[k] = it.Code
	}
	for i, idx := range in.ElementItems() {
		d.Elements = append(d.Elements, scoring.Element{Code: in.Elements[i].Code, Items: idx})
	}
	return d
}

// ScoringAnswers converts stored answers to the scoring package's coding,
// where 0 means no valid answer (no opinion or blank).
func ScoringAnswers(stored []uint8, dst []uint8) []uint8 {
	dst = dst[:0]
	for _, v := range stored {
		if v > 5 {
			v = 0
		}
		dst = append(dst, v)
	}
	return dst
}
