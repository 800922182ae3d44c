# Authdeck. The two commands a new machine needs: make run, make test.

GO       ?= go
# no_emoji leaves out Fyne's colour emoji font (4 MB, parsed again for every
# text style the window uses): emoji in account names come from the system's
# emoji font instead, and the window holds some 20 MB less.
TAGS     := migrated_fynedo,no_emoji
VERSION  ?= $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS  := -X main.version=$(VERSION)
PREFIX   ?= /usr/local
DESTDIR  ?=
# The packages that build without cgo, a display or a GPU, on every OS.
DOMAIN   := $(foreach d,vault backup transfer sync scan cli,$(if $(wildcard $(d)/*.go),./$(d)/...))

APPID    := dev.authdeck.Authdeck
# polkit reads actions from /usr/share/polkit-1/actions alone: a system install
# (PREFIX /usr or /usr/local) puts the lock's action there; an install under
# another PREFIX keeps it beside the rest, where polkit does not look.
POLKITDIR ?= $(if $(filter /usr /usr/local,$(PREFIX)),/usr/share/polkit-1/actions,$(PREFIX)/share/polkit-1/actions)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build test vet cross bench clean deps-build deps-test deps-package deps-windows \
	package package-linux package-windows check-packages install uninstall

## run: build Authdeck and start it (ARGS="list" runs a command instead)
run: deps-build
	$(GO) run -tags $(TAGS) -ldflags '$(LDFLAGS)' . $(ARGS)

## build: build the authdeck binary
build: deps-build
	$(GO) build -tags $(TAGS) -trimpath -ldflags '$(LDFLAGS)' -o authdeck .

## test: gofmt, vet, staticcheck, check the layout, cross-build the domain packages, run every test
## with a real Secret Service and a virtual display
test: deps-test vet cross
	scripts/package metadata
	scripts/session $(GO) test -tags $(TAGS) -count=1 $$($(GO) list ./... | grep -v '^authdeck/ui$$')
	@# The window's tests on their own display, after the others: the end-to-end
	@# run must not share the screen with scan's screen-capture test.
	scripts/session $(GO) test -tags $(TAGS) -count=1 ./ui/...

vet: deps-build
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) mod tidy -diff
	$(GO) vet -tags $(TAGS) ./...
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	scripts/check-layout

cross:
	CGO_ENABLED=0 GOOS=windows $(GO) build $(DOMAIN)
	CGO_ENABLED=0 GOOS=darwin $(GO) build $(DOMAIN)
	@# The window's Windows-only parts that need no cgo: vetted for Windows here.
	CGO_ENABLED=0 GOOS=windows $(GO) vet ./internal/winsession/

## bench: the Go benchmarks: vault (open, save, search), backup (export and
## restore against scrypt), scan (a QR in a 4K screenshot), sync (merging
## three computers' files of 1,000 accounts); bench/ui.sh and
## bench/scan.sh measure the window and the decoder against other programs
bench: deps-test
	scripts/session $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./vault/
	scripts/session $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 5x ./backup/ ./scan/ ./sync/
	scripts/session $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 50x ./ui/

## package: every package this machine can build (Linux tarball and .deb, Windows
## installer), then their checks. The two platforms build side by side: most of
## each is one long single-threaded C compile.
package: deps-windows
	scripts/package icons
	$(MAKE) --no-print-directory -j2 package-linux package-windows
	$(MAKE) --no-print-directory check-packages

package-linux: deps-package
	scripts/package linux

package-windows: deps-windows
	scripts/package windows

## check-packages: validate the .desktop and AppStream files, unpack the .deb into
## a throwaway root, and run the release binaries
check-packages: deps-package deps-test
	scripts/session scripts/package check

## install, uninstall: the release binary, .desktop file, AppStream metainfo and
## icons, under $(DESTDIR)$(PREFIX), and the lock's polkit action in $(DESTDIR)$(POLKITDIR)
install: build/linux/authdeck build/icons/512.png
	install -Dm755 build/linux/authdeck $(DESTDIR)$(PREFIX)/bin/authdeck
	install -Dm644 packaging/linux/$(APPID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop
	@# The desktop learns that Authdeck opens otpauth links (a package's trigger does this for the .deb).
	@if [ -z "$(DESTDIR)" ] && command -v update-desktop-database >/dev/null; then \
		update-desktop-database -q $(PREFIX)/share/applications || true; fi
	install -Dm644 packaging/linux/$(APPID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/$(APPID).metainfo.xml
	install -Dm644 packaging/linux/$(APPID).policy $(DESTDIR)$(POLKITDIR)/$(APPID).policy
	install -Dm644 assets/icon.svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APPID).svg
	install -Dm644 assets/brands/NOTICE.md $(DESTDIR)$(PREFIX)/share/doc/authdeck/brand-icons/NOTICE.md
	install -Dm644 assets/brands/LICENSE $(DESTDIR)$(PREFIX)/share/doc/authdeck/brand-icons/LICENSE
	for s in 16 32 48 64 128 256 512; do \
		install -Dm644 build/icons/$$s.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/$(APPID).png; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/authdeck
	rm -f $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop
	rm -f $(DESTDIR)$(PREFIX)/share/metainfo/$(APPID).metainfo.xml
	rm -f $(DESTDIR)$(POLKITDIR)/$(APPID).policy
	rm -f $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/$(APPID).svg
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/authdeck/brand-icons
	for s in 16 32 48 64 128 256 512; do \
		rm -f $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/$(APPID).png; \
	done

build/linux/authdeck build/icons/512.png: deps-package
	scripts/package binary

deps-build:
	@scripts/deps build

deps-test:
	@scripts/deps test

deps-package:
	@scripts/deps package

deps-windows:
	@scripts/deps windows

clean:
	rm -rf authdeck build dist
