# Boxoffice. `make run` starts the whole system locally; `make test` runs every test with
# the emulators it needs. Both install what they need on first use.

GO         ?= go
SITE       ?= demo
FUNCTIONS  := $(notdir $(wildcard functions/*))
# Lambda: provided.al2023 on arm64, a static `bootstrap` per function.
LAMBDA_ENV := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
BUILD_FLAGS := -tags lambda.norpc -trimpath -ldflags "-s -w"

.PHONY: run test build token deps vet fmt-check clean $(FUNCTIONS:%=bin/%/bootstrap)

## run: the whole system locally (emulators, tables, every function on one port, a token)
# Built, then exec'd (not `go run`), so that Ctrl-C ends it cleanly: the stack stops and exits
# 0, and make has no failed command to report.
run: deps
	@echo "Building the local stack (the first build compiles the AWS SDK: a minute or more)..."
	@$(GO) build -o bin/local ./infra/cmd/local
	@exec bin/local $(RUN_ARGS)

## test: vet, formatting, and every Go test with the race detector against the emulators
test: deps vet fmt-check
	$(GO) run ./infra/cmd/withemulators -- $(GO) test -race -count=1 ./...

## build: one bootstrap per function under bin/<function>/
build: $(FUNCTIONS:%=bin/%/bootstrap)

$(FUNCTIONS:%=bin/%/bootstrap): bin/%/bootstrap:
	$(LAMBDA_ENV) $(GO) build $(BUILD_FLAGS) -o $@ ./functions/$*

## token: a token for SITE (make token SITE=acme), for the local stack
token:
	@$(GO) run ./infra/cmd/token -site "$(SITE)"

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
