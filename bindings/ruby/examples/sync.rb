# frozen_string_literal: true

# Two agents keep replicas of one counter and converge by exchanging JSON:
# first each one's full state, then only deltas (the slots that rose since the last send).
# Last, anti-entropy: a replica that was away sends its state, and the other answers with
# only the slots it lacks (delta_for).
#
#   ruby bindings/ruby/examples/sync.rb      (or: make demo-ruby)

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "gcounter"

# One agent's replica and the JSON it has not sent yet.
class Replica
  attr_reader :name, :counter

  def initialize(name)
    @name = name
    @counter = GCounter::Counter.new
  end

  def record(events)
    @counter.increment(name, events)
  end

  # The full state, for a peer that has never heard from us.
  def full_state
    @counter.take_delta # everything in it goes out now, so start a fresh record
    @counter.to_json
  end

  # Only the slots that rose since the last send: our own increments and what we learned
  # from peers since then (so a third replica could get it from us too).
  def delta
    @counter.take_delta.to_json
  end

  def receive(json)
    @counter.join_json(json)
  end

  # Anti-entropy: the reply to a peer whose state we have just read, with only what it lacks.
  def reply_to(peer_state)
    theirs = GCounter::Counter.from_json(peer_state)
    @counter.delta_for(theirs)
  ensure
    theirs&.close
  end

  def to_s
    format("%-6s value=%-3d %s", name, @counter.value, @counter.to_json)
  end
end

alice = Replica.new("alice")
bob = Replica.new("bob")

alice.record(3)
bob.record(5)
puts "before sync:", "  #{alice}", "  #{bob}"

a_state = alice.full_state
b_state = bob.full_state
puts "full state  alice -> bob: #{a_state}", "full state  bob -> alice: #{b_state}"
bob.receive(a_state)
alice.receive(b_state)
puts "after full-state sync:", "  #{alice}", "  #{bob}"

alice.record(2)
bob.record(1)
bob.record(4)
a_delta = alice.delta
b_delta = bob.delta
puts "delta alice -> bob: #{a_delta}", "delta bob -> alice: #{b_delta}"
bob.receive(a_delta)
alice.receive(b_delta)
alice.receive(b_delta) # a delta delivered twice changes nothing
puts "after delta sync:", "  #{alice}", "  #{bob}"

order = alice.counter.compare(bob.counter)
puts "alice compared with bob: #{order}"
raise "replicas diverged" unless order == :equal && alice.counter.value == 15

# Both hear from a hundred sensors; then bob is away while three of them report to alice.
sensors = (1..100).map { |i| format("sensor-%03d", i) }
sensors.each { |sensor| alice.receive(%({"#{sensor}":1})) }
bob.receive(alice.full_state)
%w[sensor-007 sensor-042 sensor-099].each { |sensor| alice.receive(%({"#{sensor}":2})) }

# Back, bob sends his state; alice reads it and replies with what bob lacks, nothing more.
reply = alice.reply_to(bob.counter.to_json)
puts "anti-entropy alice -> bob: #{reply.agent_count} of #{alice.counter.agent_count} slots #{reply.to_json}"
reply.each { |agent, count| puts "  #{agent} #{count}" }
bob.receive(reply.to_json)
reply.close
puts "after anti-entropy: alice compared with bob: #{alice.counter.compare(bob.counter)}"
raise "anti-entropy did not converge" unless alice.counter.equivalent?(bob.counter)

[alice, bob].each { |replica| replica.counter.close }
