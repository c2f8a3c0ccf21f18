# Go binding (bindings/go): cgo package gcounter, its tests under the race detector, benchmarks.
#   make test-go    go vet, then every test and example with -race (GO_TEST_FLAGS="-run Join" passes options)
#   make bench-go   the binding beside a map[string]uint64 G-Counter: medians of GO_BENCH_COUNT runs,
#                   then the goal line: increment at most 3x the map's, met or missed
#   make demo-go    replicas syncing through JSON, deltas, and DeltaFor in reply to a peer's state
#   make dist-go    the module tree dist/go: the binding with libgcounter.a and gcounter.h inside
#   make test-dist-go  a separate module in a temporary directory uses dist/go through a replace
#                   directive, with no library installed: builds, runs, vendors, builds again;
#                   and once with -tags gcounter_system against the C tarball
# In this repository the package links target/release/libgcounter.so through cgo directives
# relative to its own directory (link_repo.go), so no environment variable is needed; dist/go
# links the static archive instead and has no path into the clone.

SUITES  += go dist-go
BENCHES += go
DISTS   += go

GO_DIR         := bindings/go
GO             ?= go
GO_TEST_FLAGS  ?=
GO_BENCH_COUNT ?= 5
GO_MIN_MINOR   := 24

.PHONY: go-deps test-go bench-go demo-go dist-go test-dist-go

# Go 1.24 or later with cgo, and a C compiler (cgo and the race detector need one).
go-deps:
	@command -v $(GO) >/dev/null 2>&1 || { \
	  echo "go-deps: the Go toolchain ('$(GO)') is not installed; Go 1.$(GO_MIN_MINOR) or later is needed" >&2; exit 1; }
	@minor=$$($(GO) env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p'); \
	if [ "$${minor:-0}" -lt $(GO_MIN_MINOR) ]; then \
	  echo "go-deps: $$($(GO) env GOVERSION) is older than go1.$(GO_MIN_MINOR)" >&2; exit 1; fi
	@[ "$$($(GO) env CGO_ENABLED)" = 1 ] || { \
	  echo "go-deps: cgo is disabled (CGO_ENABLED=0); the binding needs it" >&2; exit 1; }
	@command -v "$$($(GO) env CC)" >/dev/null 2>&1 || scripts/apt_install.sh gcc

test-go: lib go-deps
	cd $(GO_DIR) && $(GO) vet ./...
	cd $(GO_DIR) && $(GO) test -race -v -count=1 $(GO_TEST_FLAGS) ./...

bench-go: lib go-deps | $(BUILD)
	set -o pipefail; cd $(GO_DIR) && $(GO) test -run '^$$' -bench . -benchmem -count=$(GO_BENCH_COUNT) . \
	  | tee $(abspath $(BUILD))/bench-go.txt
	@echo "medians:"
	@awk -f $(GO_DIR)/bench/medians.awk $(BUILD)/bench-go.txt

demo-go: lib go-deps
	cd $(GO_DIR) && $(GO) run ./examples/sync

dist-go: lib go-deps $(INSTALL_VARS)
	LIB_DIR=$(LIB_DIR) VARS=$(INSTALL_VARS) OUT=dist/go scripts/dist_go.sh

# Also builds the C tarball: one check uses it as the installed library (-tags gcounter_system).
test-dist-go: dist-go dist-c
	@GO=$(GO) DIST=$(abspath dist/go) TARBALL=$(abspath $(C_TARBALL)) bash tests/dist/go/run.sh
