//go:build !gcounter_system

package gcounter

// The library built by `cargo build --release` in this repository. The rpath lets programs
// and tests run without LD_LIBRARY_PATH.

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../target/release -lgcounter -Wl,-rpath,${SRCDIR}/../../target/release
import "C"
