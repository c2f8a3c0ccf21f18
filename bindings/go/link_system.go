//go:build gcounter_system

package gcounter

// An installed library, found by pkg-config (gcounter.pc); build with -tags gcounter_system.
// Set PKG_CONFIG_PATH if gcounter.pc is outside pkg-config's default search path.

// #cgo pkg-config: gcounter
import "C"
