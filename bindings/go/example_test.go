package gcounter_test

import (
	"errors"
	"fmt"
	"math"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

// Two agents count page views on their own replicas and sync by exchanging JSON: the full
// state, then a delta, and at last, in reply to a peer's state, only what the peer lacks.
func Example() {
	laptop := gcounter.New()
	defer laptop.Close()
	phone := gcounter.New()
	defer phone.Close()

	// Each agent increments only its own slot.
	_ = laptop.Increment("laptop", 3)
	_ = phone.Increment("phone", 2)

	// The laptop sends its state; the phone merges it.
	state, _ := laptop.ToJSON()
	_ = phone.JoinJSON(state)

	// The phone sends back only what changed since it last sent anything.
	delta, _ := phone.TakeDelta()
	defer delta.Close()
	_ = laptop.Join(delta)

	laptopTotal, _ := laptop.Value()
	phoneTotal, _ := phone.Value()
	order, _ := laptop.Compare(phone)
	final, _ := phone.ToJSON()
	fmt.Println("laptop:", laptopTotal, "phone:", phoneTotal, "order:", order)
	fmt.Println(string(final))

	// Anti-entropy: the laptop counts more views, then reads the phone's state and replies
	// with only the slots the phone lacks.
	_ = laptop.Increment("laptop", 4)
	phoneState, _ := phone.ToJSON()
	theirs, _ := gcounter.FromJSON(phoneState)
	defer theirs.Close()
	reply, _ := laptop.DeltaFor(theirs)
	defer reply.Close()
	replyJSON, _ := reply.ToJSON()
	_ = phone.JoinJSON(replyJSON)
	fmt.Printf("laptop replied with %d of %d slots: %s\n", reply.AgentCount(), laptop.AgentCount(), replyJSON)
	phoneTotal, _ = phone.Value()
	fmt.Println("phone:", phoneTotal)
	// Output:
	// laptop: 5 phone: 5 order: equal
	// {"laptop":3,"phone":2}
	// laptop replied with 1 of 2 slots: {"laptop":7}
	// phone: 9
}

// Deltas carry only the slots that rose, so a replica that syncs often sends little.
func ExampleCounter_TakeDelta() {
	replica := gcounter.New()
	defer replica.Close()
	_ = replica.Increment("a", 1)
	_ = replica.Increment("b", 1)
	first, _ := replica.TakeDelta()
	defer first.Close()

	_ = replica.Increment("b", 4)
	second, _ := replica.TakeDelta()
	defer second.Close()

	firstJSON, _ := first.ToJSON()
	secondJSON, _ := second.ToJSON()
	fmt.Println(string(firstJSON))
	fmt.Println(string(secondJSON))
	// Output:
	// {"a":1,"b":1}
	// {"b":5}
}

// The replica that has just read a peer's state replies with only what the peer lacks.
func ExampleCounter_DeltaFor() {
	mine, _ := gcounter.FromJSON([]byte(`{"a":5,"b":2,"c":1}`))
	defer mine.Close()
	theirs, _ := gcounter.FromJSON([]byte(`{"a":5,"b":1,"d":4}`))
	defer theirs.Close()

	reply, _ := mine.DeltaFor(theirs)
	defer reply.Close()
	replyJSON, _ := reply.ToJSON()
	fmt.Println(string(replyJSON))

	// Nothing to send to a peer that already has everything.
	empty, _ := mine.DeltaFor(mine)
	defer empty.Close()
	fmt.Println(empty.AgentCount())
	// Output:
	// {"b":2,"c":1}
	// 0
}

// The slots in canonical order, ids sorted by their UTF-8 bytes.
func ExampleCounter_All() {
	c := gcounter.New()
	defer c.Close()
	_ = c.Increment("phone", 2)
	_ = c.Increment("laptop", 3)
	_ = c.Increment("Tablet", 1)
	for agentID, count := range c.All() {
		fmt.Println(agentID, count)
	}
	// Output:
	// Tablet 1
	// laptop 3
	// phone 2
}

// The total past math.MaxUint64, where Value returns ErrOverflow.
func ExampleCounter_ValueExact() {
	c := gcounter.New()
	defer c.Close()
	_ = c.Increment("a", math.MaxUint64)
	_ = c.Increment("b", math.MaxUint64)
	total, _ := c.ValueExact()
	_, err := c.Value()
	fmt.Println(total)
	fmt.Println(errors.Is(err, gcounter.ErrOverflow))
	// Output:
	// 36893488147419103230
	// true
}
