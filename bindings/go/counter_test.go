package gcounter_test

import (
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

// counterOf builds a counter from agent -> count pairs by incrementing.
func counterOf(t testing.TB, counts map[string]uint64) *gcounter.Counter {
	t.Helper()
	c := gcounter.New()
	t.Cleanup(func() { c.Close() })
	for agentID, by := range counts {
		if err := c.Increment(agentID, by); err != nil {
			t.Fatalf("Increment(%q, %d): %v", agentID, by, err)
		}
	}
	return c
}

func mustJSON(t testing.TB, c *gcounter.Counter) string {
	t.Helper()
	data, err := c.ToJSON()
	if err != nil {
		t.Fatalf("ToJSON: %v", err)
	}
	return string(data)
}

func mustValue(t testing.TB, c *gcounter.Counter) uint64 {
	t.Helper()
	value, err := c.Value()
	if err != nil {
		t.Fatalf("Value: %v", err)
	}
	return value
}

func mustValueFor(t testing.TB, c *gcounter.Counter, agentID string) uint64 {
	t.Helper()
	value, err := c.ValueFor(agentID)
	if err != nil {
		t.Fatalf("ValueFor(%q): %v", agentID, err)
	}
	return value
}

// wantError checks that err is an *gcounter.Error matching sentinel, with a message.
func wantError(t testing.TB, err, sentinel error) *gcounter.Error {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("error = %v, want %v", err, sentinel)
	}
	var libErr *gcounter.Error
	if !errors.As(err, &libErr) {
		t.Fatalf("error %v (%T) is not a *gcounter.Error", err, err)
	}
	if libErr.Message == "" {
		t.Fatalf("error %v has no detail message", err)
	}
	if !strings.HasPrefix(err.Error(), "gcounter: ") || !strings.HasSuffix(err.Error(), libErr.Message) {
		t.Fatalf("Error() = %q, want \"gcounter: \" and the message %q", err.Error(), libErr.Message)
	}
	// The sentinel's words once, whether the message repeats them or not.
	if words := strings.TrimPrefix(sentinel.Error(), "gcounter: "); strings.Count(err.Error(), words) != 1 {
		t.Fatalf("Error() = %q, want %q said once", err.Error(), words)
	}
	return libErr
}

func TestNewCounterIsEmpty(t *testing.T) {
	c := gcounter.New()
	defer c.Close()
	if v := mustValue(t, c); v != 0 {
		t.Errorf("Value = %d, want 0", v)
	}
	if n := c.AgentCount(); n != 0 {
		t.Errorf("AgentCount = %d, want 0", n)
	}
	if got := mustJSON(t, c); got != "{}" {
		t.Errorf("ToJSON = %s, want {}", got)
	}
}

func TestIncrementValueAndValueFor(t *testing.T) {
	c := gcounter.New()
	defer c.Close()
	for _, step := range []struct {
		agentID string
		by      uint64
	}{{"alice", 1}, {"bob", 5}, {"alice", 2}, {"carol", 10}} {
		if err := c.Increment(step.agentID, step.by); err != nil {
			t.Fatalf("Increment(%q, %d): %v", step.agentID, step.by, err)
		}
	}
	if v := mustValue(t, c); v != 18 {
		t.Errorf("Value = %d, want 18", v)
	}
	for agentID, want := range map[string]uint64{"alice": 3, "bob": 5, "carol": 10, "dave": 0} {
		if got := mustValueFor(t, c, agentID); got != want {
			t.Errorf("ValueFor(%q) = %d, want %d", agentID, got, want)
		}
	}
	if n := c.AgentCount(); n != 3 {
		t.Errorf("AgentCount = %d, want 3", n)
	}
	if got := mustJSON(t, c); got != `{"alice":3,"bob":5,"carol":10}` {
		t.Errorf("ToJSON = %s", got)
	}
}

