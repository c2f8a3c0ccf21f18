# frozen_string_literal: true

module GCounter
  # The version of this gem (the library reports its own with GCounter.library_version).
  VERSION = "0.2.0"
end
