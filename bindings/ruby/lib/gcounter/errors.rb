# frozen_string_literal: true

module GCounter
  # A libgcounter call failed, or a closed counter was used. The call changed nothing.
  #
  # Each status of the C library has its own subclass; #status is its numeric code
  # (the gcounter_status value) and #message the library's own explanation.
  # An argument of the wrong class raises Ruby's TypeError instead; a value of the right
  # class is judged by the library, as in every binding (see GCounter::Counter#increment).
  class Error < StandardError
    # The gcounter_status code, or nil for ClosedError, which the library never returns.
    attr_reader :status

    def initialize(message = nil, status: self.class::STATUS)
      super(message)
      @status = status
    end

    STATUS = nil

    # The error for +status+: its own subclass, or Error itself for a code this
    # version of the binding does not know.
    def self.for_status(status, message)
      klass = STATUS_ERRORS.fetch(status, Error)
      klass.new(message, status: status)
    end
  end

  # GCOUNTER_ERR_NULL_POINTER (1): a required pointer was NULL. The binding never passes one,
  # so this means a bug in the binding.
  class NullPointerError < Error
    STATUS = 1
  end

  # GCOUNTER_ERR_INVALID_ARGUMENT (2): an argument out of its range, e.g. an increment by 0
  # (or less, which uint64_t cannot carry to the library, so the binding refuses it so).
  class InvalidArgumentError < Error
    STATUS = 2
  end

  # GCOUNTER_ERR_INVALID_UTF8 (3): an agent id is not valid UTF-8, or is in an encoding
  # that cannot be converted to UTF-8.
  class InvalidUTF8Error < Error
    STATUS = 3
  end

  # GCOUNTER_ERR_OVERFLOW (4): a slot would exceed 2**64 - 1. (Counter#value is exact at any
  # size, so the sum of the slots never raises it.)
  class OverflowError < Error
    STATUS = 4
  end

  # GCOUNTER_ERR_INVALID_JSON (5): the input is not the wire format; the message says why and where.
  class InvalidJSONError < Error
    STATUS = 5
  end

  # GCOUNTER_ERR_PANIC (6): a bug inside the library, caught at its boundary.
  class PanicError < Error
    STATUS = 6
  end

  # The counter was closed with Counter#close; its native memory is gone.
  class ClosedError < Error
    STATUS = nil
  end

  STATUS_ERRORS = [NullPointerError, InvalidArgumentError, InvalidUTF8Error, OverflowError,
                   InvalidJSONError, PanicError].to_h { |klass| [klass::STATUS, klass] }.freeze
  private_constant :STATUS_ERRORS
end
