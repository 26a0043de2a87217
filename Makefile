# sipas — build, run, test. go-sqlite3 needs cgo.
export CGO_ENABLED = 1
GO     ?= go
DB     ?= ./data/sipas.db
ADDR   ?= 127.0.0.1:8080
BASE_URL ?= http://$(ADDR)
BIN    := bin/sipas

.PHONY: build run test test-deps test-short bench lint crashtest fuzz fuzz-short clean

build:
	$(GO) build -o $(BIN) ./cmd/sipas

# Serve a seeded demo province on $(DB) (seeded once; delete the file to reseed).
run: build
	@$(BIN) seed --db $(DB) --if-empty --agencies 60 --responses 30000 --seed 1
	@./scripts/demo-urls.sh $(BIN) $(DB) $(BASE_URL)
	$(BIN) serve --db $(DB) --addr $(ADDR) --base-url $(BASE_URL)

test: test-deps lint fuzz-short
	$(GO) test -race -count=1 ./...

# Chromium and axe-core for the browser tests (tests/browser), when missing.
test-deps:
	./scripts/test-deps.sh

test-short:
	$(GO) test -count=1 -short ./...

bench: build
	./scripts/bench.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Fuzz targets (package:target). fuzz-short runs each for FUZZTIME (part of
# make test), an execution count: a time limit that expires mid-run is
# reported as "context deadline exceeded" on a busy machine. make fuzz runs
# each for 5 minutes (docs/fuzzing.md).
FUZZ_TARGETS := ./survey:FuzzParseAnswers ./survey:FuzzSignerVerify ./survey:FuzzParseAgenciesCSV \
	./survey:FuzzParseCountersCSV ./survey/web:FuzzSurveyForm ./survey/web:FuzzResponseJSON \
	./scoring:FuzzStatsUnmarshal ./scoring:FuzzMergeBinary
FUZZTIME ?= 20000x

fuzz-short:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} for $(FUZZTIME)"; \
		out=$$($(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 100x $${t%%:*} 2>&1) || \
		{ echo "$$out"; exit 1; }; \
	done

fuzz:
	$(MAKE) fuzz-short FUZZTIME=5m

# SIGKILL the real server 20 times under load (make test runs 5 kills).
crashtest:
	SIPAS_CRASH_CYCLES=20 $(GO) test -race -count=1 -run '^TestCrashDurability$$' -v ./tests/reliability

clean:
	rm -rf bin
