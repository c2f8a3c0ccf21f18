// The package from TypeScript: `make test-node` checks this file with `tsc --strict --noEmit`.
import { Counter, GCounterError, Status, U64_MAX, libraryVersion } from 'gcounter';
import type { AmountRangeError, Json, Order, Slot, StatusName } from 'gcounter';

function describeOrder(order: Order): string {
  switch (order) {
    case 'equal':
      return 'in sync';
    case 'less':
      return 'behind: nothing to send';
    case 'greater':
      return 'ahead: send a delta';
    case 'concurrent':
      return 'both sides have news';
  }
}

function sync(wire: Json): bigint {
  using mine = new Counter();
  using theirs = Counter.fromJson(wire);
  mine.increment('worker-1').increment('worker-1', 2).increment('worker-1', 10n);
  console.log(describeOrder(mine.compare(theirs)));
  mine.join(theirs).joinJson('{"worker-3": 1}');
  const total: bigint = mine.value();
  const mineOnly: bigint = mine.valueFor('worker-1');
  const agents: number = mine.agentCount();
  const same: boolean = mine.equivalent(theirs);
  const text: string = mine.toJson();
  const nested: string = JSON.stringify({ state: mine });
  using delta: Counter = mine.takeDelta();
  using copy: Counter = delta.clone();
  console.log(total, mineOnly, agents, same, text, nested, copy.toJson());
  using reply: Counter = mine.deltaFor(theirs); // anti-entropy: only what theirs lacks
  const sent: Slot[] = [...reply];
  for (const [agentId, count] of reply.entries()) console.log(`${agentId} ${count + 0n}`);
  const slots: Map<string, bigint> = mine.toMap();
  console.log(sent.length, slots.get('worker-1'));
  return total;
}

function exactTotal(): bigint {
  using big = new Counter().increment('a', U64_MAX).increment('b', U64_MAX);
  return big.value(); // exact above 2^64 - 1
}

// An amount the library refuses is a RangeError with its status and words; one that is no
// exact integer, a RangeError of JS's own.
function refusedAmount(by: number | bigint): string {
  using counter = new Counter();
  try {
    counter.increment('a', by);
    return 'accepted';
  } catch (error) {
    if (error instanceof RangeError && 'status' in error) {
      const refused = error as AmountRangeError;
      return `${refused.status.name}: ${refused.message}`;
    }
    if (error instanceof RangeError) return `RangeError: ${error.message}`;
    throw error;
  }
}

console.log(exactTotal());
console.log(refusedAmount(0));
console.log(refusedAmount(2.5));
try {
  sync(new TextEncoder().encode('{"worker-2": 4}'));
  new Counter().increment('worker-1', U64_MAX).increment('worker-1');
} catch (error) {
  if (error instanceof GCounterError && error.status === Status.OVERFLOW) {
    const name: StatusName = error.status.name;
    const code: number = error.status.code;
    console.log(`${name} (${code}): ${error.message}`);
  } else {
    throw error;
  }
}

const closed = new Counter();
closed.close();
closed.close();
const isClosed: boolean = closed.closed;
console.log(libraryVersion, isClosed);
