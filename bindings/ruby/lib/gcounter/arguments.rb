# frozen_string_literal: true

module GCounter
  # Checks and converts Ruby arguments into what the C functions take, so that a bad
  # argument raises a Ruby error before any native call.
  module Arguments
    module_function

    # The bytes of an agent id (see #utf8).
    def agent_id(value)
      utf8(value, "agent_id", InvalidUTF8Error)
    end

    # The bytes of a wire-format document (see #utf8).
    def json(value)
      utf8(value, "json", InvalidJSONError)
    end

    # +value+ as bytes for the library, which validates UTF-8 itself: UTF-8, binary and
    # US-ASCII strings pass as they are; strings in other encodings are converted to
    # UTF-8, and raise +error_class+ when they cannot be.
    def utf8(value, name, error_class)
      string = String.try_convert(value)
      raise TypeError, "#{name} must be a String, got #{value.class}" unless string

      case string.encoding
      when Encoding::UTF_8, Encoding::BINARY, Encoding::US_ASCII then string
      else string.encode(Encoding::UTF_8)
      end
    rescue EncodingError => e
      raise error_class, "#{name} in #{string.encoding} cannot be converted to UTF-8: #{e.message}"
    end

    # An increment amount as uint64_t takes it. Checked here because FFI would wrap a
    # negative Integer around to a huge unsigned one.
    def amount(by)
      raise TypeError, "by must be an Integer, got #{by.class}" unless by.is_a?(Integer)
      raise ArgumentError, "by must be at least 1, got #{by}" if by < 1
      raise RangeError, "by must be at most 2**64 - 1, got #{by}" if by > UINT64_MAX

      by
    end
  end
  private_constant :Arguments
end
