# kb: the two commands a newcomer needs are `make site` and `make test`.
GO ?= go
export CGO_ENABLED ?= 0

.PHONY: all build site test vet wasm wasm-check browser axe screenshots bench bench-go corpus fuzz clean help

# The search module (cmd/kbsearch for GOOS=js) is built by
# internal/search/wasm.sh and shipped gzip-compressed in assets/search/, so
# `go install` gives a kb that needs no Go toolchain to publish search.
WASM_DIR := bin/search

all: build

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build bin/kb
	$(GO) build -trimpath -o bin/kb ./cmd/kb

site: build ## build the example knowledge base into site/
	./bin/kb build
	@echo
	@echo "Open it with a local server (directory links need one):"
	@echo "    python3 -m http.server --directory site 8000"
	@echo "then browse http://localhost:8000/"

vet: ## static checks: go vet, staticcheck (a tool dependency in go.mod), gofmt
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }

wasm: ## rebuild the search module into assets/search/ (commit the result)
	internal/search/wasm.sh $(WASM_DIR)
	gzip -9 -n -c $(WASM_DIR)/kbsearch.wasm > assets/search/kbsearch.wasm.gz
	cp $(WASM_DIR)/wasm_exec.js assets/search/wasm_exec.js
	$(GO) env GOVERSION > assets/search/.goversion

wasm-check: ## build the search module and check the shipped one matches it
	internal/search/wasm.sh $(WASM_DIR)
	@if [ "$$($(GO) env GOVERSION)" = "$$(cat assets/search/.goversion)" ]; then \
		gzip -dc assets/search/kbsearch.wasm.gz | cmp -s - $(WASM_DIR)/kbsearch.wasm \
		|| { echo "assets/search/kbsearch.wasm.gz does not match its source: run make wasm and commit it"; exit 1; }; \
		cmp -s $(WASM_DIR)/wasm_exec.js assets/search/wasm_exec.js \
		|| { echo "assets/search/wasm_exec.js does not match the toolchain: run make wasm"; exit 1; }; \
		echo "shipped search module matches its source"; \
	elif [ -n "$$CI" ]; then \
		echo "shipped search module was built with $$(cat assets/search/.goversion), this is $$($(GO) env GOVERSION): run make wasm with this Go and commit the result"; exit 1; \
	else \
		echo "shipped search module was built with $$(cat assets/search/.goversion), this is $$($(GO) env GOVERSION): built, not compared"; \
	fi

test: vet wasm-check ## run every test (browser tests too when Chromium is installed)
	KB_SEARCH_WASM=$(CURDIR)/$(WASM_DIR) $(GO) test ./...
	@$(MAKE) --no-print-directory browser

CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
browser: ## browser tests of the built site in headless Chromium (with axe-core, installed by npm ci)
	@if [ -z "$(CHROMIUM)" ] && echo ",$$KB_REQUIRE," | grep -q ',chromium,'; then echo "Chromium not found, and KB_REQUIRE asks for it (apt-get install chromium)"; exit 1; \
	elif [ -z "$(CHROMIUM)" ]; then echo "Chromium not found: browser tests skipped (apt-get install chromium)"; \
	else $(MAKE) --no-print-directory axe && KB_CHROMIUM=$(CHROMIUM) $(GO) test -tags browser -run Browser -count=1 ./cmd/kb ./internal/search; fi

# axe-core, the accessibility checker the browser tests inject into each
# page, pinned by its package-lock.json; npm ci runs again when the lock
# file changes. Without npm the accessibility test skips, unless KB_REQUIRE
# names axe.
AXE_DIR := cmd/kb/testdata/axe
axe:
	@if [ -f $(AXE_DIR)/node_modules/.package-lock.json ] && [ ! $(AXE_DIR)/package-lock.json -nt $(AXE_DIR)/node_modules/.package-lock.json ]; then :; \
	elif command -v npm >/dev/null; then cd $(AXE_DIR) && npm ci --no-audit --no-fund --loglevel=error; \
	elif echo ",$$KB_REQUIRE," | grep -q ',axe,'; then echo "npm not found, and KB_REQUIRE asks for axe-core (apt-get install npm)"; exit 1; \
	else echo "npm not found: the accessibility test is skipped (apt-get install npm)"; fi

# The pages screenshots shows, built under a base path as the browser
# tests build them.
SHOTS_SITE := bin/shots-site
screenshots: build ## PNGs of the main pages at phone and desktop width, light and dark, into screenshots/
	./bin/kb build --dest $(SHOTS_SITE) --base-url /kb/ >/dev/null
	$(GO) run ./cmd/kbshots -site $(SHOTS_SITE) -base /kb/ -out screenshots $(if $(CHROMIUM),-chromium $(CHROMIUM))

BENCH_DIR := bin/bench
PAGEFIND := $(BENCH_DIR)/npm/node_modules/.bin/pagefind
bench: build ## measure kb against Hugo and Pagefind on 1,000 and 10,000 generated incidents (LARGE=1 adds 100,000)
	@command -v hugo >/dev/null || echo "hugo not found (apt-get install hugo): its column is left out"
	@[ -x $(PAGEFIND) ] || { mkdir -p $(BENCH_DIR)/npm && cd $(BENCH_DIR)/npm && npm init -y >/dev/null && npm install --no-audit --no-fund pagefind@1.6.0 >/dev/null; }
	$(GO) run ./cmd/kbbench -kb bin/kb -pagefind $(PAGEFIND) -work $(BENCH_DIR) $(if $(LARGE),-large) $(BENCH_FLAGS)

bench-go: ## Go benchmarks of each stage (readers in MB/s, lint, graph, index, publish, whole builds)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

N ?= 1000
SEED ?= 1
corpus: ## write a generated corpus: make corpus N=10000 OUT=DIR
	@test -n "$(OUT)" || { echo "usage: make corpus N=10000 OUT=DIR" >&2; exit 2; }
	$(GO) run ./cmd/kbcorpus -n $(N) -seed $(SEED) -out $(OUT)

FUZZTIME ?= 30s
fuzz: ## run each fuzz target for FUZZTIME (default 30s)
	$(GO) test ./internal/markup -run '^$$' -fuzz '^FuzzMarkdown$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/markup -run '^$$' -fuzz '^FuzzFrontMatter$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/markup -run '^$$' -fuzz '^FuzzText$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/markup -run '^$$' -fuzz '^FuzzSniff$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/markup -run '^$$' -fuzz '^FuzzTemplateTags$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/when -run '^$$' -fuzz '^FuzzFind$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/incident -run '^$$' -fuzz '^FuzzExtractFile$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/markup/rst -run '^$$' -fuzz '^FuzzRST$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/search -run '^$$' -fuzz '^FuzzParseQuery$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/search -run '^$$' -fuzz '^FuzzStore$$' -fuzztime $(FUZZTIME)

clean: ## remove build output
	rm -rf bin site screenshots
