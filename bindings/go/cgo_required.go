//go:build !cgo

package gcounter

// This package calls the C library libgcounter through cgo, so it cannot be built with cgo
// disabled. Build with CGO_ENABLED=1 (the default when a C compiler is found) and a C compiler
// such as gcc or clang on PATH, or set CC to one. The type below names an undefined type on
// purpose: the compiler's first error, "undefined: ...", then says what to do.
type _ gcounter_needs_cgo__build_with_CGO_ENABLED_1_and_a_C_compiler
