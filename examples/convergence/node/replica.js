'use strict';
// A replica of the convergence example in Node.js, over the gcounter binding (koffi).
//
// Usage: node replica.js DIR SEED, then commands on standard input (see ../coordinator.py).

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { Counter, GCounterError, Status } = require('../../../bindings/node');

/** A small seeded generator (mulberry32): integers in [0, n). */
function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Joins every message in the inbox, in name order; returns how many were refused. */
function drain(counter, inbox) {
  let refused = 0;
  for (const name of fs.readdirSync(inbox).sort()) {
    if (name.startsWith('.')) continue;
    const file = path.join(inbox, name);
    const message = fs.readFileSync(file);
    fs.unlinkSync(file);
    try {
      counter.joinJson(message);
    } catch (error) {
      if (!(error instanceof GCounterError) || error.status !== Status.INVALID_JSON) throw error;
      refused += 1; // cut short in transit; the counter is unchanged
    }
  }
  return refused;
}

/** Writes a message atomically: to a hidden name, then renamed. */
function send(outbox, name, payload) {
  const temporary = path.join(outbox, `.${name}`);
  fs.writeFileSync(temporary, payload);
  fs.renameSync(temporary, path.join(outbox, name));
}

async function main(directory, seed) {
  const agentId = fs.readFileSync(path.join(directory, 'agent_id'), 'utf8');
  const inbox = path.join(directory, 'inbox');
  const outbox = path.join(directory, 'outbox');
  const next = random(seed);
  const counter = new Counter();
  let own = 0;
  let refused = 0;
  try {
    for await (const line of readline.createInterface({ input: process.stdin })) {
      const [command, number] = line.split(' ');
      if (command === 'quit') break;
      refused += drain(counter, inbox);
      if (command === 'round') {
        for (let times = next(4); times > 0; times -= 1) {
          const by = 1 + next(9);
          counter.increment(agentId, by);
          own += by;
        }
        let payload;
        if (next(4) === 0) {
          payload = counter.toJson(); // the full state
        } else {
          const delta = counter.takeDelta(); // what rose since the last delta
          payload = delta.toJson();
          delta.close();
        }
        send(outbox, `${number.padStart(4, '0')}.json`, payload);
      } else if (command === 'final') {
        send(outbox, 'final.json', counter.toJson());
      } else if (command === 'report') {
        fs.writeFileSync(path.join(directory, 'state.json'), counter.toJson());
      }
      process.stdout.write(`ok ${own} ${counter.value()} ${refused}\n`);
    }
  } finally {
    counter.close();
    process.stdin.destroy(); // the coordinator keeps its end open; quit means exit now
  }
}

main(process.argv[2], Number(process.argv[3])).catch((error) => {
  console.error(error);
  process.exit(1);
});
