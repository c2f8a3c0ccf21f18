package gcounter_test

import (
	"math"
	"math/big"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

func mustValueExact(t testing.TB, c *gcounter.Counter) *big.Int {
	t.Helper()
	value, err := c.ValueExact()
	if err != nil {
		t.Fatalf("ValueExact: %v", err)
	}
	return value
}

// bigOf parses a decimal number, for expected values written as the numbers they are.
func bigOf(t testing.TB, decimal string) *big.Int {
	t.Helper()
	value, ok := new(big.Int).SetString(decimal, 10)
	if !ok {
		t.Fatalf("not a decimal number: %s", decimal)
	}
	return value
}

func TestValueExact(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts map[string]uint64
		want   string
	}{
		{"empty", nil, "0"},
		{"small", map[string]uint64{"alice": 3, "bob": 4}, "7"},
		{"MaxUint64 exactly", map[string]uint64{"alice": math.MaxUint64 - 1, "bob": 1}, "18446744073709551615"},
		{"2^64 exactly", map[string]uint64{"alice": math.MaxUint64, "bob": 1}, "18446744073709551616"},
		{"two agents at MaxUint64", map[string]uint64{"alice": math.MaxUint64, "bob": math.MaxUint64},
			"36893488147419103230"},
		{"three agents at MaxUint64 and one more", map[string]uint64{
			"a": math.MaxUint64, "b": math.MaxUint64, "c": math.MaxUint64, "d": 7},
			"55340232221128654852"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := counterOf(t, tc.counts)
			got := mustValueExact(t, c)
			if want := bigOf(t, tc.want); got.Cmp(want) != 0 {
				t.Errorf("ValueExact = %s, want %s", got, want)
			}
			// Value agrees wherever the total fits in a uint64, and is ErrOverflow above.
			value, err := c.Value()
			if got.IsUint64() {
				if err != nil || value != got.Uint64() {
					t.Errorf("Value = %d, %v; ValueExact = %s", value, err, got)
				}
			} else {
				wantError(t, err, gcounter.ErrOverflow)
			}
		})
	}
}

func TestValueExactIsTheCallersOwn(t *testing.T) {
	c := counterOf(t, map[string]uint64{"alice": math.MaxUint64, "bob": 2})
	first := mustValueExact(t, c)
	first.SetInt64(-1)
	if got, want := mustValueExact(t, c), bigOf(t, "18446744073709551617"); got.Cmp(want) != 0 {
		t.Errorf("ValueExact after changing an earlier result = %s, want %s", got, want)
	}
}

func TestValueExactOfParsedAndJoinedCounters(t *testing.T) {
	c, err := gcounter.FromJSON([]byte(`{"a":18446744073709551615,"b":18446744073709551615,"c":2}`))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, want := mustValueExact(t, c), bigOf(t, "36893488147419103232"); got.Cmp(want) != 0 {
		t.Errorf("ValueExact = %s, want %s", got, want)
	}
	if err := c.JoinJSON([]byte(`{"c":5,"d":18446744073709551615}`)); err != nil {
		t.Fatal(err)
	}
	if got, want := mustValueExact(t, c), bigOf(t, "55340232221128654850"); got.Cmp(want) != 0 {
		t.Errorf("ValueExact after a join = %s, want %s", got, want)
	}
}
