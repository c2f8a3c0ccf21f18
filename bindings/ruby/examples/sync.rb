# frozen_string_literal: true

# Two agents keep replicas of one counter and converge by exchanging JSON:
# first each one's full state, then only deltas (the slots that rose since the last send).
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

[alice, bob].each { |replica| replica.counter.close }
