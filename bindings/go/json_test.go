package gcounter_test

import (
	"encoding/json"
	"errors"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

type pageStats struct {
	Page    string            `json:"page"`
	Views   gcounter.Counter  `json:"views"`
	Likes   *gcounter.Counter `json:"likes"`
	Shares  *gcounter.Counter `json:"shares,omitempty"`
	Unknown *gcounter.Counter `json:"unknown"`
}

func newPageStats(t *testing.T) *pageStats {
	t.Helper()
	stats := &pageStats{Page: "/home", Likes: counterOf(t, map[string]uint64{"eu": 2, "us\x00": 1})}
	t.Cleanup(func() { stats.Views.Close() })
	for agentID, by := range map[string]uint64{"eu": 10, "us": 7, `q"uote`: 1} {
		if err := stats.Views.Increment(agentID, by); err != nil {
			t.Fatal(err)
		}
	}
	return stats
}

const pageStatsJSON = `{"page":"/home","views":{"eu":10,"q\"uote":1,"us":7},"likes":{"eu":2,"us\u0000":1},"unknown":null}`

func TestCounterInsideStructRoundTrip(t *testing.T) {
	stats := newPageStats(t)
	data, err := json.Marshal(stats)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if string(data) != pageStatsJSON {
		t.Fatalf("Marshal = %s\nwant      %s", data, pageStatsJSON)
	}

	var back pageStats
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	defer back.Views.Close()
	defer back.Likes.Close()
	if back.Page != "/home" || back.Shares != nil || back.Unknown != nil {
		t.Errorf("plain fields: page %q, shares %v, unknown %v", back.Page, back.Shares, back.Unknown)
	}
	if !back.Views.Equivalent(&stats.Views) {
		t.Errorf("Views = %s, want %s", mustJSON(t, &back.Views), mustJSON(t, &stats.Views))
	}
	if back.Likes == nil || !back.Likes.Equivalent(stats.Likes) {
		t.Fatalf("Likes = %v, want %s", back.Likes, mustJSON(t, stats.Likes))
	}
	// The decoded counters are live replicas.
	if err := back.Views.Increment("eu", 1); err != nil {
		t.Fatal(err)
	}
	if got := mustValueFor(t, &back.Views, "eu"); got != 11 {
		t.Errorf("ValueFor(eu) after Increment = %d, want 11", got)
	}
}

func TestZeroCounterFieldMarshalsAsEmpty(t *testing.T) {
	data, err := json.Marshal(&pageStats{Page: "/new"})
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if want := `{"page":"/new","views":{},"likes":null,"unknown":null}`; string(data) != want {
		t.Errorf("Marshal = %s, want %s", data, want)
	}
}

func TestUnmarshalReplacesTheState(t *testing.T) {
	stats := newPageStats(t)
	likes := stats.Likes
	if err := json.Unmarshal([]byte(`{"views":{"asia":3},"likes":{"eu":1},"shares":null}`), stats); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if got := mustJSON(t, &stats.Views); got != `{"asia":3}` {
		t.Errorf("Views = %s, want the decoded state", got)
	}
	if stats.Likes != likes {
		t.Error("Unmarshal replaced the *Counter instead of decoding into it")
	}
	if got := mustJSON(t, stats.Likes); got != `{"eu":1}` {
		t.Errorf("Likes = %s", got)
	}
	// The decoded state starts a new delta record.
	delta, err := stats.Views.TakeDelta()
	if err != nil {
		t.Fatal(err)
	}
	defer delta.Close()
	if got := mustJSON(t, delta); got != "{}" {
		t.Errorf("delta after Unmarshal = %s, want {}", got)
	}
}

func TestUnmarshalNullLeavesTheCounter(t *testing.T) {
	stats := newPageStats(t)
	if err := json.Unmarshal([]byte(`{"views":null}`), stats); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if got := mustValue(t, &stats.Views); got != 18 {
		t.Errorf("Views value = %d after null, want 18", got)
	}
}

func TestUnmarshalInvalidCounter(t *testing.T) {
	stats := newPageStats(t)
	err := json.Unmarshal([]byte(`{"views":{"eu":-5}}`), stats)
	if !errors.Is(err, gcounter.ErrInvalidJSON) {
		t.Fatalf("Unmarshal of a negative count = %v, want ErrInvalidJSON", err)
	}
	if got := mustValueFor(t, &stats.Views, "eu"); got != 10 {
		t.Errorf("Views changed by a failed Unmarshal: eu = %d", got)
	}
	// encoding/json rejects malformed JSON before the counter sees it.
	if err := json.Unmarshal([]byte(`{"views":[1]}`), stats); !errors.Is(err, gcounter.ErrInvalidJSON) {
		t.Errorf("Unmarshal of an array = %v, want ErrInvalidJSON", err)
	}
}

func TestMarshalClosedCounterFails(t *testing.T) {
	stats := newPageStats(t)
	stats.Likes.Close()
	if _, err := json.Marshal(stats); !errors.Is(err, gcounter.ErrClosed) {
		t.Errorf("Marshal with a closed counter = %v, want ErrClosed", err)
	}
}
