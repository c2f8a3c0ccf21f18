# frozen_string_literal: true

# Ruby binding of libgcounter, a grow-only counter (G-Counter CRDT) written in Rust.
#
#   require "gcounter"
#
#   a = GCounter::Counter.new.increment("alice", 2)
#   b = GCounter::Counter.from_json('{"bob":3}')
#   a.join(b).value # => 5
#
# See GCounter::Counter for the API and README.md for library discovery and lifetime rules.
module GCounter
end

require_relative "gcounter/version"
require_relative "gcounter/errors"
require_relative "gcounter/native"
require_relative "gcounter/arguments"
require_relative "gcounter/counter"

module GCounter
  # The version string of the loaded libgcounter, e.g. "0.2.0".
  def self.library_version
    Native.gcounter_version
  end

  # The path (or loader name) of the libgcounter that was loaded.
  def self.library_path
    Native.library_path
  end
end
