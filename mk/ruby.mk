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
RUBY_INSTALL  := apt-get update && apt-get install -y $(RUBY_PACKAGES)

.PHONY: ruby-deps test-ruby demo-ruby bench-ruby

# Ruby, the ffi gem and minitest (which Debian's ruby bundles; ruby-minitest otherwise),
# from Debian when missing and we are root; otherwise stop with the command that installs them.
ruby-deps:
	@$(RUBY) -e 'require "ffi"; require "minitest"' >/dev/null 2>&1 || { \
	  scripts/apt_install.sh $(RUBY_PACKAGES) && \
	  { $(RUBY) -e 'require "minitest"' >/dev/null 2>&1 || scripts/apt_install.sh ruby-minitest; } && \
	  $(RUBY) -e 'require "ffi"; require "minitest"'; } || { \
	  echo "ruby-deps: '$(RUBY)' cannot load ffi and minitest. Install them as root: $(RUBY_INSTALL)" >&2; \
	  exit 1; }

test-ruby: lib ruby-deps
	$(RUBY) -w $(RUBY_DIR)/test/run.rb $(RUBY_TESTOPTS)

demo-ruby: lib ruby-deps
	$(RUBY) -w $(RUBY_DIR)/examples/sync.rb

bench-ruby: lib ruby-deps
	$(RUBY) $(RUBY_DIR)/bench/counter_bench.rb
