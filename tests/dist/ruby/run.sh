#!/usr/bin/env bash
# Installs dist/'s gems with `gem install --local` into GEM_HOMEs in a temporary directory, with
# nothing that points at this checkout (no RUBYLIB, GCOUNTER_LIB or LD_LIBRARY_PATH into it),
# and runs check.rb against each:
#   - the x86_64-linux gem must load the library it carries;
#   - the plain gem must load an installed library: a copy of the one the platform gem carries,
#     in a directory of its own on LD_LIBRARY_PATH, standing in for /usr/lib.
# Environment: RUBY, VERSION, PLATFORM (the platform gem's, e.g. x86_64-linux).
set -euo pipefail
checkout=$(pwd)
platform_gem=dist/gcounter-$VERSION-$PLATFORM.gem
plain_gem=dist/gcounter-$VERSION.gem
for gem in "$platform_gem" "$plain_gem"; do
  [ -f "$gem" ] || { echo "test-dist-ruby: $gem is missing: run make dist-ruby" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$platform_gem" "$plain_gem" tests/dist/ruby/check.rb "$work"/
cd "$work"
unset RUBYLIB RUBYOPT GCOUNTER_LIB LD_LIBRARY_PATH GEM_PATH

# As bindings/ruby/README.md installs into a directory of one's own: GEM_HOME, both to install and
# to run (not --install-dir, which ignores the installed ffi); --local: the ffi dependency must be
# satisfied by what is installed (Debian's ruby-ffi).
GEM_HOME=$work/platform "$RUBY" -S gem install --local --no-document "./$(basename "$platform_gem")"
GEM_HOME=$work/plain "$RUBY" -S gem install --local --no-document "./$(basename "$plain_gem")"
mkdir system
cp "platform/gems/gcounter-$VERSION-$PLATFORM/lib/gcounter/libgcounter.so" system/libgcounter.so.0

status=0
echo "# the $PLATFORM gem" > report.txt
GEM_HOME=$work/platform "$RUBY" -w check.rb "$VERSION" "$checkout" \
  "$work/platform/gems/gcounter-$VERSION-$PLATFORM/lib/gcounter" >> report.txt 2>&1 || status=1
echo "# the plain gem, with an installed library" >> report.txt
GEM_HOME=$work/plain LD_LIBRARY_PATH=$work/system "$RUBY" -w check.rb "$VERSION" "$checkout" \
  "$work/system" >> report.txt 2>&1 || status=1
cat report.txt
passed=$(grep -c '^ok ' report.txt || true)
failed=$(grep -c '^FAIL ' report.txt || true)
[ "$status" = 0 ] || [ "$failed" != 0 ] || failed=1  # a check program that died before reporting
echo "dist-ruby: $passed passed, $failed failed"
[ "$failed" = 0 ]
