//go:build gcounter_system

package gcounter

// An installed library, found by pkg-config (gcounter.pc); build with -tags gcounter_system.
// Set PKG_CONFIG_PATH if gcounter.pc is outside pkg-config's default search path. pkg-config
// gives no run-time search path: a library outside the loader's directories needs an rpath at
// build time (CGO_LDFLAGS="-Wl,-rpath,<libdir>") or an ldconfig entry.

// #cgo pkg-config: gcounter
import "C"
