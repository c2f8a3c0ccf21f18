# frozen_string_literal: true

require_relative "test_helper"

# What each method of GCounter::Counter does with good input.
class CounterTest < Minitest::Test
  include GCounterTestHelpers

  def test_new_counter_is_empty
    c = GCounter::Counter.new
    assert_equal 0, c.value
    assert_equal 0, c.agent_count
    assert_equal "{}", c.to_json
    assert_equal({}, c.to_h)
    refute c.closed?
  end

  def test_increment_defaults_to_one_and_returns_self_for_chaining
    c = GCounter::Counter.new
    assert_same c, c.increment("alice")
    assert_same c, c.increment("alice", 4).increment("bob", 2)
    assert_equal 5, c.value_for("alice")
    assert_equal 2, c.value_for("bob")
    assert_equal 7, c.value
    assert_equal 2, c.agent_count
  end

  def test_value_is_exact_above_uint64_max
    c = counter(%({"a":#{MAX},"b":#{MAX}}))
    assert_equal 2 * MAX, c.value
    assert_instance_of Integer, c.value
    c.increment("c", MAX)
    assert_equal 3 * MAX, c.value
    assert_equal MAX + 1, counter(%({"a":#{MAX},"b":1})).value, "the carry into the high word"
    assert_equal MAX, counter(%({"a":#{MAX - 1},"b":1})).value, "exactly 2**64 - 1 stays in the low word"
  end

  def test_value_for_an_unknown_agent_is_zero
    assert_equal 0, counter('{"alice":3}').value_for("bob")
  end

  def test_counts_up_to_uint64_max_are_exact
    c = GCounter::Counter.new.increment("big", MAX)
    assert_equal MAX, c.value_for("big")
    assert_equal MAX, c.value
    assert_equal %({"big":#{MAX}}), c.to_json
    assert_equal({ "big" => MAX }, c.to_h)
  end

  def test_agent_ids_are_bytes_with_nul_and_empty_allowed
    c = GCounter::Counter.new.increment("a\0b", 2).increment("a").increment("", 3)
    assert_equal 2, c.value_for("a\0b")
    assert_equal 1, c.value_for("a")
    assert_equal 3, c.value_for("")
    assert_equal 3, c.agent_count
    assert_equal({ "" => 3, "a" => 1, "a\0b" => 2 }, c.to_h)
  end

  def test_agent_ids_in_other_encodings_are_the_same_utf8_id
    c = GCounter::Counter.new
    c.increment("é".encode(Encoding::ISO_8859_1))
    c.increment("é".encode(Encoding::UTF_16LE), 2)
    c.increment("é".b, 3)
    assert_equal 6, c.value_for("é")
    assert_equal 1, c.agent_count
    assert_equal "{\"é\":6}", c.to_json
  end

  def test_objects_convertible_to_string_are_accepted_as_agent_ids
    agent = Object.new
    def agent.to_str = "alice"
    assert_equal 1, GCounter::Counter.new.increment(agent).value_for("alice")
  end

  def test_join_takes_the_per_slot_maximum_and_returns_self
    a = counter('{"alice":5,"bob":1}')
    b = counter('{"bob":4,"carol":2}')
    assert_same a, a.join(b)
    assert_equal({ "alice" => 5, "bob" => 4, "carol" => 2 }, a.to_h)
    assert_equal({ "bob" => 4, "carol" => 2 }, b.to_h, "the other counter is not changed")
  end

  def test_join_is_commutative_associative_and_idempotent
    a = counter('{"x":3,"y":1}')
    b = counter('{"y":5}')
    c = counter('{"x":1,"z":2}')
    assert a.dup.join(b).equivalent?(b.dup.join(a))
    assert a.dup.join(b).join(c).equivalent?(a.dup.join(b.dup.join(c)))
    assert a.dup.join(a).equivalent?(a)
  end

  def test_join_with_itself_changes_nothing
    a = counter('{"x":3}')
    assert_same a, a.join(a)
    assert_equal '{"x":3}', a.to_json
  end

  def test_join_json_accepts_the_seed_format
    c = counter('{"alice":2}')
    assert_same c, c.join_json(%({ "bob": 3,\n "alice": 1, "caf\\u00e9": 4, "zero": 0 }))
    assert_equal({ "alice" => 2, "bob" => 3, "café" => 4 }, c.to_h)
  end

  def test_from_json_round_trips_to_json
    json = %({"":1,"alice":2,"caf\u00e9":3,"q\\"uote":#{MAX}})
    c = GCounter::Counter.from_json(json)
    assert_equal json, c.to_json
    assert_equal 4, c.agent_count
  end

  def test_from_json_ignores_zero_counts
    c = GCounter::Counter.from_json('{"a":0,"b":2}')
    assert_equal 1, c.agent_count
    assert_equal '{"b":2}', c.to_json
  end

  def test_to_json_is_canonical_sorted_and_escaped
    c = GCounter::Counter.new
    c.increment("b").increment("a\"\\\n\u0001").increment("é").increment("A")
    assert_equal %({"A":1,"a\\"\\\\\\n\\u0001":1,"b":1,"é":1}), c.to_json
    assert_equal Encoding::UTF_8, c.to_json.encoding
  end

  def test_to_json_nests_inside_json_generate
    c = counter('{"a":1}')
    assert_equal '{"replica":"r1","state":{"a":1}}', JSON.generate({ "replica" => "r1", "state" => c })
  end

  def test_to_h_returns_a_new_hash_each_time
    c = counter('{"a":1}')
    h = c.to_h
    h["a"] = 100
    assert_equal({ "a" => 1 }, c.to_h)
  end

  def test_equivalent_treats_absent_agents_as_zero
    assert counter('{"a":0}').equivalent?(GCounter::Counter.new)
    assert counter('{"a":1,"b":2}').equivalent?(counter('{"b":2,"a":1}'))
    refute counter('{"a":1}').equivalent?(counter('{"a":2}'))
    refute counter('{"a":1}').equivalent?(counter('{"b":1}'))
  end

  def test_compare_reports_each_lattice_order
    assert_equal :equal, counter('{"a":1}').compare(counter('{"a":1}'))
    assert_equal :equal, GCounter::Counter.new.compare(counter('{"a":0}'))
    assert_equal :less, counter('{"a":1}').compare(counter('{"a":2}'))
    assert_equal :less, GCounter::Counter.new.compare(counter('{"b":1}'))
    assert_equal :greater, counter('{"a":2,"b":1}').compare(counter('{"a":2}'))
    assert_equal :concurrent, counter('{"a":1}').compare(counter('{"b":1}'))
    c = counter('{"a":1}')
    assert_equal :equal, c.compare(c)
  end

  def test_take_delta_holds_the_slots_that_rose_with_their_current_counts
    c = counter('{"a":5,"b":1}')
    assert_equal({}, c.take_delta.to_h, "a parsed counter starts with an empty record")
    c.increment("b", 2).increment("c")
    delta = c.take_delta
    assert_instance_of GCounter::Counter, delta
    assert_equal({ "b" => 3, "c" => 1 }, delta.to_h)
    assert_equal({}, c.take_delta.to_h, "taking a delta empties the record")
    c.join_json('{"a":7,"b":1}')
    assert_equal({ "a" => 7 }, c.take_delta.to_h, "a join that raises a slot records it")
  end

  def test_deltas_joined_in_any_order_give_the_full_state
    replica = counter('{"r":1,"s":1}')
    peer = replica.dup
    replica.take_delta
    deltas = []
    deltas << replica.increment("r", 3).take_delta
    deltas << replica.increment("s").increment("t", 2).take_delta
    deltas << replica.increment("r").take_delta
    deltas.reverse.each { |d| peer.join(d) }
    deltas.each { |d| peer.join_json(d.to_json) }
    assert peer.equivalent?(replica)
    assert_equal replica.to_json, peer.to_json
  end

  def test_delta_for_holds_what_the_peer_lacks_at_this_counters_counts
    mine = counter('{"a":5,"b":1,"c":2}')
    peer = counter('{"a":3,"b":4,"d":7}')
    delta = mine.delta_for(peer)
    assert_instance_of GCounter::Counter, delta
    assert_equal '{"a":5,"c":2}', delta.to_json, "only the slots where mine is above the peer's"
    assert_equal '{"b":4,"d":7}', peer.delta_for(mine).to_json
  end

  def test_delta_for_joined_into_a_copy_of_the_peer_equals_joining_the_whole_counter
    mine = counter(%({"a":5,"b":1,"c":2,"big":#{MAX},"a\\u0000b":3}))
    peer = counter(%({"a":3,"b":4,"d":7,"big":1}))
    whole = peer.dup.join(mine)
    assert peer.dup.join(mine.delta_for(peer)).equivalent?(whole)
    assert_equal whole.to_json, peer.dup.join_json(mine.delta_for(peer).to_json).to_json
  end

  def test_delta_for_is_empty_when_the_peer_is_equal_or_ahead
    mine = counter('{"a":1,"b":2}')
    assert_equal "{}", mine.delta_for(counter('{"b":2,"a":1}')).to_json, "equal"
    assert_equal "{}", mine.delta_for(counter('{"a":1,"b":3,"c":1}')).to_json, "less"
    assert_equal "{}", mine.delta_for(mine).to_json, "itself"
    assert_equal "{}", GCounter::Counter.new.delta_for(mine).to_json
    assert_equal '{"a":1,"b":2}', mine.delta_for(GCounter::Counter.new).to_json
  end

  def test_delta_for_changes_neither_counter_nor_their_delta_records
    mine = counter('{"a":5}').increment("b", 2)
    peer = counter('{"a":1}').increment("c")
    mine.delta_for(peer).close
    assert_equal '{"a":5,"b":2}', mine.to_json
    assert_equal '{"a":1,"c":1}', peer.to_json
    assert_equal({ "b" => 2 }, mine.take_delta.to_h, "mine's record is untouched")
    assert_equal({ "c" => 1 }, peer.take_delta.to_h, "the peer's record is untouched")
  end

  def test_delta_for_returns_a_counter_of_its_own_with_an_empty_record
    mine = counter('{"a":5}')
    peer = GCounter::Counter.new
    delta = mine.delta_for(peer)
    assert_equal({}, delta.take_delta.to_h)
    delta.increment("a")
    assert_equal 5, mine.value_for("a")
    mine.close
    assert_equal 6, delta.value
  end

  def test_delta_for_works_on_frozen_counters
    mine = counter('{"a":2}').freeze
    peer = counter('{"a":1}').freeze
    assert_equal '{"a":2}', mine.delta_for(peer).to_json
  end

  # dup, clone and Marshal each give a counter of its own, with the same slots.
  def copies(counter)
    [counter.dup, counter.clone, Marshal.load(Marshal.dump(counter))]
  end

  def test_dup_clone_and_marshal_give_independent_counters
    original = counter('{"a":1}')
    copies(original).each do |copy|
      refute_same original, copy
      assert_instance_of GCounter::Counter, copy
      assert copy.equivalent?(original)
      copy.increment("a", 10).increment("b")
      assert_equal({ "a" => 1 }, original.to_h)
      assert_equal({ "a" => 11, "b" => 1 }, copy.to_h)
    end
    copies(original).each(&:close)
    assert_equal 1, original.increment("z").value_for("z"), "closing a copy leaves the original open"
    assert_equal 2, original.value
  end

  def test_a_copy_starts_with_an_empty_delta_record
    c = GCounter::Counter.new.increment("a")
    copies(c).each { |copy| assert_equal({}, copy.take_delta.to_h) }
    assert_equal({ "a" => 1 }, c.take_delta.to_h)
  end

  def test_marshal_carries_the_wire_format
    c = GCounter::Counter.new.increment("a\0z", MAX).increment("b").increment("é", 2)
    dumped = Marshal.dump(c)
    assert_includes dumped.b, c.to_json.b, "the dump holds the counter's JSON, nothing of its handle or lock"
    copy = Marshal.load(dumped)
    assert_equal c.to_json, copy.to_json
    assert_equal c.to_a, copy.to_a
    assert_equal MAX + 3, copy.value
    assert_equal "{}", Marshal.load(Marshal.dump(GCounter::Counter.new)).to_json
  end

  def test_marshal_keeps_the_class_and_shared_references
    subclass = Class.new(GCounter::Counter)
    self.class.const_set(:MarshalledCounter, subclass)
    assert_instance_of subclass, Marshal.load(Marshal.dump(subclass.new.increment("a")))
    c = counter('{"a":1}')
    pair = Marshal.load(Marshal.dump([c, c]))
    assert_same pair[0], pair[1]
  ensure
    self.class.send(:remove_const, :MarshalledCounter) if self.class.const_defined?(:MarshalledCounter, false)
  end

  def test_marshal_of_a_frozen_counter_loads_unfrozen_as_dup_does
    frozen = counter('{"a":1}').freeze
    copy = Marshal.load(Marshal.dump(frozen))
    refute copy.frozen?
    assert_equal 2, copy.increment("a").value
    assert Marshal.load(Marshal.dump(frozen), freeze: true).frozen?
  end

  # As the README says: a counter is a mutable native resource, so ==, eql? and hash are
  # identity; equivalent? compares contents.
  def test_equality_is_identity_and_equivalent_compares_contents
    a = counter('{"a":1,"b":2}')
    assert_operator a, :==, a
    assert a.eql?(a)
    ([GCounter::Counter.from_json(a.to_json)] + copies(a)).each do |copy|
      assert copy.equivalent?(a)
      refute copy == a
      refute a == copy
      refute copy.eql?(a)
      refute({ a => true }.key?(copy))
    end
    assert_equal 2, [a, a.dup].uniq.size
    keyed = { a => true }
    a.increment("c")
    assert keyed.key?(a), "a change leaves the counter's hash as it was"
    a.close
    assert_operator a, :==, a, "a closed counter still equals itself, without raising"
  end

  def test_inspect_shows_value_and_agents
    assert_equal "#<GCounter::Counter value=3 agents=2>", counter('{"a":1,"b":2}').inspect
    assert_equal "#<GCounter::Counter value=#{MAX + 1} agents=2>", counter(%({"a":#{MAX},"b":1})).inspect
  end

  def test_versions
    assert_match(/\A\d+\.\d+\.\d+/, GCounter.library_version)
    assert_match(/\A\d+\.\d+\.\d+/, GCounter::VERSION)
  end
end