func TestAgentIDsWithNULEmptyAndNonASCII(t *testing.T) {
	c := gcounter.New()
	defer c.Close()
	ids := map[string]uint64{"": 1, "a": 2, "a\x00b": 3, "a\x00": 4, "zoë": 5, "日本": 6}
	for agentID, by := range ids {
		if err := c.Increment(agentID, by); err != nil {
			t.Fatalf("Increment(%q): %v", agentID, err)
		}
	}
	for agentID, want := range ids {
		if got := mustValueFor(t, c, agentID); got != want {
			t.Errorf("ValueFor(%q) = %d, want %d", agentID, got, want)
		}
	}
	if n := c.AgentCount(); n != len(ids) {
		t.Errorf("AgentCount = %d, want %d", n, len(ids))
	}
	want := `{"":1,"a":2,"a\u0000":4,"a\u0000b":3,"zoë":5,"日本":6}`
	if got := mustJSON(t, c); got != want {
		t.Errorf("ToJSON = %s, want %s", got, want)
	}
	back, err := gcounter.FromJSON([]byte(want))
	if err != nil {
		t.Fatalf("FromJSON: %v", err)
	}
	defer back.Close()
	if !back.Equivalent(c) {
		t.Errorf("FromJSON(ToJSON(c)) = %s, not equivalent to c", mustJSON(t, back))
	}
}

func TestIncrementByZeroIsInvalidArgument(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": 1})
	err := c.Increment("alice", 0)
	libErr := wantError(t, err, gcounter.ErrInvalidArgument)
	if libErr.Status != 2 {
		t.Errorf("Status = %d, want 2 (GCOUNTER_ERR_INVALID_ARGUMENT)", libErr.Status)
	}
	// The library's words, the same in every binding.
	if want := "increment 'by' must be at least 1, got 0"; libErr.Message != want {
		t.Errorf("Message = %q, want %q", libErr.Message, want)
	}
	if got := mustJSON(t, c); got != `{"alice":1}` {
		t.Errorf("counter changed by a failed call: %s", got)
	}
}

func TestInvalidUTF8AgentID(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": 1})
	for _, agentID := range []string{"\xff", "ok\xc3", "\xed\xa0\x80"} {
		libErr := wantError(t, c.Increment(agentID, 1), gcounter.ErrInvalidUTF8)
		if libErr.Status != 3 {
			t.Errorf("Status = %d, want 3", libErr.Status)
		}
		_, err := c.ValueFor(agentID)
		wantError(t, err, gcounter.ErrInvalidUTF8)
	}
	if got := mustJSON(t, c); got != `{"alice":1}` {
		t.Errorf("counter changed by failed calls: %s", got)
	}
}

func TestIncrementOverflow(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": math.MaxUint64 - 1})
	if err := c.Increment("alice", 1); err != nil {
		t.Fatalf("Increment up to MaxUint64: %v", err)
	}
	libErr := wantError(t, c.Increment("alice", 1), gcounter.ErrOverflow)
	if libErr.Status != 4 {
		t.Errorf("Status = %d, want 4", libErr.Status)
	}
	if got := mustValueFor(t, c, "alice"); got != math.MaxUint64 {
		t.Errorf("ValueFor = %d after a failed increment, want MaxUint64", got)
	}
	// The total never makes an increment fail.
	if err := c.Increment("bob", 1); err != nil {
		t.Errorf("Increment of another agent: %v", err)
	}
}

func TestValueOverflowKeepsSlots(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": math.MaxUint64, "bob": 2})
	value, err := c.Value()
	wantError(t, err, gcounter.ErrOverflow)
	if value != 0 {
		t.Errorf("Value returned %d with an error, want 0", value)
	}
	if got := mustValueFor(t, c, "bob"); got != 2 {
		t.Errorf("ValueFor(bob) = %d, want 2", got)
	}
}

