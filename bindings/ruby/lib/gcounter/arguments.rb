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
      raise error_class, "#{name} in #{string.encoding} cannot be converted to UTF-8: #{conversion_failure(e)}"
    end

    # Why Ruby could not convert a string to UTF-8, naming the bytes once: Ruby's own messages
    # repeat both encodings, which the caller's message already names.
    def conversion_failure(error)
      case error
      when Encoding::InvalidByteSequenceError
        bytes = error.error_bytes.dump
        error.incomplete_input? ? "it ends inside a character (#{bytes})" : "#{bytes} is an invalid byte sequence"
      when Encoding::UndefinedConversionError
        "#{error.error_char.b.dump} has no UTF-8 equivalent"
      when Encoding::ConverterNotFoundError then "Ruby has no converter for it"
      else error.message
      end
    end

    # An increment amount as uint64_t takes it. The library decides which amounts are
    # valid (0 is not: InvalidArgumentError); only an Integer that uint64_t cannot hold is
    # refused here, since FFI would not pass it as it is, with the status the library gives
    # the nearest case: a negative amount as 0, one above 2**64 - 1 as a slot overflow.
    def amount(by)
      raise TypeError, "increment 'by' must be an Integer, got #{by.class}" unless by.is_a?(Integer)
      raise InvalidArgumentError, "increment 'by' must be at least 1, got #{by}" if by.negative?
      raise OverflowError, "increment 'by' must be at most 2**64-1, got #{by}" if by > UINT64_MAX

      by
    end
  end
  private_constant :Arguments
end
