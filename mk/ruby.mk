# Ruby binding (bindings/ruby): minitest suite, example, benchmark.
#   make test-ruby   all minitest tests in one process (RUBY_TESTOPTS="--seed 42 -n /join/" passes options)
#   make demo-ruby   two replicas syncing through JSON and deltas
#   make bench-ruby  calls per second through the binding

SUITES  += ruby
BENCHES += ruby

RUBY_DIR      := bindings/ruby
RUBY          ?= ruby
RUBY_TESTOPTS ?=
RUBY_PACKAGES := ruby ruby-ffi
RUBY_INSTALL_HINT := as root: apt-get update && apt-get install -y $(RUBY_PACKAGES)

.PHONY: ruby-deps test-ruby demo-ruby bench-ruby

# Ruby, the ffi gem and minitest. Installed from Debian when missing and we are root;
# otherwise stop with the command that installs them.
ruby-deps:
	@if $(RUBY) -e 'require "ffi"; require "minitest"' >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "ruby-deps: Ruby with the ffi gem and minitest is missing. Install them $(RUBY_INSTALL_HINT)" >&2; \
	  exit 1; \
	fi; \
	echo "ruby-deps: installing $(RUBY_PACKAGES) from Debian"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -q && apt-get install -y -q $(RUBY_PACKAGES) || exit 1; \
	$(RUBY) -e 'require "minitest"' >/dev/null 2>&1 || apt-get install -y -q ruby-minitest || exit 1; \
	$(RUBY) -e 'require "ffi"; require "minitest"' || { \
	  echo "ruby-deps: '$(RUBY)' still cannot load ffi and minitest. Install them $(RUBY_INSTALL_HINT)" >&2; \
	  exit 1; }

test-ruby: lib ruby-deps
	$(RUBY) -w $(RUBY_DIR)/test/run.rb $(RUBY_TESTOPTS)

demo-ruby: lib ruby-deps
	$(RUBY) -w $(RUBY_DIR)/examples/sync.rb

bench-ruby: lib ruby-deps
	$(RUBY) $(RUBY_DIR)/bench/counter_bench.rb
