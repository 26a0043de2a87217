#!/bin/sh
# Benchmarks for "make bench" (run after "make build"). Not timed tests:
# they print numbers to compare; they fail only on errors or lost data.
set -eu
cd "$(dirname "$0")/.."

# Submission throughput (issue 2, "Speed"): the same load against a bare Gin
# handler and then the real "sipas serve" on loopback; prints durable
# submissions/s, the ratio (floor 0.25, aim 0.5) and p50/p99, and checks in
# SQLite that every 201 answer is stored. Environment: BENCH_DURATION,
# BENCH_CLIENTS, BENCH_OUT (JSON summary file).
go run ./cmd/sipas-bench --sipas bin/sipas \
	--duration "${BENCH_DURATION:-10s}" --clients "${BENCH_CLIENTS:-256}" \
	${BENCH_OUT:+--out "$BENCH_OUT"}

# The citizen's whole journey (issue 13, goal 1): 64 keep-alive clients
# that accept gzip load a counter's form, post it filled in as the HTML
# form sends it and load the thank-you page, across sipas-2017 and quick
# counters in Vietnamese and English, against three bare Gin handlers
# serving the same pages precompressed (the gzipped bytes sipas sent);
# prints journeys/s, the ratio (target 0.4) and p50/p99 per journey, and
# looks up every submission answered with the thank-you page in SQLite.
go run ./cmd/sipas-bench --sipas bin/sipas --scenario journey \
	--duration "${BENCH_DURATION:-10s}" --clients "${BENCH_JOURNEY_CLIENTS:-64}" \
	${BENCH_OUT:+--out "${BENCH_OUT%.json}-journey.json"}

# Dossier registrations (issue 10, "Speed"): the same kind of interleaved
# load, POST /api/v1/dossiers as an integration account (each code new,
# with its dates) against the bare Gin handler; the aim is a ratio of 0.5,
# and every 201 must be a row in dossiers.
go run ./cmd/sipas-bench --sipas bin/sipas --scenario dossiers \
	--duration "${BENCH_DURATION:-10s}" --clients "${BENCH_CLIENTS:-256}" \
	${BENCH_OUT:+--out "${BENCH_OUT%.json}-dossiers.json"}

# scoring benchmarks (issue 3) appended below

# Scoring (issue 3, "Speed") and the dashboard overview (issue 4): on a
# database seeded once with 500 agencies and 1,000,000 responses (kept in
# data/bench-500x1M.db), the time to compute every agency's overall and
# element indices for one year, next to a full scan of the stored answers
# (SELECT count(*)) in the same run.
go run ./cmd/sipas-scorebench --sipas bin/sipas --db "${BENCH_DB:-data/bench-500x1M.db}" --runs "${BENCH_RUNS:-15}"

# Dashboard overview page (issue 4): server time of GET
# /dashboard/overview/DEMO?period=year through the router with the rank
# intervals cached, 500 agencies and 1M responses (database built once into
# $TMPDIR, see docs/dashboard.md). Target ≤ 200 ms.
go test -run '^$' -bench BenchmarkOverviewPage -benchtime 20x ./survey/web/

# Integrity detector (survey/integrity): a simulated province (12 counters
# of very different traffic, 28 days of honest history, October 2026
# evaluated) with injected attacks, replayed day by day through the
# detector over fixed seeds; prints per attack type and size the share of
# injected ratings set aside (aims: ≥ 95 % for bursts of 10 or more and for
# off-hours stuffing, ≥ 50 % for the slow drip), the share of honest
# ratings set aside (aim ≤ 0.5 %) and each signal's contribution (ablation).
# Environment: BENCH_OUT (JSON summary file).
go run ./cmd/sipas-integrity-sim --seeds 1,2,3,4,5 \
	${BENCH_OUT:+--out "${BENCH_OUT%.json}-integrity.json"}

# Integrity scan (issue 11): one pass of the periodic scan on a copy of the
# same 500-agency, 1M-response database at the end of its last day (about
# 5 600 ratings of yesterday and today judged); first-pass-ms includes the
# four weeks of history the baselines are built from once an hour.
go test -run '^$' -bench BenchmarkIntegrityScan -benchtime 20x ./survey/web/

# The detector under a flood (issue 11): 6 000 ratings in one hour at one
# counter; linear in the flood, not quadratic.
go test -run '^$' -bench BenchmarkDetectFlood -benchtime 5x ./survey/integrity/
