# Node.js binding (bindings/node): node:test suite, TypeScript check, example, benchmark, npm package.
#   make test-node       npm ci when the lock file changed, then every test in bindings/node/test,
#                        tsc --strict on examples/typed.ts included (NODE_TEST_FLAGS passes options,
#                        e.g. NODE_TEST_FLAGS="--test-name-pattern=join")
#   make demo-node       two replicas syncing through JSON and deltas
# In this repository the package loads target/release/libgcounter.so.0 with no variable.

SUITES  += node

NODE_DIR        := bindings/node
NODE            ?= node
NPM             ?= npm
NODE_TEST_FLAGS ?=
NODE_MIN_MAJOR  := 18
NODE_MIN_MINOR  := 18
NODE_MODULES    := $(NODE_DIR)/node_modules/.package-lock.json
NODE_INSTALL    := apt-get update && apt-get install -y nodejs npm

.PHONY: node-deps test-node demo-node

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
