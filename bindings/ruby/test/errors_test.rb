# frozen_string_literal: true

require_relative "test_helper"

# Every error the binding raises: its class, status, message, and that it changed nothing.
class ErrorsTest < Minitest::Test
  include GCounterTestHelpers

  STATUS_CLASSES = {
    1 => GCounter::NullPointerError,
    2 => GCounter::InvalidArgumentError,
    3 => GCounter::InvalidUTF8Error,
    4 => GCounter::OverflowError,
    5 => GCounter::InvalidJSONError,
    6 => GCounter::PanicError
  }.freeze

  def test_each_status_has_its_own_error_class_under_gcounter_error
    STATUS_CLASSES.each do |status, klass|
      assert_operator klass, :<, GCounter::Error
      error = GCounter::Error.for_status(status, "why")
      assert_instance_of klass, error
      assert_equal status, error.status
      assert_equal "why", error.message
    end
    assert_operator GCounter::ClosedError, :<, GCounter::Error
    assert_operator GCounter::Error, :<, StandardError
  end

  def test_an_unknown_status_is_still_an_error_with_its_code
    error = GCounter::Error.for_status(99, "something new")
    assert_instance_of GCounter::Error, error
    assert_equal 99, error.status
  end

  def test_increment_by_zero_is_the_librarys_invalid_argument
    c = counter('{"a":1}')
    error = assert_raises(GCounter::InvalidArgumentError) { c.increment("a", 0) }
    assert_equal 2, error.status
    assert_equal "increment 'by' must be at least 1, got 0", error.message # the library's words
    assert_equal '{"a":1}', c.to_json
  end

  # uint64_t cannot carry a negative amount, so the binding refuses it as the library does 0.
  def test_a_negative_increment_is_refused_as_zero_is
    c = counter('{"a":1}')
    [-1, -(2**70)].each do |by|
      error = assert_raises(GCounter::InvalidArgumentError) { c.increment("a", by) }
      assert_equal 2, error.status
      assert_equal "increment 'by' must be at least 1, got #{by}", error.message
    end
    assert_equal '{"a":1}', c.to_json
  end

  def test_increment_above_uint64_max_overflows_any_slot
    c = GCounter::Counter.new
    error = assert_raises(GCounter::OverflowError) { c.increment("a", MAX + 1) }
    assert_equal 4, error.status
    assert_equal "increment 'by' must be at most 2**64-1, got #{MAX + 1}", error.message
    assert_equal 0, c.value
  end

  def test_non_integer_amounts_are_type_errors
    c = GCounter::Counter.new
    [1.0, "1", nil, 2r].each do |by|
      error = assert_raises(TypeError) { c.increment("a", by) }
      assert_equal "increment 'by' must be an Integer, got #{by.class}", error.message
    end
    assert_equal 0, c.value
  end

  def test_non_string_agent_ids_are_type_errors
    c = GCounter::Counter.new
    [:alice, 1, nil, ["a"]].each do |agent|
      error = assert_raises(TypeError) { c.increment(agent) }
      assert_equal "agent_id must be a String, got #{agent.class}", error.message
      assert_raises(TypeError) { c.value_for(agent) }
    end
    assert_equal 0, c.agent_count
  end

  def test_non_string_json_is_a_type_error
    assert_raises(TypeError) { GCounter::Counter.from_json(nil) }
    assert_raises(TypeError) { GCounter::Counter.new.join_json({ "a" => 1 }) }
  end

  def test_non_counter_arguments_are_type_errors
    c = GCounter::Counter.new
    %i[join equivalent? compare delta_for].each do |method|
      error = assert_raises(TypeError) { c.public_send(method, '{"a":1}') }
      assert_equal "expected a GCounter::Counter, got String", error.message
    end
  end

  def test_invalid_utf8_agent_id_carries_the_library_message
    c = counter('{"a":1}')
    error = assert_raises(GCounter::InvalidUTF8Error) { c.increment("ab\xFF".b) }
    assert_equal 3, error.status
    assert_match(/not valid UTF-8/, error.message)
    assert_match(/2/, error.message, "the message says where")
    assert_raises(GCounter::InvalidUTF8Error) { c.value_for("\xC3".dup.force_encoding(Encoding::UTF_8)) }
    assert_equal '{"a":1}', c.to_json
  end

  # The message names the encoding and the bytes once each (Ruby's own repeats both encodings).
  CONVERSION_FAILURES = {
    "\x81".dup.force_encoding(Encoding::Windows_1252) =>
      'in Windows-1252 cannot be converted to UTF-8: "\x81" has no UTF-8 equivalent',
    "a\xFFb".dup.force_encoding(Encoding::Shift_JIS) =>
      'in Shift_JIS cannot be converted to UTF-8: "\xFF" is an invalid byte sequence',
    "a\x82".dup.force_encoding(Encoding::Shift_JIS) =>
      'in Shift_JIS cannot be converted to UTF-8: it ends inside a character ("\x82")',
    "a".dup.force_encoding(Encoding::UTF_7) => "in UTF-7 cannot be converted to UTF-8: Ruby has no converter for it"
  }.freeze

  def test_agent_id_that_cannot_become_utf8_is_invalid_utf8
    c = GCounter::Counter.new
    CONVERSION_FAILURES.each do |agent, message|
      error = assert_raises(GCounter::InvalidUTF8Error, agent.inspect) { c.increment(agent) }
      assert_equal 3, error.status
      assert_equal "agent_id #{message}", error.message
      assert_raises(GCounter::InvalidUTF8Error) { c.value_for(agent) }
    end
    assert_equal 0, c.agent_count
  end

  def test_slot_overflow_changes_nothing
    c = GCounter::Counter.new.increment("a", MAX - 1).increment("b")
    error = assert_raises(GCounter::OverflowError) { c.increment("a", 2) }
    assert_equal 4, error.status
    assert_match(/"a"/, error.message, "the message names the agent")
    assert_equal MAX - 1, c.value_for("a")
    assert_equal MAX, c.value
    c.increment("a")
    assert_equal MAX, c.value_for("a")
  end

  INVALID_JSON = [
    "", "   ", "[]", "null", '{"a":-1}', '{"a":1.5}', '{"a":1.0}', '{"a":1e3}', '{"a":"1"}',
    '{"a":null}', '{"a":true}', '{"a":[1]}', '{"a":{}}', %({"a":#{MAX + 1}}), '{"a":1,"a":2}',
    '{"\ud800":1}', '{"a":1} x', '{"a":1', "{\"\xFF\":1}".b, "{'a':1}"
  ].freeze

  def test_from_json_rejects_everything_that_is_not_the_wire_format
    INVALID_JSON.each do |json|
      error = assert_raises(GCounter::InvalidJSONError, json.inspect) { GCounter::Counter.from_json(json) }
      assert_equal 5, error.status
      assert_match(/\S/, error.message)
    end
  end

  def test_join_json_failure_changes_nothing
    c = counter('{"a":1}')
    c.increment("b")
    INVALID_JSON.each do |json|
      assert_raises(GCounter::InvalidJSONError, json.inspect) { c.join_json(json) }
    end
    assert_equal '{"a":1,"b":1}', c.to_json
    assert_equal({ "b" => 1 }, c.take_delta.to_h, "the delta record is unchanged too")
  end

  def test_invalid_json_message_says_why_and_where
    error = assert_raises(GCounter::InvalidJSONError) { GCounter::Counter.from_json('{"a":1,"b":-2}') }
    assert_match(/byte \d+/, error.message)
  end

  def test_json_that_cannot_become_utf8_is_invalid_json
    CONVERSION_FAILURES.each do |json, message|
      error = assert_raises(GCounter::InvalidJSONError, json.inspect) { GCounter::Counter.from_json(json) }
      assert_equal "json #{message}", error.message
      assert_raises(GCounter::InvalidJSONError) { GCounter::Counter.new.join_json(json) }
    end
  end

  def test_json_in_another_encoding_is_converted
    c = GCounter::Counter.from_json('{"é":2}'.encode(Encoding::UTF_16LE))
    assert_equal 2, c.value_for("é")
  end

  # Marshal.load reads the counter's wire format with from_json, so a dump whose document was
  # changed into something else is refused as from_json refuses it.
  def test_a_corrupted_marshal_dump_is_invalid_json
    dumped = Marshal.dump(counter('{"a":12}'))
    ['{"a":-1}', '{"a":1.}', '{"a":"1"', "[123456]", "\xFF" * 8].each do |document|
      assert_equal 8, document.bytesize, "a document of the same length keeps the dump readable"
      corrupted = dumped.b.sub('{"a":12}', document.b)
      error = assert_raises(GCounter::InvalidJSONError, document.inspect) { Marshal.load(corrupted) }
      assert_equal 5, error.status
      assert_match(/\Ainvalid JSON at byte \d+: /, error.message)
    end
  end

  def test_a_success_after_a_failure_raises_nothing
    c = GCounter::Counter.new
    assert_raises(GCounter::InvalidJSONError) { c.join_json("nope") }
    assert_equal 1, c.increment("a").value
    assert_equal "", GCounter::Native.last_error_message
  end
end
