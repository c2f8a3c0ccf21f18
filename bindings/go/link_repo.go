//go:build !gcounter_system

package gcounter

// The in-repository development route: the header in include/ and the library that `make lib`
// builds in target/release of this clone. The rpath records that directory in every binary
// (its RUNPATH), so tests and programs run without LD_LIBRARY_PATH, and stop finding the
// library when the clone moves or target/ is cleaned. Programs to ship use the module tree that
// `make dist-go` builds (dist/go: the static archive inside, no path to this clone) or an
// installed library with -tags gcounter_system.

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../target/release -lgcounter -Wl,-rpath,${SRCDIR}/../../target/release
import "C"
