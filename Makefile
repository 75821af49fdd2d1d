# kb: the two commands a newcomer needs are `make site` and `make test`.
GO ?= go
export CGO_ENABLED ?= 0

.PHONY: all build site test vet fuzz clean help

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

vet: ## static checks
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }

test: vet ## run every test
	$(GO) test ./...

FUZZTIME ?= 30s
fuzz: ## run each fuzz target for FUZZTIME (default 30s)
	$(GO) test ./internal/markup -run '^$$' -fuzz '^FuzzMarkdown$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/markup -run '^$$' -fuzz '^FuzzFrontMatter$$' -fuzztime $(FUZZTIME)

clean: ## remove build output
	rm -rf bin site
