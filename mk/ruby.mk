# Ruby binding (bindings/ruby): minitest suite, example, benchmark, gems.
#   make test-ruby       all minitest tests in one process (RUBY_TESTOPTS="--seed 42 -n /join/" passes options)
#   make demo-ruby       two replicas syncing through JSON and deltas
#   make bench-ruby      calls per second through the binding
#   make dist-ruby       dist/gcounter-<v>-<platform>.gem (e.g. x86_64-linux), which carries
#                        libgcounter.so, and dist/gcounter-<v>.gem, which uses an installed one
#   make test-dist-ruby  installs both with `gem install --local` into temporary GEM_HOMEs
#                        outside the repository and runs tests/dist/ruby/check.rb against each

SUITES  += ruby dist-ruby
BENCHES += ruby
DISTS   += ruby

RUBY_DIR      := bindings/ruby
RUBY          ?= ruby
RUBY_TESTOPTS ?=
RUBY_PACKAGES := ruby ruby-ffi
RUBY_INSTALL  := apt-get update && apt-get install -y $(RUBY_PACKAGES)

RUBY_GEM_STAGE := $(BUILD)/ruby-gem
# The suite, the demo and the benchmark use the library that `make lib` just built (unless
# GCOUNTER_LIB is already set): the binding would take an installed library before a checkout's.
RUBY_ENV      := GCOUNTER_LIB=$${GCOUNTER_LIB:-$(abspath $(LIB_DIR))/libgcounter.so}

.PHONY: ruby-deps test-ruby demo-ruby bench-ruby dist-ruby test-dist-ruby

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
	$(RUBY_ENV) $(RUBY) -w $(RUBY_DIR)/test/run.rb $(RUBY_TESTOPTS)

demo-ruby: lib ruby-deps
	$(RUBY_ENV) $(RUBY) -w $(RUBY_DIR)/examples/sync.rb

bench-ruby: lib ruby-deps
	$(RUBY_ENV) $(RUBY) $(RUBY_DIR)/bench/counter_bench.rb

# --- Gems ---------------------------------------------------------------------------------

# Each gem is built from a copy of the binding and the repository's license texts; the platform
# gem's copy has the library (its debugging sections stripped) beside lib/gcounter/native.rb,
# which makes the gemspec name the platform and which the binding loads first.
dist-ruby: lib ruby-deps
	@command -v strip >/dev/null 2>&1 || scripts/apt_install.sh binutils
	@rm -rf $(RUBY_GEM_STAGE) && mkdir -p $(RUBY_GEM_STAGE)/plain $(RUBY_GEM_STAGE)/platform dist
	@for stage in plain platform; do \
	  cp -R $(RUBY_DIR)/lib $(RUBY_DIR)/README.md $(RUBY_DIR)/gcounter.gemspec LICENSE-MIT LICENSE-APACHE \
	    $(RUBY_GEM_STAGE)/$$stage/ || exit 1; \
	done
	@rm -f $(RUBY_GEM_STAGE)/plain/lib/gcounter/libgcounter.so
	strip --strip-debug -o $(RUBY_GEM_STAGE)/platform/lib/gcounter/libgcounter.so $(LIB_DIR)/libgcounter.so
	cd $(RUBY_GEM_STAGE)/plain && $(RUBY) -S gem build --quiet gcounter.gemspec
	cd $(RUBY_GEM_STAGE)/platform && $(RUBY) -S gem build --quiet gcounter.gemspec
	@platform=$$($(RUBY) -e 'print Gem::Platform.local'); \
	for gem in gcounter-$(GCOUNTER_VERSION).gem gcounter-$(GCOUNTER_VERSION)-$$platform.gem; do \
	  found=$$(find $(RUBY_GEM_STAGE) -name $$gem); \
	  [ -n "$$found" ] || { echo "dist-ruby: gem build made no $$gem (is GCounter::VERSION" \
	    "in $(RUBY_DIR)/lib/gcounter/version.rb $(GCOUNTER_VERSION), as in Cargo.toml?)" >&2; exit 1; }; \
	  mv $$found dist/ && echo "dist/$$gem"; \
	done

test-dist-ruby: dist-ruby
	@RUBY="$(RUBY)" VERSION="$(GCOUNTER_VERSION)" PLATFORM="$$($(RUBY) -e 'print Gem::Platform.local')" \
	  bash tests/dist/ruby/run.sh