func TestJoinIsPerSlotMaximum(t *testing.T) {
	a := counterOf(t, map[string]uint64{"alice": 5, "bob": 1})
	b := counterOf(t, map[string]uint64{"bob": 3, "carol": 2})
	if err := a.Join(b); err != nil {
		t.Fatalf("Join: %v", err)
	}
	if got := mustJSON(t, a); got != `{"alice":5,"bob":3,"carol":2}` {
		t.Errorf("a.Join(b) = %s", got)
	}
	if got := mustJSON(t, b); got != `{"bob":3,"carol":2}` {
		t.Errorf("Join changed its argument: %s", got)
	}
	// Idempotent, and commutative in its result.
	if err := a.Join(b); err != nil {
		t.Fatalf("second Join: %v", err)
	}
	if err := b.Join(a); err != nil {
		t.Fatalf("b.Join(a): %v", err)
	}
	if !a.Equivalent(b) {
		t.Errorf("after joining both ways: a = %s, b = %s", mustJSON(t, a), mustJSON(t, b))
	}
	if v := mustValue(t, a); v != 10 {
		t.Errorf("Value = %d, want 10", v)
	}
}

func TestSelfJoinChangesNothing(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": 5})
	if err := c.Join(c); err != nil {
		t.Fatalf("c.Join(c): %v", err)
	}
	if got := mustJSON(t, c); got != `{"alice":5}` {
		t.Errorf("after self-join: %s", got)
	}
	if order, err := c.Compare(c); err != nil || order != gcounter.OrderEqual {
		t.Errorf("c.Compare(c) = %v, %v; want equal", order, err)
	}
	if !c.Equivalent(c) {
		t.Error("c.Equivalent(c) = false")
	}
}

func TestJoinJSON(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": 5, "bob": 1})
	doc := " {\n \"bob\" : 4, \"carol\":0, \"d\\u0061ve\": 7 } "
	if err := c.JoinJSON([]byte(doc)); err != nil {
		t.Fatalf("JoinJSON: %v", err)
	}
	if got := mustJSON(t, c); got != `{"alice":5,"bob":4,"dave":7}` {
		t.Errorf("after JoinJSON: %s", got)
	}
}

var invalidDocuments = map[string]string{
	"empty":              ``,
	"not JSON":           `hello`,
	"array":              `[1,2]`,
	"string":             `"a"`,
	"negative":           `{"a":-1}`,
	"fraction":           `{"a":1.5}`,
	"float":              `{"a":1.0}`,
	"exponent":           `{"a":1e3}`,
	"quoted count":       `{"a":"1"}`,
	"null count":         `{"a":null}`,
	"boolean count":      `{"a":true}`,
	"array count":        `{"a":[1]}`,
	"object count":       `{"a":{}}`,
	"above MaxUint64":    `{"a":18446744073709551616}`,
	"duplicate agent":    `{"a":1,"a":2}`,
	"duplicate escaped":  `{"a":1,"\u0061":2}`,
	"lone surrogate":     `{"\ud800":1}`,
	"trailing data":      `{"a":1} x`,
	"two objects":        `{}{}`,
	"unterminated":       `{"a":1`,
	"invalid UTF-8":      "{\"\xff\":1}",
	"top-level null":     `null`,
	"trailing comma":     `{"a":1,}`,
	"unquoted agent id":  `{a:1}`,
	"single-quoted text": `{'a':1}`,
}

func TestJoinJSONRejectsInvalidInputAndChangesNothing(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": 5})
	for name, doc := range invalidDocuments {
		t.Run(name, func(t *testing.T) {
			libErr := wantError(t, c.JoinJSON([]byte(doc)), gcounter.ErrInvalidJSON)
			if libErr.Status != 5 {
				t.Errorf("Status = %d, want 5", libErr.Status)
			}
			if got := mustJSON(t, c); got != `{"alice":5}` {
				t.Errorf("counter changed by a failed JoinJSON: %s", got)
			}
		})
	}
}

