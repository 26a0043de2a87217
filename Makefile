# sipas — build, run, test. go-sqlite3 needs cgo.
export CGO_ENABLED = 1
GO     ?= go
DB     ?= ./data/sipas.db
ADDR   ?= 127.0.0.1:8080
BASE_URL ?= http://$(ADDR)
BIN    := bin/sipas

.PHONY: build run test test-deps test-short bench bench-10m lint crashtest fuzz fuzz-short clean

build:
	$(GO) build -o $(BIN) ./cmd/sipas

# Serve a seeded demo province on $(DB) (seeded once; delete the file to reseed):
# a 2026 province of 60 units, rated from spring 2025, across the merger of
# communes of 1 July 2025 (cmd/sipas TestSeedDemo seeds with the same flags).
run: build
	@$(BIN) seed --db $(DB) --if-empty --agencies 60 --responses 60000 --from 2025-03-01 --seed 1 --demo-users
	@./scripts/demo-urls.sh $(BIN) $(DB) $(BASE_URL)
	$(BIN) serve --db $(DB) --addr $(ADDR) --base-url $(BASE_URL)

test: test-deps lint fuzz-short
	$(GO) test -race -count=1 ./...

# Chromium and axe-core for the browser tests (tests/browser), when missing.
test-deps:
	./scripts/test-deps.sh

test-short:
	$(GO) test -count=1 -short ./...

# The 10M-response figures of issue 13 (seeds data/bench-500x10M.db once;
# see scripts/bench-10m.sh).
bench-10m: build
	./scripts/bench-10m.sh

bench: build
	./scripts/bench.sh

# staticcheck is installed into the first GOPATH entry's bin (GOBIN is set
# so go install puts it there) and called by that path, so lint works when
# that folder is not on PATH. A missing or other version is (re)installed.
STATICCHECK_VERSION := 0.8.2
STATICCHECK_BIN = $(firstword $(subst :, ,$(shell $(GO) env GOPATH)))/bin
STATICCHECK = $(STATICCHECK_BIN)/staticcheck

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@$(STATICCHECK) -version 2>/dev/null | grep -qF '($(STATICCHECK_VERSION))' || \
		GOBIN=$(STATICCHECK_BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@v$(STATICCHECK_VERSION)
	$(STATICCHECK) ./...

# Fuzz targets (package:target:executions). fuzz-short (part of make test)
# runs each for its execution count — a time limit that expires mid-run is
# reported as "context deadline exceeded" on a busy machine — or for
# FUZZTIME when set. make fuzz runs each for 5 minutes (docs/fuzzing.md).
FUZZ_TARGETS := ./survey:FuzzParseAnswers:20000x ./survey:FuzzSignerVerify:20000x ./survey:FuzzParseAgenciesCSV:20000x \
	./survey:FuzzParseCountersCSV:20000x ./survey/web:FuzzSurveyForm:2000x ./survey/web:FuzzResponseJSON:2000x \
	./scoring:FuzzStatsUnmarshal:20000x ./scoring:FuzzMergeBinary:20000x
FUZZTIME ?=

fuzz-short:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; n=$${rest#*:}; ft=$${FUZZTIME:-$(FUZZTIME)}; ft=$${ft:-$$n}; \
		echo "fuzz $$name for $$ft"; \
		out=$$($(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $$ft -fuzzminimizetime 100x $$pkg 2>&1) || \
		{ echo "$$out"; exit 1; }; \
	done

fuzz:
	$(MAKE) fuzz-short FUZZTIME=5m

# SIGKILL the real server 20 times under load (make test runs 5 kills).
crashtest:
	SIPAS_CRASH_CYCLES=20 $(GO) test -race -count=1 -run '^TestCrashDurability$$' -v ./tests/reliability

clean:
	rm -rf bin
