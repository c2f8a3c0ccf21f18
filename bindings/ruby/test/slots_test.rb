# frozen_string_literal: true

require_relative "test_helper"

# The slots as Ruby iteration: #each, Enumerable, and what a block may do during a walk.
class SlotsTest < Minitest::Test
  include GCounterTestHelpers

  # In canonical order: sorted by UTF-8 bytes, which is how Ruby compares UTF-8 Strings.
  IDS = ["", "\0", "a", "a\0", "a\0b", "ab", "é", "e\u0301", "日本", "\uFFFF", "😀", "z" * 300].freeze

  def test_each_yields_agent_and_count_in_canonical_order
    c = GCounter::Counter.new
    IDS.reverse.each_with_index { |id, i| c.increment(id, i + 1) }
    pairs = []
    c.each { |agent, count| pairs << [agent, count] }
    assert_equal IDS.sort, pairs.map(&:first)
    assert_equal "\uFFFF", IDS.sort[-2], "U+FFFF (EF BF BF) sorts before U+1F600 (F0 9F 98 80)"
    pairs.each { |agent, count| assert_equal c.value_for(agent), count, agent.inspect }
  end

  def test_the_order_and_counts_are_those_of_to_json
    c = GCounter::Counter.new
    IDS.each_with_index { |id, i| c.increment(id, i + 1) }
    c.increment("big", MAX)
    assert_equal JSON.parse(c.to_json).to_a, c.to_a
    assert_equal c.to_h.to_a, c.each.to_a
  end

  def test_ids_are_new_utf8_strings_with_nul_bytes_kept
    c = GCounter::Counter.new.increment("a\0b", 2).increment("é\0")
    ids = c.map(&:first)
    assert_equal ["a\0b", "é\0"], ids
    ids.each do |id|
      assert_equal Encoding::UTF_8, id.encoding
      assert id.valid_encoding?
      refute id.frozen?
    end
    assert_equal 3, ids[0].bytesize
    ids[0] << "changed"
    assert_equal 2, c.value_for("a\0b"), "the id belongs to the caller, not the counter"
  end

  def test_counts_are_integers_up_to_uint64_max
    c = counter(%({"a":#{MAX},"b":1}))
    assert_equal [["a", MAX], ["b", 1]], c.to_a
    assert_equal MAX + 1, c.sum { |_agent, count| count }
  end

  def test_an_empty_counter_yields_nothing_and_zero_counts_are_not_slots
    assert_equal [], GCounter::Counter.new.to_a
    assert_equal [["b", 2]], counter('{"a":0,"b":2}').to_a
  end

  def test_each_with_a_block_returns_the_counter
    c = counter('{"a":1}')
    assert_same c, c.each { |_agent, _count| nil }
  end

  def test_each_without_a_block_returns_an_enumerator_that_knows_its_size
    c = counter('{"a":1,"b":2,"c":3}')
    enum = c.each
    assert_instance_of Enumerator, enum
    assert_equal 3, enum.size
    assert_equal ["a", 1], enum.next
    assert_equal ["b", 2], enum.next
    assert_equal [["a", 0], ["b", 1], ["c", 2]], c.each.with_index.map { |(agent, _), i| [agent, i] }
  end

  def test_enumerable_methods_work_on_the_slots
    c = counter('{"alice":3,"bob":10,"carol":1}')
    assert_kind_of Enumerable, c
    assert_equal %w[alice bob carol], c.map(&:first)
    assert_equal [["bob", 10]], c.select { |_agent, count| count > 5 }
    assert_equal ["bob", 10], c.max_by(&:last)
    assert_equal ["alice", 3], c.first
    assert_equal [["alice", 3], ["bob", 10]], c.first(2)
    assert_equal 3, c.count
    assert c.include?(["carol", 1])
    refute c.include?(["carol", 2])
    assert_equal({ "alice" => 3, "bob" => 10, "carol" => 1 }, c.each.to_h)
    assert_equal [["carol", 1], ["alice", 3], ["bob", 10]], c.sort_by(&:last)
  end

  def test_ten_thousand_slots_come_out_in_order
    c = GCounter::Counter.new
    ids = Array.new(10_000) { |i| "agent-#{i}" }
    ids.shuffle(random: Random.new(7)).each_with_index { |id, i| c.increment(id, i + 1) }
    walked = c.map(&:first)
    assert_equal ids.sort, walked
    assert_equal c.value, c.sum(&:last)
  end

  # The walk copies the slots under the lock, then yields without it: a block that calls back
  # into the counter neither deadlocks nor sees the walk change under it.
  def test_a_block_may_read_and_change_the_counter_it_walks
    c = counter('{"a":1,"b":2,"c":3}')
    seen = []
    c.each do |agent, count|
      seen << [agent, count, c.value_for(agent), c.agent_count]
      c.increment(agent, 10).increment("z-#{agent}")
      c.each { |_inner_agent, _inner_count| nil } # a walk inside a walk
    end
    assert_equal [["a", 1, 1, 3], ["b", 2, 2, 4], ["c", 3, 3, 5]], seen
    assert_equal '{"a":11,"b":12,"c":13,"z-a":1,"z-b":1,"z-c":1}', c.to_json, "the next walk sees the changes"
  end

  def test_a_block_may_close_the_counter_and_the_walk_ends_with_its_snapshot
    c = counter('{"a":1,"b":2}')
    seen = []
    c.each do |agent, count|
      seen << [agent, count]
      c.close
    end
    assert_equal [["a", 1], ["b", 2]], seen
    assert c.closed?
  end

  def test_break_and_exceptions_leave_the_counter_unlocked
    c = counter('{"a":1,"b":2}')
    assert_equal ["a", 1], c.each { |pair| break pair }
    assert_raises(RuntimeError) { c.each { raise "stop" } }
    assert_equal 4, c.increment("a", 1).value, "the lock is free again"
  end

  def test_an_enumerator_walks_the_counter_as_it_is_when_the_walk_starts
    c = counter('{"a":1}')
    enum = c.each
    c.increment("b")
    assert_equal [["a", 1], ["b", 1]], enum.to_a, "each walk takes its snapshot when it starts"
  end
end
