package gcounter_test

import (
	"fmt"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

// Two agents count page views on their own replicas and sync by exchanging JSON.
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
	// Output:
	// laptop: 5 phone: 5 order: equal
	// {"laptop":3,"phone":2}
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
