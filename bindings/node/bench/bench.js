'use strict';
// The Node binding beside MapGCounter, a G-Counter in plain JavaScript over a Map of numbers
// (what a service would write without the library), doing the same work on the same data.
// Prints the median time of each operation over several runs, and the ratio.
//
//   make bench-node     (or: node bindings/node/bench/bench.js [--runs N])

const { Counter } = require('..');

/** A plain-JS G-Counter: counts as numbers, exact only up to 2^53 - 1. */
class MapGCounter {
  constructor(slots = new Map()) {
    this.slots = slots;
  }

  increment(agentId, by = 1) {
    if (!Number.isSafeInteger(by) || by < 1) throw new RangeError(`by must be a positive integer, got ${by}`);
    this.slots.set(agentId, (this.slots.get(agentId) ?? 0) + by);
    return this;
  }

  join(other) {
    for (const [agentId, count] of other.slots) {
      if (count > (this.slots.get(agentId) ?? 0)) this.slots.set(agentId, count);
    }
    return this;
  }

  value() {
    let total = 0;
    for (const count of this.slots.values()) total += count;
    return total;
  }

  /** Sorted by id (UTF-16 order, the same as UTF-8 order for these ASCII ids), no whitespace. */
  toJson() {
    const agentIds = [...this.slots.keys()].filter((id) => this.slots.get(id) > 0).sort();
    return `{${agentIds.map((id) => `${JSON.stringify(id)}:${this.slots.get(id)}`).join(',')}}`;
  }

  static fromJson(json) {
    const slots = new Map();
    for (const [agentId, count] of Object.entries(JSON.parse(json))) {
      if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`bad count for ${agentId}`);
      if (count > 0) slots.set(agentId, count);
    }
    return new MapGCounter(slots);
  }
}

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const WARMUP = 3;

const agentIds = (n) => Array.from({ length: n }, (_, i) => `agent-${String(i).padStart(8, '0')}`); // 14 bytes

/** A seeded generator (mulberry32), so both counters get the same counts. */
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

/** A wire document with `n` agents, counts from `seed`. */
function document(n, seed) {
  const next = random(seed);
  return `{${agentIds(n).map((id) => `"${id}":${1 + next(1_000_000)}`).join(',')}}`;
}

/**
 * The median time of `measured` in nanoseconds per operation: `prepare` (untimed) makes its
 * input for each run, `measured` does `operations` operations on it, `finish` (untimed) cleans up.
 */
function median({ prepare = () => undefined, measured, finish = () => {}, operations = 1 }) {
  const times = [];
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    const input = prepare();
    const started = process.hrtime.bigint();
    const output = measured(input);
    const elapsed = Number(process.hrtime.bigint() - started) / operations;
    finish(input, output);
    if (run >= WARMUP) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function format(ns) {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${(ns / 1e6).toPrecision(3)} ms`;
}

function ratio(x) {
  return x >= 100 ? `${x.toFixed(0)}x` : `${x.toPrecision(3)}x`;
}

function incrementCase(agents) {
  const ids = agentIds(agents);
  const operations = 100_000;
  const loop = (counter, by) => {
    for (let i = 0; i < operations; i += 1) counter.increment(ids[i % agents], by);
  };
  const counter = Counter.fromJson(document(agents, 1));
  const plain = MapGCounter.fromJson(document(agents, 1));
  const result = {
    name: 'increment, existing agent',
    agents,
    binding: median({ measured: () => loop(counter, 1), operations }),
    bindingBig: median({ measured: () => loop(counter, 1n), operations }),
    plain: median({ measured: () => loop(plain, 1), operations }),
  };
  counter.close();
  return result;
}

function joinCase(agents) {
  const into = document(agents, 1);
  const other = document(agents, 2); // the same agents, other counts: about half the slots rise
  const otherCounter = Counter.fromJson(other);
  const otherPlain = MapGCounter.fromJson(other);
  const base = Counter.fromJson(into);
  const basePlain = MapGCounter.fromJson(into);
  const result = {
    name: 'join, same agents, in place',
    agents,
    binding: median({
      prepare: () => base.clone(),
      measured: (target) => target.join(otherCounter),
      finish: (target) => target.close(),
    }),
    plain: median({
      prepare: () => new MapGCounter(new Map(basePlain.slots)),
      measured: (target) => target.join(otherPlain),
    }),
  };
  for (const counter of [otherCounter, base]) counter.close();
  return result;
}

function toJsonCase(agents) {
  const json = document(agents, 3);
  const counter = Counter.fromJson(json);
  const plain = MapGCounter.fromJson(json);
  if (counter.toJson() !== plain.toJson()) throw new Error('the two counters write different JSON');
  const result = {
    name: 'toJson',
    agents,
    bytes: json.length,
    binding: median({ measured: () => counter.toJson() }),
    plain: median({ measured: () => plain.toJson() }),
  };
  counter.close();
  return result;
}

function fromJsonCase(agents) {
  const json = document(agents, 4);
  return {
    name: 'fromJson',
    agents,
    bytes: json.length,
    binding: median({ measured: () => Counter.fromJson(json), finish: (_, counter) => counter.close() }),
    plain: median({ measured: () => MapGCounter.fromJson(json) }),
  };
}

function valueCase(agents) {
  const json = document(agents, 5);
  const counter = Counter.fromJson(json);
  const plain = MapGCounter.fromJson(json);
  const result = {
    name: 'value',
    agents,
    binding: median({ measured: () => counter.value() }),
    plain: median({ measured: () => plain.value() }),
  };
  counter.close();
  return result;
}

function main() {
  console.log(`gcounter ${require('..').libraryVersion} (koffi) beside MapGCounter; Node ${process.version}; ` +
    `median of ${RUNS} runs after ${WARMUP} warm-up runs`);
  const results = [
    incrementCase(1_000),
    incrementCase(100_000),
    joinCase(100_000),
    toJsonCase(100_000),
    fromJsonCase(100_000),
    valueCase(100_000),
  ];
  const rows = results.map((r) => {
    const rate = r.bytes ? ` (${((r.bytes / r.binding) * 1e3).toFixed(0)} MB/s)` : '';
    const big = r.bindingBig ? `; by 1n: ${format(r.bindingBig)}` : '';
    return [r.name, r.agents.toLocaleString('en-US'), `${format(r.binding)}${rate}${big}`, format(r.plain),
      ratio(r.plain / r.binding)];
  });
  const header = ['operation', 'agents', 'gcounter (Node binding)', 'MapGCounter (plain JS)', 'Map / gcounter'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

main();