func TestFromJSON(t *testing.T) {
	c, err := gcounter.FromJSON([]byte(`{"b":2, "a":1, "z":0, "max":18446744073709551615}`))
	if err != nil {
		t.Fatalf("FromJSON: %v", err)
	}
	defer c.Close()
	if got := mustJSON(t, c); got != `{"a":1,"b":2,"max":18446744073709551615}` {
		t.Errorf("ToJSON = %s", got)
	}
	if n := c.AgentCount(); n != 3 {
		t.Errorf("AgentCount = %d, want 3 (a count of 0 is absent)", n)
	}
	if got := mustValueFor(t, c, "max"); got != math.MaxUint64 {
		t.Errorf("ValueFor(max) = %d", got)
	}
	// A counter made by FromJSON starts with an empty delta record.
	delta, err := c.TakeDelta()
	if err != nil {
		t.Fatalf("TakeDelta: %v", err)
	}
	defer delta.Close()
	if got := mustJSON(t, delta); got != "{}" {
		t.Errorf("delta of a parsed counter = %s, want {}", got)
	}
}

func TestFromJSONRejectsInvalidInput(t *testing.T) {
	for name, doc := range invalidDocuments {
		t.Run(name, func(t *testing.T) {
			c, err := gcounter.FromJSON([]byte(doc))
			wantError(t, err, gcounter.ErrInvalidJSON)
			if c != nil {
				t.Errorf("FromJSON returned a counter with an error")
			}
		})
	}
	_, err := gcounter.FromJSON(nil)
	wantError(t, err, gcounter.ErrInvalidJSON)
}

func TestCompare(t *testing.T) {
	base := map[string]uint64{"alice": 2, "bob": 1}
	for _, tc := range []struct {
		name  string
		other map[string]uint64
		want  gcounter.Order
	}{
		{"equal", map[string]uint64{"alice": 2, "bob": 1}, gcounter.OrderEqual},
		{"less", map[string]uint64{"alice": 3, "bob": 1}, gcounter.OrderLess},
		{"less by a new agent", map[string]uint64{"alice": 2, "bob": 1, "carol": 1}, gcounter.OrderLess},
		{"greater", map[string]uint64{"alice": 2}, gcounter.OrderGreater},
		{"concurrent", map[string]uint64{"alice": 1, "bob": 1, "carol": 1}, gcounter.OrderConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := counterOf(t, base)
			b := counterOf(t, tc.other)
			order, err := a.Compare(b)
			if err != nil {
				t.Fatalf("Compare: %v", err)
			}
			if order != tc.want {
				t.Errorf("Compare = %v, want %v", order, tc.want)
			}
			if equivalent := a.Equivalent(b); equivalent != (tc.want == gcounter.OrderEqual) {
				t.Errorf("Equivalent = %v with order %v", equivalent, order)
			}
		})
	}
}

func TestVersionIsTheLibrarysSemver(t *testing.T) {
	if v := gcounter.Version(); !regexp.MustCompile(`^\d+\.\d+\.\d+\S*$`).MatchString(v) {
		t.Errorf("Version() = %q, want the library's major.minor.patch", v)
	}
}

func TestOrderString(t *testing.T) {
	for order, want := range map[gcounter.Order]string{
		gcounter.OrderEqual: "equal", gcounter.OrderLess: "less",
		gcounter.OrderGreater: "greater", gcounter.OrderConcurrent: "concurrent",
		gcounter.Order(9): "Order(9)",
	} {
		if got := order.String(); got != want {
			t.Errorf("Order(%d).String() = %q, want %q", int(order), got, want)
		}
	}
}

func TestTakeDelta(t *testing.T) {
	replica := gcounter.New()
	defer replica.Close()
	peer := gcounter.New()
	defer peer.Close()

	if err := replica.Increment("alice", 3); err != nil {
		t.Fatal(err)
	}
	if err := peer.Join(replica); err != nil {
		t.Fatal(err)
	}
	first, err := replica.TakeDelta()
	if err != nil {
		t.Fatalf("TakeDelta: %v", err)
	}
	defer first.Close()
	if got := mustJSON(t, first); got != `{"alice":3}` {
		t.Errorf("first delta = %s", got)
	}

	if err := replica.Increment("bob", 1); err != nil {
		t.Fatal(err)
	}
	if err := replica.JoinJSON([]byte(`{"carol":4,"alice":1}`)); err != nil {
		t.Fatal(err)
	}
	second, err := replica.TakeDelta()
	if err != nil {
		t.Fatalf("TakeDelta: %v", err)
	}
	defer second.Close()
	if got := mustJSON(t, second); got != `{"bob":1,"carol":4}` {
		t.Errorf("second delta = %s (only slots that rose)", got)
	}
	empty, err := replica.TakeDelta()
	if err != nil {
		t.Fatalf("TakeDelta: %v", err)
	}
	defer empty.Close()
	if got := mustJSON(t, empty); got != "{}" {
		t.Errorf("delta with nothing new = %s, want {}", got)
	}

	// Deltas joined in any order, any number of times, give the full state.
	for _, delta := range []*gcounter.Counter{second, first, second} {
		if err := peer.Join(delta); err != nil {
			t.Fatal(err)
		}
	}
	if !peer.Equivalent(replica) {
		t.Errorf("peer after deltas = %s, replica = %s", mustJSON(t, peer), mustJSON(t, replica))
	}
}

