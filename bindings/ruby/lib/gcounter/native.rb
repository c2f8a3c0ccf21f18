# frozen_string_literal: true

require "ffi"

module GCounter
  # The C ABI of libgcounter (include/gcounter.h), bound with the ffi gem.
  #
  # Internal: every function here takes raw pointers and returns raw statuses.
  # Use GCounter::Counter, which owns the handles, holds the locks and raises the errors.
  module Native
    extend FFI::Library

    # The library a platform gem (gcounter-<version>-x86_64-linux.gem) carries beside this file,
    # built from the same sources as the gem.
    PACKAGED_LIBRARY = File.join(__dir__, FFI.map_library_name("gcounter"))

    # Names the dynamic loader resolves for an installed library (libgcounter.so, then its soname).
    INSTALLED_NAMES = %w[libgcounter.so.0 gcounter].freeze

    # Where `make lib` puts the library, when this gem is bindings/ruby of a checkout; nil for an
    # installed gem, which has no repository around it.
    REPOSITORY_LIBRARY = begin
      root = File.expand_path("../../../..", __dir__)
      in_checkout = __dir__ == File.join(root, "bindings", "ruby", "lib", "gcounter") &&
                    File.file?(File.join(root, "Cargo.toml"))
      File.join(root, "target", "release", FFI.map_library_name("gcounter")) if in_checkout
    end

    # The libraries to try, in order: the gem's own, an installed one, the checkout's.
    # GCOUNTER_LIB, when set, is the only candidate: an explicit choice that fails must not
    # quietly load some other copy.
    def self.candidates(env = ENV)
      override = env["GCOUNTER_LIB"]
      return [override] if override && !override.empty?

      found = []
      found << PACKAGED_LIBRARY if File.exist?(PACKAGED_LIBRARY)
      found.concat(INSTALLED_NAMES)
      found << REPOSITORY_LIBRARY if REPOSITORY_LIBRARY && File.exist?(REPOSITORY_LIBRARY)
      found
    end

    begin
      ffi_lib candidates
    rescue LoadError => e
      raise LoadError, "libgcounter could not be loaded (tried: #{candidates.join(', ')}). " \
                       "Install the gem for your platform (gcounter-#{VERSION}-x86_64-linux.gem carries the " \
                       "library), install the library where the dynamic loader finds it (e.g. /usr/local/lib, " \
                       "then ldconfig), build it with `make lib` in the repository, or set GCOUNTER_LIB " \
                       "to the path of libgcounter.so.\n#{e.message}"
    end

    # The path of the library that was loaded.
    def self.library_path
      ffi_libraries.first.name
    end

    STATUS_OK = 0

    # Statuses are plain ints, never an FFI enum: a code this binding does not know
    # must still reach the error mapping intact.
    attach_function :gcounter_version, [], :string
    attach_function :gcounter_status_str, [:int], :string
    attach_function :gcounter_last_error_message, [], :string

    attach_function :gcounter_new, [], :pointer
    attach_function :gcounter_free, [:pointer], :void
    attach_function :gcounter_clone, [:pointer], :pointer

    attach_function :gcounter_increment_len, %i[pointer pointer size_t uint64], :int
    attach_function :gcounter_join, %i[pointer pointer], :int
    attach_function :gcounter_join_json, %i[pointer pointer size_t], :int

    attach_function :gcounter_value_exact, %i[pointer pointer pointer], :int
    attach_function :gcounter_value_for_len, %i[pointer pointer size_t pointer], :int
    attach_function :gcounter_agent_count, [:pointer], :size_t
    attach_function :gcounter_slot_at, %i[pointer size_t pointer pointer pointer], :int
    attach_function :gcounter_equivalent, %i[pointer pointer], :bool
    attach_function :gcounter_compare, %i[pointer pointer pointer], :int

    attach_function :gcounter_to_json, %i[pointer pointer pointer], :int
    attach_function :gcounter_string_free, [:pointer], :void
    attach_function :gcounter_from_json, %i[pointer size_t pointer], :int

    attach_function :gcounter_take_delta, %i[pointer pointer], :int
    attach_function :gcounter_delta_for, %i[pointer pointer pointer], :int

    # The calling thread's message about its most recent gcounter_ call, as UTF-8.
    # Read it straight after the call it explains: the next call replaces it.
    def self.last_error_message
      gcounter_last_error_message.to_s.dup.force_encoding(Encoding::UTF_8)
    end

    # Raises the GCounter::Error for a non-OK status, with the library's message,
    # which must still be the message of the call that returned +status+.
    def self.check!(status)
      return if status == STATUS_OK

      message = last_error_message
      message = gcounter_status_str(status).to_s if message.empty?
      raise Error.for_status(status, message)
    end

    # Owns one gcounter_t: frees it exactly once, on #free or, failing that, when the
    # garbage collector reclaims it. The releaser is this class, never a closure over
    # the Counter, so the finalizer does not keep the Counter alive.
    class Handle < FFI::AutoPointer
      def self.release(pointer)
        Native.gcounter_free(pointer)
      end

      def initialize(pointer)
        super(pointer)
        @freed = false
      end

      # Frees the native counter now. The caller holds the Counter's lock, so it runs once.
      def free
        return if @freed

        super
        @freed = true
      end

      def freed?
        @freed
      end
    end
  end
end
