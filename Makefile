# Multichannel Support. `make run` starts the app with demo data; `make test`
# runs every test. See README.md.

GO      ?= go
BIN     := bin/multichannel
TEMPL   := $(GO) tool templ
# Every Go source but the generated views, committed or not.
GOFILES  = $(shell find . -name '*.go' -not -name '*_templ.go' -not -path './.git/*')

.PHONY: run build generate fmt lint test fuzz bench load

## run: build and start the server with demo data (the environment may override --addr, --db, ...)
run: build
	./$(BIN) --demo

## build: compile the server into bin/multichannel
build:
	$(GO) build -o $(BIN) ./cmd/multichannel

## generate: regenerate the templ views (*_templ.go) with the templ pinned in go.mod
generate:
	$(TEMPL) generate -log-level error

## fmt: format Go and templ sources
fmt:
	gofmt -w $(GOFILES)
	$(TEMPL) fmt views

## lint: vet, formatting, and generated views up to date
lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(TEMPL) fmt -fail views
	$(TEMPL) generate -log-level error
	@git diff --exit-code -- 'views/*_templ.go' || { echo "views/*_templ.go are stale: run 'make generate' and commit"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- 'views/*_templ.go'); \
	  if [ -n "$$untracked" ]; then echo "generated views not committed: $$untracked"; exit 1; fi

## test: run every test (browser tests use Debian's chromium)
test:
	$(GO) test -count=1 -timeout 15m ./...
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 40000x ./internal/inventorycsv
	$(GO) test -run '^$$' -fuzz '^FuzzInspectAndMap$$' -fuzztime 25000x ./internal/inventorycsv
	$(GO) test -run '^$$' -fuzz '^FuzzParseCustomers$$' -fuzztime 60000x ./internal/inventorycsv

## fuzz: fuzz the parsers of uploaded files for longer than make test does
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 2m ./internal/inventorycsv
	$(GO) test -run '^$$' -fuzz '^FuzzInspectAndMap$$' -fuzztime 2m ./internal/inventorycsv
	$(GO) test -run '^$$' -fuzz '^FuzzParseCustomers$$' -fuzztime 2m ./internal/inventorycsv

## bench: run the benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## load: seed (or reuse) a book of CUSTOMERS/SUBSCRIPTIONS (default 50,000/500,000) under tmp/load, serve a copy, drive every page and print the table
CUSTOMERS     ?= 50000
SUBSCRIPTIONS ?= 500000
load: build
	$(GO) build -o bin/loadrun ./cmd/loadrun
	./bin/loadrun --customers $(CUSTOMERS) --subscriptions $(SUBSCRIPTIONS)
