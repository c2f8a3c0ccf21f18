# frozen_string_literal: true

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))

require "minitest/autorun"
require "gcounter"

# Records every native handle the binding takes ownership of and every gcounter_free,
# by address, so tests can check that counters are freed, and freed only once.
module NativeLedger
  OWNED = []
  FREED = []

  GCounter::Native::Handle.prepend(Module.new do
    def initialize(pointer)
      OWNED << pointer.address
      super
    end
  end)

  GCounter::Native.singleton_class.prepend(Module.new do
    def gcounter_free(pointer)
      FREED << pointer.address
      super
    end
  end)

  # Handles freed more often than they were owned (an address can be reused after a free).
  def self.double_frees
    owned = OWNED.tally
    FREED.tally.select { |address, frees| frees > owned.fetch(address, 0) }
  end
end

module GCounterTestHelpers
  MAX = GCounter::UINT64_MAX

  def counter(json = "{}")
    GCounter::Counter.from_json(json)
  end
end
