# Packages of the C library and of the crate, built into dist/ and tested outside the repository.
#
#   make dist-c          dist/libgcounter-<v>-<arch>-linux-gnu.tar.gz: lib/ (the soname chain and
#                        libgcounter.a), include/, lib/pkgconfig, lib/cmake; relocatable
#   make dist-deb        dist/libgcounter0_<v>-1_<arch>.deb (the shared library) and
#                        dist/libgcounter-dev_<v>-1_<arch>.deb (headers, .a, .pc, CMake), for /usr,
#                        the libraries in Debian's multiarch directory (/usr/lib/x86_64-linux-gnu)
#   make dist-rust       dist/gcounter-<v>.crate (cargo package)
#   make test-dist-c     the tarball unpacked into a temporary prefix: C through pkg-config and C++
#                        through CMake, shared and static, after the tree is moved
#   make test-dist-deb   both .deb files: metadata, file lists, and a program built against them
#                        unpacked (dpkg-deb -x)
#   make test-dist-rust  a separate cargo project depending on the packaged crate
#   make test-versions   every package and binding carries the version of Cargo.toml
#
# The tarball and the .deb files are each made from a staged install, its libraries stripped of
# debug sections (scripts/dist_native.sh): `make install DESTDIR=build/dist/stage PREFIX=/usr`
# for the tarball, and with LIBDIR=/usr/lib/<multiarch> (dpkg-architecture) for the .deb files.

DISTS  += c deb rust
SUITES += dist-c dist-deb dist-rust

DIST_STAGE    := $(BUILD)/dist/stage
DEB_STAGE     := $(BUILD)/dist/stage-deb
# x86_64-unknown-linux-gnu -> x86_64-linux-gnu, the name the tarball carries.
DIST_TRIPLE   := $(shell $(RUSTC) -vV 2>/dev/null | sed -n 's/^host: //p' | sed 's/-unknown-/-/')
C_TARBALL     := dist/libgcounter-$(GCOUNTER_VERSION)-$(DIST_TRIPLE).tar.gz
# Debian's version: a pre-release sorts before its release with "~" (0.2.0~rc.1-1 < 0.2.0-1).
DEB_REVISION  ?= 1
DEB_VERSION   := $(subst -,~,$(GCOUNTER_VERSION))-$(DEB_REVISION)
DEB_MAINTAINER ?= libgcounter developers <maintainers@libgcounter.invalid>
CRATE         := dist/gcounter-$(GCOUNTER_VERSION).crate

.PHONY: dist-stage deb-stage dist-deps dist-c dist-deb dist-rust test-dist-c test-dist-deb test-dist-rust test-versions

# dpkg-deb builds and reads the packages, dpkg-shlibdeps computes libgcounter0's Depends, strip
# removes debug sections; cmake and pkg-config are what a C or C++ user of the packages has.
dist-deps: install-deps
	@command -v dpkg-deb >/dev/null 2>&1 && command -v dpkg-shlibdeps >/dev/null 2>&1 || scripts/apt_install.sh dpkg-dev
	@command -v strip >/dev/null 2>&1 || scripts/apt_install.sh binutils

# The staged installs, redone each time (a copy of a few files): the tarball's, with lib/, and
# the .deb files', with the libraries where Debian keeps those of the machine's architecture.
dist-stage: lib $(INSTALL_VARS) dist-deps
	@rm -rf $(DIST_STAGE) $(BUILD)/dist/stage_manifest.txt
	@$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DIST_STAGE)) PREFIX=/usr \
	  INSTALL_MANIFEST=$(abspath $(BUILD))/dist/stage_manifest.txt LDCONFIG= >/dev/null
	@STAGE=$(DIST_STAGE) scripts/dist_native.sh strip

deb-stage: lib $(INSTALL_VARS) dist-deps
	@rm -rf $(DEB_STAGE) $(BUILD)/dist/stage_deb_manifest.txt
	@multiarch=$$(dpkg-architecture -qDEB_HOST_MULTIARCH) && \
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_STAGE)) PREFIX=/usr \
	  LIBDIR=/usr/lib/$$multiarch INSTALL_MANIFEST=$(abspath $(BUILD))/dist/stage_deb_manifest.txt \
	  LDCONFIG= >/dev/null && \
	STAGE=$(DEB_STAGE) LIB=lib/$$multiarch scripts/dist_native.sh strip

dist-c: dist-stage
	@STAGE=$(DIST_STAGE) VERSION=$(GCOUNTER_VERSION) OUT=$(C_TARBALL) scripts/dist_native.sh tarball

dist-deb: deb-stage
	@STAGE=$(DEB_STAGE) LIB=lib/$$(dpkg-architecture -qDEB_HOST_MULTIARCH) VERSION=$(GCOUNTER_VERSION) \
	  DEB_VERSION=$(DEB_VERSION) MAINTAINER="$(DEB_MAINTAINER)" OUT=dist scripts/dist_native.sh deb

# --no-verify: test-dist-rust builds the packaged crate itself, as a dependency, outside the
# repository. --allow-dirty: the working tree as it is (a release is made from a clean one).
dist-rust:
	@mkdir -p dist && rm -f dist/gcounter-*.crate
	$(CARGO) package --quiet --no-verify --allow-dirty
	cp target/package/gcounter-$(GCOUNTER_VERSION).crate $(CRATE)
	@echo "dist-rust: $(CRATE)"

test-dist-c: dist-c
	@CC="$(CC)" CXX="$(CXX)" VERSION=$(GCOUNTER_VERSION) TARBALL=$(abspath $(C_TARBALL)) \
	  bash tests/dist/c/run.sh

test-dist-deb: dist-deb
	@CC="$(CC)" VERSION=$(GCOUNTER_VERSION) DEB_VERSION=$(DEB_VERSION) DIST=$(abspath dist) \
	  bash tests/dist/deb/run.sh

test-dist-rust: dist-rust
	@CARGO="$(CARGO)" VERSION=$(GCOUNTER_VERSION) CRATE=$(abspath $(CRATE)) bash tests/dist/rust/run.sh

# Sources first, then every package in dist/ (the suite runs after the others in `make test`).
test-versions: dist-c dist-deb dist-rust
	$(PYTHON) scripts/check_versions.py
