package gcounter

import "strconv"

// Order is the place of one counter relative to another in the counters' partial order, as
// returned by [Counter.Compare]. The values equal the C enum gcounter_order.
type Order int

const (
	// OrderEqual: the same count in every slot.
	OrderEqual Order = 0
	// OrderLess: at most the other's count in every slot, below it in at least one; the counter
	// has nothing to send the other.
	OrderLess Order = 1
	// OrderGreater: at least the other's count in every slot, above it in at least one.
	OrderGreater Order = 2
	// OrderConcurrent: each has increments the other lacks.
	OrderConcurrent Order = 3
)

// String returns the order's name, e.g. "less".
func (o Order) String() string {
	switch o {
	case OrderEqual:
		return "equal"
	case OrderLess:
		return "less"
	case OrderGreater:
		return "greater"
	case OrderConcurrent:
		return "concurrent"
	}
	return "Order(" + strconv.Itoa(int(o)) + ")"
}
