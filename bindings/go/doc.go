// Package gcounter is the Go binding of libgcounter, a grow-only counter (G-Counter) CRDT.
//
// A G-Counter keeps one slot per agent. Each agent increments only its own slot; the value is
// the sum of all slots; [Counter.Join] takes the per-slot maximum, which is commutative,
// associative and idempotent, so replicas that exchange their states (or the deltas from
// [Counter.TakeDelta]) in any order, any number of times, converge to the same value.
//
// A replica that has read a peer's state replies with [Counter.DeltaFor], only the slots the
// peer lacks; [Counter.All] walks the slots in canonical order with range-over-func; and
// [Counter.ValueExact] gives the total as a *big.Int, exact past math.MaxUint64.
//
// The counter itself lives in the C library libgcounter; this package wraps one C handle per
// [Counter] and never re-implements counter logic.
//
// # Concurrency
//
// A [Counter] is safe for concurrent use by any number of goroutines: each counter has its own
// read-write lock. Methods that only read ([Counter.Value], [Counter.ToJSON], ...) may run in
// parallel; methods that change the counter run alone. Methods that take two counters lock both
// in a fixed global order, so a.Join(b) and b.Join(a) may run at the same time without deadlock,
// and c.Join(c) is allowed. A loop over [Counter.All] holds no lock while its body runs.
//
// # Lifetime
//
// [Counter.Close] frees the C memory at once; it is idempotent, and every later call returns
// [ErrClosed] (or the neutral result of a method that returns no error). A counter that is
// never closed is freed by a cleanup (runtime.AddCleanup) some time after it becomes
// unreachable. The zero Counter is an empty counter ready to use, also as a struct field; a
// Counter must not be copied (pass *Counter, and marshal a struct that holds one through a
// pointer: json.Marshal(&s)). go vet reports a copy, as it does for a sync.Mutex.
//
// # Errors
//
// Every failure from the library is an [*Error] that carries the status code and the library's
// own detail message, and matches one of the sentinels with errors.Is: [ErrInvalidArgument],
// [ErrInvalidUTF8], [ErrOverflow], [ErrInvalidJSON], [ErrNullPointer], [ErrPanic]. A call on a
// closed counter returns [ErrClosed]. A failed call changes nothing.
//
// # Finding the library
//
// In a clone of the repository, the package links the library that `make lib` builds in
// target/release, with an rpath into the clone, and the header in include/: the development
// route (link_repo.go). The module tree that `make dist-go` builds, as a release carries it,
// links the static archive inside the module instead, so a program needs only Go and a C
// compiler (link_bundled.go). With the build tag gcounter_system, either uses an installed
// library found by pkg-config (gcounter.pc). cgo is required: with CGO_ENABLED=0 the build
// stops with an error that says so.
package gcounter
