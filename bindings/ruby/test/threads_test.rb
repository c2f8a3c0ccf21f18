# frozen_string_literal: true

require_relative "test_helper"

# Counters shared between threads: exact results, no deadlock, each thread's own error message.
class ThreadsTest < Minitest::Test
  include GCounterTestHelpers

  THREADS = 16

  def test_sixteen_threads_incrementing_one_counter_lose_nothing
    c = GCounter::Counter.new
    rounds = 2_000
    THREADS.times.map do |t|
      Thread.new do
        rounds.times { |i| c.increment("agent-#{t % 4}", (i % 3) + 1) }
      end
    end.each(&:join)
    per_thread = (0...rounds).sum { |i| (i % 3) + 1 }
    assert_equal THREADS * per_thread, c.value
    4.times { |a| assert_equal 4 * per_thread, c.value_for("agent-#{a}") }
  end

  def test_joins_in_both_directions_at_once_do_not_deadlock
    a = counter('{"a":1}')
    b = counter('{"b":1}')
    THREADS.times.map do |t|
      Thread.new do
        500.times do |i|
          t.even? ? a.join(b).increment("a") : b.join(a).increment("b")
          a.compare(b) if (i % 10).zero?
        end
      end
    end.each(&:join)
    a.join(b)
    b.join(a)
    assert_equal :equal, a.compare(b)
    assert_equal 1 + (THREADS / 2) * 500, a.value_for("a")
    assert_equal 1 + (THREADS / 2) * 500, a.value_for("b")
  end

  def test_each_thread_gets_the_message_of_its_own_failure
    shared = GCounter::Counter.new
    THREADS.times { |t| shared.increment("full-#{t}", MAX) }
    failures = THREADS.times.map do |t|
      Thread.new do
        300.times.map { own_failure(shared, t) }
      end
    end.map(&:value)

    failures.each_with_index do |messages, t|
      expected = own_failure(shared, t)
      assert_equal [expected], messages.uniq, "thread #{t}"
    end
    assert_equal THREADS, failures.map(&:first).uniq.size, "each thread's failure reads differently"
  end

  def test_closing_while_other_threads_use_the_counter_never_crashes
    5.times do
      c = GCounter::Counter.new
      busy = Queue.new
      users = 4.times.map do
        Thread.new do
          2_000.times.map do |i|
            busy << true if i == 50
            c.increment("a")
            c.to_json
            :ok
          rescue GCounter::ClosedError
            :closed
          end
        end
      end
      4.times { busy.pop }
      c.close
      users.map(&:value).each do |outcomes|
        assert_operator outcomes.count(:ok), :>=, 50
        refute_includes outcomes.drop_while { |outcome| outcome == :ok }, :ok, "once closed, every call raises"
      end
      assert c.closed?
    end
  end

  # A join sets both slots at once under the lock, and a walk copies the slots under it: so
  # every walk sees "a" and "b" equal, never one join half applied.
  def test_walks_on_one_thread_never_see_a_join_on_another_half_done
    c = counter('{"a":1,"b":1}')
    joiners = 4.times.map do |t|
      Thread.new do
        (2..300).each { |n| c.join_json(%({"a":#{n * 4 + t},"b":#{n * 4 + t}})) }
      end
    end
    walks = 0
    torn = []
    while joiners.any?(&:alive?) || walks < 50
      slots = c.to_a
      torn << slots unless slots.size == 2 && slots[0][1] == slots[1][1]
      walks += 1
    end
    joiners.each(&:join)
    assert_empty torn
    assert_equal [["a", 1203], ["b", 1203]], c.to_a
  end

  def test_counters_and_their_copies_on_many_threads
    base = counter('{"seed":1}')
    copies = THREADS.times.map do |t|
      Thread.new { base.dup.increment("t#{t}", t + 1) }
    end.map(&:value)
    merged = GCounter::Counter.new
    copies.each { |copy| merged.join(copy) }
    assert_equal 1 + (1..THREADS).sum, merged.value
    assert_equal THREADS + 1, merged.agent_count
    assert_equal '{"seed":1}', base.to_json
  end

  private

  # Fails in a way that depends on +t+: a different error kind and a different detail.
  def own_failure(shared, t)
    case t % 3
    when 0 then GCounter::Counter.from_json("{#{' ' * t}x")
    when 1 then shared.increment("#{'a' * t}\xFF".b)
    else shared.increment("full-#{t}", t)
    end
    flunk "thread #{t}: no error"
  rescue GCounter::Error => e
    "#{e.class}: #{e.message}"
  end
end
