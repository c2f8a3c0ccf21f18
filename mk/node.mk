# Node.js binding (bindings/node): node:test suite, TypeScript check, example, benchmark, npm package.
#   make test-node       npm ci when the lock file changed, then every test in bindings/node/test,
#                        tsc --strict on examples/typed.ts included (NODE_TEST_FLAGS passes options,
#                        e.g. NODE_TEST_FLAGS="--test-name-pattern=join")
#   make demo-node       two replicas syncing through JSON and deltas
#   make bench-node      the binding beside a Map-based G-Counter in plain JS: medians
#   make dist-node       dist/gcounter-<version>.tgz: npm pack, the library under prebuilds/<platform>/
#   make test-dist-node  installs that tarball (and koffi, from npm) into a temp project outside the
#                        repository and checks a real result there
# In this repository the package loads target/release/libgcounter.so.0 with no variable; two Node
# replicas also join make test-convergence.

SUITES  += node dist-node
BENCHES += node
DISTS   += node

NODE_DIR        := bindings/node
NODE            ?= node
NPM             ?= npm
NODE_TEST_FLAGS ?=
NODE_MIN_MAJOR  := 18
NODE_MIN_MINOR  := 18
NODE_MODULES    := $(NODE_DIR)/node_modules/.package-lock.json
NODE_PACK_DIR   := $(BUILD)/node-pack
NODE_PACK_FILES := package.json README.md index.js index.mjs index.d.ts lib
NODE_TGZ        := dist/gcounter-$(GCOUNTER_VERSION).tgz
NODE_INSTALL    := apt-get update && apt-get install -y nodejs npm

.PHONY: node-deps test-node demo-node bench-node dist-node test-dist-node

# Node.js 18.18 or later and npm, from Debian when missing and we are root; otherwise stop with
# the command that installs them. npm fetches koffi (with its prebuilt native part) itself.
node-deps:
	@{ command -v $(NODE) && command -v $(NPM); } >/dev/null 2>&1 || scripts/apt_install.sh nodejs npm || true
	@command -v $(NODE) >/dev/null 2>&1 || { \
	  echo "node-deps: Node.js ('$(NODE)') is not installed. Install it as root: $(NODE_INSTALL)" >&2; exit 1; }
	@command -v $(NPM) >/dev/null 2>&1 || { \
	  echo "node-deps: npm ('$(NPM)') is not installed; the suite needs it to fetch koffi." \
	       "Install it as root: $(NODE_INSTALL)" >&2; exit 1; }
	@$(NODE) -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > $(NODE_MIN_MAJOR) || (major === $(NODE_MIN_MAJOR) && minor >= $(NODE_MIN_MINOR)) ? 0 : 1)' || { \
	  echo "node-deps: Node.js $$($(NODE) --version) is older than $(NODE_MIN_MAJOR).$(NODE_MIN_MINOR)" >&2; exit 1; }

# The dependencies exactly as package-lock.json pins them; again only when it or package.json changes.
$(NODE_MODULES): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json | node-deps
	cd $(NODE_DIR) && $(NPM) ci --no-audit --no-fund

test-node: lib node-deps $(NODE_MODULES)
	cd $(NODE_DIR) && $(NODE) --test --test-reporter=spec --test-reporter-destination=stdout \
	  --test-reporter=./test/summary.mjs --test-reporter-destination=stdout $(NODE_TEST_FLAGS) \
	  test/*.test.js test/*.test.mjs

demo-node: lib node-deps $(NODE_MODULES)
	$(NODE) $(NODE_DIR)/examples/sync.js

bench-node: lib node-deps $(NODE_MODULES)
	$(NODE) $(NODE_DIR)/bench/bench.js

# The package as users get it: the binding's files, the repository's license texts and, under
# prebuilds/<platform>-<arch>/, the library it loads first. Staged under build/, so the source
# tree never holds a stale copy.
dist-node: lib node-deps $(NODE_MODULES)
	@version=$$($(NODE) -p 'require("./$(NODE_DIR)/package.json").version'); \
	[ "$$version" = "$(GCOUNTER_VERSION)" ] || { \
	  echo "dist-node: $(NODE_DIR)/package.json has version $$version, Cargo.toml $(GCOUNTER_VERSION)" >&2; exit 1; }
	rm -rf $(NODE_PACK_DIR)
	mkdir -p $(NODE_PACK_DIR) dist
	cp -R $(addprefix $(NODE_DIR)/,$(NODE_PACK_FILES)) LICENSE-MIT LICENSE-APACHE $(NODE_PACK_DIR)/
	platform=$$($(NODE) -p 'process.platform + "-" + process.arch') && \
	mkdir -p $(NODE_PACK_DIR)/prebuilds/$$platform && \
	cp -L $(LIB_DIR)/libgcounter.so $(NODE_PACK_DIR)/prebuilds/$$platform/libgcounter.so.0
	rm -f $(NODE_TGZ)
	cd $(NODE_PACK_DIR) && $(NPM) pack --pack-destination $(abspath dist)
	@test -f $(NODE_TGZ) || { echo "dist-node: npm pack did not write $(NODE_TGZ)" >&2; exit 1; }
	@echo "dist-node: $(NODE_TGZ)"

# A project in a temp directory installs the tarball, which fetches koffi from npm; nothing there
# points at this checkout (GCOUNTER_LIB and LD_LIBRARY_PATH are unset).
test-dist-node: dist-node
	@project=$$(mktemp -d) && trap 'rm -rf "$$project"' EXIT && \
	cp $(NODE_DIR)/test/dist/check.mjs "$$project/" && \
	printf '{ "name": "gcounter-dist-check", "private": true }\n' > "$$project/package.json" && \
	cd "$$project" && \
	echo "test-dist-node: npm install $(NODE_TGZ) in $$project" && \
	$(NPM) install --no-audit --no-fund "$(abspath $(NODE_TGZ))" && \
	env -u GCOUNTER_LIB -u LD_LIBRARY_PATH -u NODE_PATH $(NODE) check.mjs "$(CURDIR)"

# Two Node replicas in the cross-language convergence run (mk/reliability.mk); `override` keeps
# them when CONVERGENCE_FLAGS is given on the command line.
test-convergence: node-deps $(NODE_MODULES)
test-convergence: override CONVERGENCE_FLAGS += --replica "node=$(NODE) $(abspath examples/convergence/node/replica.js)"
