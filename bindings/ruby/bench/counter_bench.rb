# frozen_string_literal: true

# Calls per second through the Ruby binding (make bench-ruby). Each figure is the median of
# five timed batches, after one warm-up batch. The cost is mostly the crossing: argument
# checks, the counter's Mutex, an FFI call and, for out-parameters, a MemoryPointer.
#
#   ruby bindings/ruby/bench/counter_bench.rb [scale]   (scale multiplies the batch sizes)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "gcounter"

SCALE = Float(ARGV.fetch(0, "1"))
AGENTS = 1_000

def median_seconds(calls)
  batches = Array.new(6) do
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    calls.times { |i| yield i }
    Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
  end
  batches.drop(1).sort[2]
end

def report(name, calls, &block)
  calls = [(calls * SCALE).round, 1].max
  seconds = median_seconds(calls, &block)
  printf("%-44s %12.0f calls/s %10.2f us/call\n", name, calls / seconds, seconds * 1e6 / calls)
end

many = GCounter::Counter.new
AGENTS.times { |i| many.increment(format("agent-%04d", i), i + 1) }
many_json = many.to_json
peer = GCounter::Counter.from_json(many_json).increment("agent-0000", 5)
counter = GCounter::Counter.new.increment("alice")

puts "libgcounter #{GCounter.library_version} (#{GCounter.library_path}), ruby #{RUBY_VERSION}, ffi #{FFI::VERSION}"
report("increment (one agent)", 100_000) { counter.increment("alice") }
report("value (1 agent)", 100_000) { counter.value }
report("value (#{AGENTS} agents)", 100_000) { many.value }
report("value_for (#{AGENTS} agents)", 100_000) { many.value_for("agent-0500") }
report("agent_count (#{AGENTS} agents)", 100_000) { many.agent_count }
report("delta_for (#{AGENTS} agents, 1 differs)", 10_000) { peer.delta_for(many).close }
report("compare (#{AGENTS} agents each)", 10_000) { many.compare(peer) }
report("join (#{AGENTS} agents each)", 10_000) { many.join(peer) }
report("to_json (#{AGENTS} agents)", 2_500) { many.to_json }
report("from_json (#{AGENTS} agents)", 1_000) { GCounter::Counter.from_json(many_json).close }
report("join_json (#{AGENTS} agents)", 1_000) { many.join_json(many_json) }
report("to_h (#{AGENTS} agents)", 1_000) { many.to_h }
report("each (#{AGENTS} agents)", 1_000) { many.each { |_agent, _count| nil } }
report("increment + take_delta + to_json", 25_000) { |i| counter.increment("alice", i + 1).take_delta.to_json }
report("new + increment + close", 50_000) { GCounter::Counter.new.increment("a").close }
report("dup + close (#{AGENTS} agents)", 2_500) { many.dup.close }
