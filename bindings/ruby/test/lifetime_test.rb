# frozen_string_literal: true

require_relative "test_helper"

# Who frees each native counter, and when: close, the garbage collector, copies, freezing.
class LifetimeTest < Minitest::Test
  include GCounterTestHelpers

  def test_close_is_idempotent_and_frees_exactly_once
    c = counter('{"a":1}')
    address = NativeLedger::OWNED.last
    frees_before = NativeLedger::FREED.count(address)
    assert_nil c.close
    assert c.closed?
    assert_nil c.close
    assert c.closed?
    assert_equal frees_before + 1, NativeLedger::FREED.count(address)
  end

  # The message names the closed one of two counters whichever of them takes its lock first
  # (the locks go in object-id order), and the receiver when both are closed.
  def test_a_closed_counter_among_two_is_named_in_either_lock_order
    [%w[closed open], %w[open closed]].each do |order|
      made = order.to_h { |state| [state, counter('{"a":1}')] }
      made["closed"].close
      closed, open = made.values_at("closed", "open")
      assert_equal "the other counter is closed", assert_raises(GCounter::ClosedError) { open.join(closed) }.message
      assert_equal "counter is closed", assert_raises(GCounter::ClosedError) { closed.join(open) }.message
      open.close
      assert_equal "counter is closed", assert_raises(GCounter::ClosedError) { open.join(closed) }.message
      assert_equal "counter is closed", assert_raises(GCounter::ClosedError) { closed.join(open) }.message
    end
  end

  def test_every_method_of_a_closed_counter_raises_closed_error
    c = counter('{"a":1}')
    other = counter('{"b":1}')
    c.close
    calls = {
      increment: -> { c.increment("a") }, join: -> { c.join(other) }, join_json: -> { c.join_json("{}") },
      value: -> { c.value }, value_for: -> { c.value_for("a") }, agent_count: -> { c.agent_count },
      equivalent?: -> { c.equivalent?(other) }, compare: -> { c.compare(other) }, to_json: -> { c.to_json },
      to_h: -> { c.to_h }, take_delta: -> { c.take_delta }, dup: -> { c.dup }, clone: -> { c.clone },
      each: -> { c.each { flunk "yielded a slot of a closed counter" } }, "each.to_a": -> { c.each.to_a },
      "each.size": -> { c.each.size }, to_a: -> { c.to_a }, map: -> { c.map(&:first) },
      delta_for: -> { c.delta_for(other) }, "other.delta_for": -> { other.delta_for(c) },
      "other.join": -> { other.join(c) }, "other.equivalent?": -> { other.equivalent?(c) },
      "other.compare": -> { other.compare(c) }, "Marshal.dump": -> { Marshal.dump(c) }
    }
    calls.each do |name, call|
      error = assert_raises(GCounter::ClosedError, name.to_s) { call.call }
      # An open counter given a closed one says which of the two is closed.
      expected = name.start_with?("other.") ? "the other counter is closed" : "counter is closed"
      assert_equal expected, error.message, name
      assert_nil error.status
    end
    assert_equal "#<GCounter::Counter (closed)>", c.inspect
    assert_equal '{"b":1}', other.to_json, "the open counter is unchanged"
  end

  def test_dup_clone_and_marshal_own_separate_handles
    original = counter('{"a":1}')
    copies = [original.dup, original.clone, Marshal.load(Marshal.dump(original))]
    handles = NativeLedger::OWNED.last(4)
    assert_equal 4, handles.uniq.size
    copies.each(&:close)
    assert_equal 2, original.increment("a").value
    original.close
    assert_empty NativeLedger.double_frees
  end

  def test_clone_keeps_frozen_state_and_dup_does_not
    frozen = counter('{"a":1}').freeze
    assert frozen.clone.frozen?
    refute frozen.dup.frozen?
    assert_equal 2, frozen.dup.increment("a").value_for("a")
    assert_equal 1, frozen.value_for("a")
  end

  def test_a_frozen_counter_can_be_read_and_closed_but_not_changed
    c = counter('{"a":1}')
    c.increment("b")
    c.freeze
    assert_raises(FrozenError) { c.increment("a") }
    assert_raises(FrozenError) { c.join(counter('{"z":1}')) }
    assert_raises(FrozenError) { c.join_json('{"z":1}') }
    assert_raises(FrozenError) { c.take_delta }
    assert_equal '{"a":1,"b":1}', c.to_json
    assert_equal :greater, c.compare(counter('{"a":1}'))
    c.close
    assert c.closed?
  end

  def test_dropped_counters_are_freed_by_the_garbage_collector
    created = 2_000
    collect_until { NativeLedger::FREED.size } # earlier tests' garbage first
    frees_before = NativeLedger::FREED.size
    owned_before = NativeLedger::OWNED.size
    drop_counters(created)
    batch = NativeLedger::OWNED[owned_before..].tally
    assert_equal created * 3, batch.sum { |_, n| n }, "each round owns a counter, its delta and a delta_for"

    freed = collect_until do
      NativeLedger::FREED[frees_before..].tally.sum { |address, n| [n, batch.fetch(address, 0)].min }
    end
    # MRI scans the machine stack conservatively, so a few dead counters may still look reachable.
    assert_operator freed, :>=, created * 3 - 30, "freed #{freed} of #{created * 3}"
    assert_empty NativeLedger.double_frees
  end

  def test_a_closed_counter_is_not_freed_again_by_the_garbage_collector
    frees_before = NativeLedger::FREED.size
    owned_before = NativeLedger::OWNED.size
    500.times { counter('{"a":1}').close }
    collect_until { NativeLedger::FREED.size }
    assert_equal 500, NativeLedger::OWNED.size - owned_before
    assert_operator NativeLedger::FREED.size - frees_before, :>=, 500
    assert_empty NativeLedger.double_frees
  end

  private

  # Makes counters (and two deltas each) and keeps no reference to them.
  def drop_counters(count)
    count.times do |i|
      counter = GCounter::Counter.new.increment("agent-#{i}", i + 1)
      counter.take_delta.delta_for(counter)
    end
    nil
  end

  # Runs full collections until +measure+ stops growing (finalizers run after a collection),
  # at most ten times; returns the last measure.
  def collect_until
    last = -1
    10.times do
      GC.start(full_mark: true, immediate_sweep: true)
      Thread.pass
      current = yield
      break if current == last

      last = current
    end
    yield
  end
end