func TestCloneIsIndependent(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": 2})
	clone, err := c.Clone()
	if err != nil {
		t.Fatalf("Clone: %v", err)
	}
	defer clone.Close()
	if !clone.Equivalent(c) {
		t.Fatalf("clone = %s, want %s", mustJSON(t, clone), mustJSON(t, c))
	}
	if err := clone.Increment("bob", 1); err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, c); got != `{"alice":2}` {
		t.Errorf("incrementing the clone changed the original: %s", got)
	}
	delta, err := clone.TakeDelta()
	if err != nil {
		t.Fatal(err)
	}
	defer delta.Close()
	if got := mustJSON(t, delta); got != `{"bob":1}` {
		t.Errorf("clone's delta = %s, want only what rose after cloning", got)
	}
}

func TestUseAfterCloseReturnsErrClosed(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": 1})
	live := counterOf(t, map[string]uint64{"bob": 1})
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	checks := map[string]error{
		"Increment":                c.Increment("alice", 1),
		"Join":                     c.Join(live),
		"Join into a live counter": live.Join(c),
		"JoinJSON":                 c.JoinJSON([]byte(`{}`)),
		"UnmarshalJSON":            c.UnmarshalJSON([]byte(`{"a":1}`)),
	}
	_, checks["Value"] = c.Value()
	_, checks["ValueFor"] = c.ValueFor("alice")
	_, checks["Compare"] = c.Compare(live)
	_, checks["Compare with a closed counter"] = live.Compare(c)
	_, checks["TakeDelta"] = c.TakeDelta()
	_, checks["Clone"] = c.Clone()
	_, checks["ToJSON"] = c.ToJSON()
	_, checks["MarshalJSON"] = c.MarshalJSON()
	_, checks["ValueExact"] = c.ValueExact()
	_, checks["DeltaFor"] = c.DeltaFor(live)
	_, checks["DeltaFor a closed peer"] = live.DeltaFor(c)
	_, checks["DeltaFor itself"] = c.DeltaFor(c)
	_, checks["Slots"] = c.Slots()
	for name, err := range checks {
		if !errors.Is(err, gcounter.ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
	if n := c.AgentCount(); n != 0 {
		t.Errorf("AgentCount after Close = %d, want 0", n)
	}
	if c.Equivalent(live) || live.Equivalent(c) || c.Equivalent(c) {
		t.Error("Equivalent with a closed counter is true")
	}
	for agentID := range c.All() {
		t.Errorf("All after Close yields %q, want nothing", agentID)
	}
	if got := mustJSON(t, live); got != `{"bob":1}` {
		t.Errorf("the live counter changed: %s", got)
	}
}

func TestZeroCounterIsUsable(t *testing.T) {
	var c gcounter.Counter
	if err := c.Increment("alice", 2); err != nil {
		t.Fatalf("Increment on a zero Counter: %v", err)
	}
	if v := mustValue(t, &c); v != 2 {
		t.Errorf("Value = %d, want 2", v)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Increment("alice", 1); !errors.Is(err, gcounter.ErrClosed) {
		t.Errorf("Increment after Close = %v, want ErrClosed", err)
	}

	// A zero Counter closed before any use stays closed.
	var unused gcounter.Counter
	if err := unused.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := unused.Value(); !errors.Is(err, gcounter.ErrClosed) {
		t.Errorf("Value of a closed zero Counter = %v, want ErrClosed", err)
	}
}

func TestNilCounterIsNullPointer(t *testing.T) {
	var c *gcounter.Counter
	live := counterOf(t, map[string]uint64{"bob": 1})
	checks := map[string]error{
		"Increment":     c.Increment("a", 1),
		"Join":          c.Join(live),
		"Join(nil)":     live.Join(nil),
		"JoinJSON":      c.JoinJSON([]byte(`{}`)),
		"UnmarshalJSON": c.UnmarshalJSON([]byte(`{}`)),
	}
	_, checks["Value"] = c.Value()
	_, checks["ValueFor"] = c.ValueFor("a")
	_, checks["Compare"] = c.Compare(live)
	_, checks["Compare(nil)"] = live.Compare(nil)
	_, checks["TakeDelta"] = c.TakeDelta()
	_, checks["Clone"] = c.Clone()
	_, checks["ToJSON"] = c.ToJSON()
	_, checks["ValueExact"] = c.ValueExact()
	_, checks["DeltaFor"] = c.DeltaFor(live)
	_, checks["DeltaFor(nil)"] = live.DeltaFor(nil)
	_, checks["Slots"] = c.Slots()
	for name, err := range checks {
		if !errors.Is(err, gcounter.ErrNullPointer) {
			t.Errorf("%s: %v, want ErrNullPointer", name, err)
		}
	}
	if c.AgentCount() != 0 || c.Equivalent(live) || live.Equivalent(nil) {
		t.Error("nil counter: AgentCount != 0 or Equivalent true")
	}
	for agentID := range c.All() {
		t.Errorf("All of a nil counter yields %q, want nothing", agentID)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close of a nil counter: %v", err)
	}
	if got := mustJSON(t, live); got != `{"bob":1}` {
		t.Errorf("the live counter changed: %s", got)
	}
}

func TestErrorsMatchOnlyTheirSentinel(t *testing.T) {
	sentinels := []error{
		gcounter.ErrNullPointer, gcounter.ErrInvalidArgument, gcounter.ErrInvalidUTF8,
		gcounter.ErrOverflow, gcounter.ErrInvalidJSON, gcounter.ErrPanic, gcounter.ErrClosed,
	}
	for status, want := range map[int]error{
		1: gcounter.ErrNullPointer, 2: gcounter.ErrInvalidArgument, 3: gcounter.ErrInvalidUTF8,
		4: gcounter.ErrOverflow, 5: gcounter.ErrInvalidJSON, 6: gcounter.ErrPanic,
	} {
		err := &gcounter.Error{Status: status, Message: "detail"}
		for _, sentinel := range sentinels {
			if errors.Is(err, sentinel) != (sentinel == want) {
				t.Errorf("status %d: errors.Is(%v) = %v", status, sentinel, !(sentinel == want))
			}
		}
		if got, wantText := err.Error(), want.Error()+": detail"; got != wantText {
			t.Errorf("status %d: Error() = %q, want %q", status, got, wantText)
		}
		// A message that opens with the sentinel's words does not repeat them.
		words := strings.TrimPrefix(want.Error(), "gcounter: ")
		repeating := &gcounter.Error{Status: status, Message: words + " at byte 5: detail"}
		if got, wantText := repeating.Error(), "gcounter: "+words+" at byte 5: detail"; got != wantText {
			t.Errorf("status %d: Error() = %q, want %q", status, got, wantText)
		}
	}
	// A status this package does not know is named by the library and matches no sentinel.
	unknown := &gcounter.Error{Status: 99}
	for _, sentinel := range sentinels {
		if errors.Is(unknown, sentinel) {
			t.Errorf("unknown status matches %v", sentinel)
		}
	}
	if text := unknown.Error(); !strings.HasPrefix(text, "gcounter: ") || len(text) <= len("gcounter: ") {
		t.Errorf("unknown status Error() = %q", text)
	}
}
