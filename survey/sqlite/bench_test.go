package sqlite_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// benchCounters returns a fresh database with n agencies of one sipas-2017
// counter each under a province, and those counters. The benchmark keeps
// this tree of its own rather than the standard province's: it spreads the
// load over as many agencies as sipas-bench's seeded database (20), and the
// number of agencies a batch touches is much of a commit's cost (with the
// standard province's four it measured about 50% more submissions a second).
func benchCounters(b *testing.B, n int) (*sqlite.DB, []*survey.Counter) {
	b.Helper()
	db := sqlitetest.Empty(b, sqlite.Options{}).DB
	ctx := context.Background()
	by := survey.Actor{Name: "bench"}
	if err := db.CreateAgency(ctx, &survey.Agency{Code: "P", Name: "Tỉnh"}, by); err != nil {
		b.Fatalf("create province: %v", err)
	}
	cs := make([]*survey.Counter, n)
	for i := range cs {
		code := fmt.Sprintf("A%02d", i)
		if err := db.CreateAgency(ctx, &survey.Agency{Code: code, Name: "Sở " + code, ParentCode: "P"}, by); err != nil {
			b.Fatalf("create agency: %v", err)
		}
		cs[i] = &survey.Counter{AgencyCode: code, Code: "Q1", Name: "Quầy 1", Instrument: "sipas-2017"}
		if err := db.CreateCounter(ctx, cs[i], by); err != nil {
			b.Fatalf("create counter: %v", err)
		}
	}
	return db, cs
}

// BenchmarkStoreResponseParallel measures durable submissions through the
// batch writer with many concurrent submitters (as under HTTP load), each
// waiting for its fsync'd commit.
func BenchmarkStoreResponseParallel(b *testing.B) {
	db, cs := benchCounters(b, 19)
	inst, err := db.Instruments().Current("sipas-2017")
	if err != nil {
		b.Fatalf("instrument: %v", err)
	}
	var seq, commits, committed, commitNS atomic.Int64
	db.OnCommit = func(d time.Duration, n int) {
		commits.Add(1)
		committed.Add(int64(n))
		commitNS.Add(int64(d))
	}
	now := time.Now()
	b.SetParallelism(32) // 64 submitters on 2 CPUs, like sipas-bench's default load
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			i := seq.Add(1)
			c := cs[int(i)%len(cs)]
			ans := make([]uint8, len(inst.Items))
			for k := range ans {
				ans[k] = uint8(1 + (int(i)+k)%5)
			}
			sub := &survey.Submission{
				SubmissionID: fmt.Sprintf("bench-submission-%012d", i),
				CounterID:    c.ID, AgencyID: c.AgencyID, Instrument: inst, Answers: ans,
				Channel: "api", Lang: "vi", ReceivedAt: now,
			}
			res, err := db.StoreResponse(ctx, sub)
			if err != nil || res.Replay {
				b.Errorf("store %d: %v (replay %v)", i, err, res.Replay)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "subs/s")
	if n := commits.Load(); n > 0 {
		b.ReportMetric(float64(committed.Load())/float64(n), "subs/commit")
		b.ReportMetric(float64(commitNS.Load())/float64(n)/1e6, "ms/commit")
	}
}
