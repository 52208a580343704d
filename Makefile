# Boxoffice. `make run` starts the whole system locally; `make test` runs every test with
# the emulators it needs. Both install what they need on first use.

GO         ?= go
SITE       ?= demo
SCOPE      ?=
FUNCTIONS  := $(notdir $(wildcard functions/*))
# Lambda: provided.al2023 on arm64, a static `bootstrap` per function.
LAMBDA_ENV := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
BUILD_FLAGS := -tags lambda.norpc -trimpath -ldflags "-s -w"

.PHONY: run test build token deps vet fmt-check clean console console-test chromium $(FUNCTIONS:%=bin/%/bootstrap)

## run: the whole system locally (emulators, tables, every function on one port, the web
## console, a token)
# Built, then exec'd (not `go run`), so that Ctrl-C ends it cleanly: the stack stops and exits
# 0, and make has no failed command to report.
run: deps console
	@echo "Building the local stack (the first build compiles the AWS SDK: a minute or more)..."
	@$(GO) build -o bin/local ./infra/cmd/local
	@exec bin/local $(RUN_ARGS)

## test: vet, formatting, the console's type check and unit tests, and every Go test with the
## race detector against the emulators (the console's browser tests among them)
test: deps vet fmt-check console-test chromium
	CHROMIUM=$(CHROMIUM) $(GO) run ./infra/cmd/withemulators -- $(GO) test -race -count=1 -timeout 20m ./...

## console: the web console built into console/dist (its npm packages from its lock file)
console: console/dist/index.html

# Rebuilt only when a source changed (not the client generated from the OpenAPI file, which
# every build and type check writes anew, but the OpenAPI file itself).
CONSOLE_SOURCES := $(shell find console/src console/public -type f ! -name schema.d.ts 2>/dev/null) \
	console/index.html console/vite.config.ts console/tsconfig.json infra/api/openapi.yaml

console/dist/index.html: console/node_modules/.package-lock.json $(CONSOLE_SOURCES)
	cd console && npm run build && npm run budget

console/node_modules/.package-lock.json: console/package-lock.json
	cd console && npm ci --no-audit --no-fund

## console-test: the console's type check against the generated API client, and its unit tests
console-test: console/node_modules/.package-lock.json
	cd console && npm test

## chromium: Debian's Chromium for the browser tests, installed when missing (as root)
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "The browser tests need Chromium at $(CHROMIUM): install Debian's package"; \
		echo "(sudo apt-get install -y chromium), or set CHROMIUM=/path/to/chromium."; exit 1; \
	fi; \
	echo "Installing Chromium (Debian's chromium package) for the browser tests..."; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
	[ -x "$(CHROMIUM)" ] || { echo "Chromium is still not at $(CHROMIUM): set CHROMIUM=/path/to/chromium."; exit 1; }

## build: one bootstrap per function under bin/<function>/
build: $(FUNCTIONS:%=bin/%/bootstrap)

$(FUNCTIONS:%=bin/%/bootstrap): bin/%/bootstrap:
	$(LAMBDA_ENV) $(GO) build $(BUILD_FLAGS) -o $@ ./functions/$*

## token: a token for SITE (make token SITE=acme), for the local stack; SCOPE=checkout mints
## the platform's machine token for the checkout routes
token:
	@$(GO) run ./infra/cmd/token -site "$(SITE)" -scope "$(SCOPE)"

deps:
	@$(GO) mod download

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l functions internal infra); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin .aws-sam

# sam build (Metadata BuildMethod: makefile) runs `make build-<LogicalID>` with ARTIFACTS_DIR
# set; each target builds the same static binary as `make build`.
sam_build = $(LAMBDA_ENV) $(GO) build $(BUILD_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(1)

build-SettingsFunction:
	$(call sam_build,settings)

build-ProvidersFunction:
	$(call sam_build,providers)

build-PromoCreateFunction:
	$(call sam_build,promo-create)

build-PromoImportFunction:
	$(call sam_build,promo-import)

build-PromoReportFunction:
	$(call sam_build,promo-report)

build-PromoExtendFunction:
	$(call sam_build,promo-extend)

build-PromoDeleteFunction:
	$(call sam_build,promo-delete)

build-CheckoutFunction:
	$(call sam_build,checkout)

build-WebhooksFunction:
	$(call sam_build,webhooks)
