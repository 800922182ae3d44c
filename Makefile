# Authdeck. The two commands a new machine needs: make run, make test.

GO       ?= go
TAGS     := migrated_fynedo
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
PREFIX   ?= /usr/local
DESTDIR  ?=
# The packages that build without cgo, a display or a GPU, on every OS.
DOMAIN   := $(foreach d,vault backup scan cli,$(if $(wildcard $(d)/*.go),./$(d)/...))

.PHONY: run build test vet cross bench clean deps-build deps-test

## run: build Authdeck and start it (ARGS="list" runs a command instead)
run: deps-build
	$(GO) run -tags $(TAGS) -ldflags '$(LDFLAGS)' . $(ARGS)

## build: build the authdeck binary
build: deps-build
	$(GO) build -tags $(TAGS) -trimpath -ldflags '$(LDFLAGS)' -o authdeck .

## test: vet, check the layout, cross-build the domain packages, run every test
## with a real Secret Service and a virtual display
test: deps-test vet cross
	scripts/session $(GO) test -tags $(TAGS) -count=1 ./...

vet: deps-build
	$(GO) vet -tags $(TAGS) ./...
	scripts/check-layout

cross:
	CGO_ENABLED=0 GOOS=windows $(GO) build $(DOMAIN)
	CGO_ENABLED=0 GOOS=darwin $(GO) build $(DOMAIN)

## bench: Go benchmarks of the vault
bench: deps-test
	scripts/session $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./vault/...

deps-build:
	@scripts/deps build

deps-test:
	@scripts/deps test

clean:
	rm -f authdeck
