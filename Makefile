# sipas — build, run, test. go-sqlite3 needs cgo.
export CGO_ENABLED = 1
GO     ?= go
DB     ?= ./data/sipas.db
ADDR   ?= 127.0.0.1:8080
BASE_URL ?= http://$(ADDR)
BIN    := bin/sipas

.PHONY: build run test test-deps test-short bench lint crashtest fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/sipas

# Serve a seeded demo province on $(DB) (seeded once; delete the file to reseed).
run: build
	@$(BIN) seed --db $(DB) --if-empty --agencies 60 --responses 30000 --seed 1
	@./scripts/demo-urls.sh $(BIN) $(DB) $(BASE_URL)
	$(BIN) serve --db $(DB) --addr $(ADDR) --base-url $(BASE_URL)

test: test-deps lint
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

clean:
	rm -rf bin
