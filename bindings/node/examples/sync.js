'use strict';
// Two agents keep replicas of one counter and converge by exchanging JSON: first each one's
// full state, then only deltas (the slots that rose since the last send). A third message
// arrives cut short on the wire, and is refused without harm. Last, anti-entropy: a replica
// that was away sends its state, and the other answers with only the slots it lacks.
//
//   make demo-node      (or, with the library built: node bindings/node/examples/sync.js)

const { Counter, GCounterError, Status } = require('..');

function show(label, counter) {
  console.log(`${label.padEnd(12)} value ${String(counter.value()).padEnd(3)} ${counter.toJson()}`);
}

// close() frees the native counters at once (TypeScript's `using` does it too: examples/typed.ts).
const alice = new Counter();
const bob = new Counter();
try {
  alice.increment('agent-a', 3);
  bob.increment('agent-b', 4);
  console.log(`alice vs bob: ${alice.compare(bob)}`); // concurrent: each has what the other lacks

  // Full state both ways. Then both hold the same state, so each starts a fresh delta record.
  const aliceState = alice.toJson();
  const bobState = bob.toJson();
  bob.joinJson(aliceState);
  alice.joinJson(bobState);
  alice.takeDelta().close();
  bob.takeDelta().close();
  show('alice', alice);
  show('bob', bob);

  // From now on only deltas travel.
  bob.increment('agent-b');
  const delta = bob.takeDelta(); // {"agent-b":5}: only the slot that rose
  const wire = delta.toJson();
  delta.close();
  console.log(`delta bob -> alice: ${wire}`);

  try {
    alice.joinJson(wire.slice(0, -3)); // cut short in transit
  } catch (error) {
    if (!(error instanceof GCounterError) || error.status !== Status.INVALID_JSON) throw error;
    console.log(`refused a damaged message: ${error.message}`);
  }
  alice.joinJson(wire);

  if (alice.compare(bob) !== 'equal') throw new Error('the replicas did not converge');
  console.log(`converged: ${alice.toJson()} value ${alice.value()}`);

  // Both hear from a hundred sensors; then bob is away while three of them report to alice.
  for (let i = 1; i <= 100; i += 1) alice.increment(`sensor-${String(i).padStart(3, '0')}`);
  bob.joinJson(alice.toJson());
  for (const sensor of ['sensor-007', 'sensor-042', 'sensor-099']) alice.increment(sensor);

  // Back, bob sends his state; alice reads it and replies with what bob lacks, nothing more.
  const theirs = Counter.fromJson(bob.toJson());
  const reply = alice.deltaFor(theirs);
  theirs.close();
  console.log(`anti-entropy alice -> bob: ${reply.agentCount()} of ${alice.agentCount()} slots ${reply.toJson()}`);
  for (const [agentId, count] of reply) console.log(`  ${agentId} ${count}`);
  bob.joinJson(reply.toJson());
  reply.close();
  if (!alice.equivalent(bob)) throw new Error('anti-entropy did not converge');
  console.log(`after anti-entropy: alice vs bob: ${alice.compare(bob)}`);
} finally {
  alice.close();
  bob.close();
}
