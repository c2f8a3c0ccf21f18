// Command sync shows replicas of a page-view counter converging: the laptop and the phone each
// count their own views, then exchange first their full state as JSON and afterwards only
// deltas; and a tablet that synced earlier gets, in reply to its state, only what it lacks.
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
	tablet := gcounter.New()
	defer tablet.Close()

	must(laptop.Increment("laptop", 3))
	must(phone.Increment("phone", 2))
	must(tablet.Increment("tablet", 7))

	// First contact: the full state, as JSON.
	state, err := laptop.ToJSON()
	must(err)
	must(phone.JoinJSON(state))
	fmt.Printf("laptop sent %s\n", state)
	phoneState, err := phone.ToJSON()
	must(err)
	must(tablet.JoinJSON(phoneState)) // the tablet syncs once, then goes offline

	// From then on, only what changed: the phone's delta holds both slots that rose on it.
	must(phone.Increment("phone", 4))
	delta, err := phone.TakeDelta()
	must(err)
	defer delta.Close()
	deltaJSON, err := delta.ToJSON()
	must(err)
	must(laptop.JoinJSON(deltaJSON))
	fmt.Printf("phone sent delta %s\n", deltaJSON)

	// Anti-entropy: the tablet comes back and sends its state. The laptop reads it, joins it,
	// and replies with only the slots the tablet lacks, not everything it has.
	tabletState, err := tablet.ToJSON()
	must(err)
	theirs, err := gcounter.FromJSON(tabletState)
	must(err)
	defer theirs.Close()
	must(laptop.Join(theirs))
	reply, err := laptop.DeltaFor(theirs)
	must(err)
	defer reply.Close()
	replyJSON, err := reply.ToJSON()
	must(err)
	must(tablet.JoinJSON(replyJSON))
	fmt.Printf("tablet sent %s\n", tabletState)
	fmt.Printf("laptop replied with %d of its %d slots: %s\n", reply.AgentCount(), laptop.AgentCount(), replyJSON)

	order, err := laptop.Compare(tablet)
	must(err)
	value, err := laptop.ValueExact()
	must(err)
	final, err := laptop.ToJSON()
	must(err)
	fmt.Printf("laptop and tablet: %v\n", order)
	fmt.Printf("converged: %s value %d\n", final, value)
	for agentID, views := range laptop.All() {
		fmt.Printf("  %-6s %d\n", agentID, views)
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
