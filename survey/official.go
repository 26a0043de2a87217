package survey

import (
	"math"
	"strings"
	"time"
)

// Official yearly indices, published each year by the ministries.
const (
	IndexSIPAS = "SIPAS"
	IndexPAR   = "PAR INDEX"
	IndexPAPI  = "PAPI"
)

// OfficialIndices are the official indices, in the order reports list them.
var OfficialIndices = []string{IndexSIPAS, IndexPAR, IndexPAPI}

// PAPIMax is PAPI's greatest score: eight dimensions of 10 points.
const PAPIMax = 80

// OfficialResult is an index the ministries published for an agency and a
// year: Score in the index's own unit (percent for SIPAS and PAR INDEX,
// points for PAPI), and the rank among Of units when known.
type OfficialResult struct {
	AgencyID   int64     `json:"-"`
	Agency     string    `json:"agency"`
	Index      string    `json:"index"`
	Year       int       `json:"year"`
	Score      float64   `json:"score"`
	Rank       *int      `json:"rank,omitempty"`
	Of         *int      `json:"of,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
	RecordedBy string    `json:"recorded_by"`
}

// ParseOfficialResult checks an official result.
func ParseOfficialResult(r OfficialResult) (*OfficialResult, error) {
	r.Agency = strings.TrimSpace(r.Agency)
	if r.Agency == "" {
		return nil, fieldError("agency", "agency is required")
	}
	hi := 100.0
	switch r.Index {
	case IndexSIPAS, IndexPAR:
	case IndexPAPI:
		hi = PAPIMax
	default:
		return nil, fieldError("index", "index must be %q, %q or %q", IndexSIPAS, IndexPAR, IndexPAPI)
	}
	if r.Year < MinPlanYear || r.Year > MaxPlanYear {
		return nil, fieldError("year", "year must be between %d and %d", MinPlanYear, MaxPlanYear)
	}
	if math.IsNaN(r.Score) || r.Score < 0 || r.Score > hi {
		return nil, fieldError("score", "score must be between 0 and %g for %s", hi, r.Index)
	}
	if r.Rank != nil && *r.Rank < 1 {
		return nil, fieldError("rank", "rank must be 1 or more")
	}
	if r.Of != nil {
		if *r.Of < 1 {
			return nil, fieldError("of", "of must be 1 or more")
		}
		if r.Rank == nil {
			return nil, fieldError("rank", "of is given without a rank")
		}
		if *r.Rank > *r.Of {
			return nil, fieldError("rank", "rank %d is beyond of (%d)", *r.Rank, *r.Of)
		}
	}
	return &r, nil
}
