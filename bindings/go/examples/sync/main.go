// Command sync shows two replicas of a page-view counter converging: the laptop and the phone
// each count their own views, then exchange first their full state as JSON and afterwards only
// deltas, and end with the same value.
package main

import (
	"fmt"
	"log"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

func main() {
	laptop := gcounter.New()
	defer laptop.Close()
	phone := gcounter.New()
	defer phone.Close()

	must(laptop.Increment("laptop", 3))
	must(phone.Increment("phone", 2))

	// First contact: the full state, as JSON.
	state, err := laptop.ToJSON()
	must(err)
	must(phone.JoinJSON(state))
	fmt.Printf("laptop sent %s\n", state)

	// From then on, only what changed: the phone's delta holds both slots that rose on it.
	must(phone.Increment("phone", 4))
	delta, err := phone.TakeDelta()
	must(err)
	defer delta.Close()
	deltaJSON, err := delta.ToJSON()
	must(err)
	must(laptop.JoinJSON(deltaJSON))
	fmt.Printf("phone sent delta %s\n", deltaJSON)

	order, err := laptop.Compare(phone)
	must(err)
	value, err := laptop.Value()
	must(err)
	final, err := laptop.ToJSON()
	must(err)
	fmt.Printf("order: %v\n", order)
	fmt.Printf("converged: %s value %d\n", final, value)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
