# frozen_string_literal: true

require "json"

module GCounter
  # The largest count a slot, or the value, can hold.
  UINT64_MAX = 2**64 - 1

  # A grow-only counter (G-Counter CRDT): one slot per agent, each agent increments
  # only its own slot, the value is the sum of the slots, and #join takes the
  # per-slot maximum, so replicas that exchange state in any order converge.
  #
  # Unlike the reference Python module, #increment, #join and #join_json change the
  # counter in place and return +self+, so calls chain:
  #
  #   counter = GCounter::Counter.new.increment("alice").increment("bob", 2)
  #   counter.value # => 3
  #
  # Each counter owns a native handle and a Mutex: every method may be called from any
  # thread. #close frees the handle at once; otherwise the garbage collector frees it.
  #
  # Copies are independent counters with their own native counter and an empty delta record:
  # #dup and #clone (which keeps the frozen state), and Marshal, through the wire format
  # (Marshal.load(Marshal.dump(counter))), as Python's binding pickles.
  #
  # ==, eql? and hash are identity, as Object defines them and as in Python's binding: a counter
  # is a mutable native resource, equal only to itself. Compare contents with #equivalent?:
  #
  #   copy = GCounter::Counter.from_json(counter.to_json)
  #   copy.equivalent?(counter) # => true
  #   copy == counter           # => false
  #
  # A counter is Enumerable over its slots: #each yields [agent_id, count] in canonical order.
  class Counter
    include Enumerable

    ORDERS = %i[equal less greater concurrent].freeze
    private_constant :ORDERS

    # Parses the wire format (a JSON object of agent id => count) into a new counter.
    # Raises TypeError unless +json+ is a String, InvalidJSONError if it is not the wire format.
    def self.from_json(json)
      bytes = Arguments.json(json)
      out_counter = FFI::MemoryPointer.new(:pointer)
      Native.check!(Native.gcounter_from_json(bytes, bytes.bytesize, out_counter))
      adopt(out_counter.read_pointer)
    end

    # An empty counter: value 0, no agents.
    def initialize
      own(Native.gcounter_new)
    end

    # Backs #dup and #clone: the copy gets its own native counter (gcounter_clone),
    # its own lock and its own finalizer, so the two never share memory or a free.
    def initialize_copy(source)
      super
      own(source.with_pointer { |pointer| Native.gcounter_clone(pointer) })
    end

    # Backs Marshal.dump: a counter travels as its wire format (#to_json), never as its native
    # handle or its lock. Raises ClosedError for a closed counter.
    def _dump(_level)
      to_json
    end

    # Backs Marshal.load: a new counter from the wire format, as ::from_json makes it, so
    # a document that is not the wire format raises InvalidJSONError.
    def self._load(json)
      from_json(json)
    end

    # Adds +by+ (an Integer from 1 to 2**64 - 1) to +agent_id+'s slot; returns self.
    #
    # Raises TypeError if +agent_id+ is not a String or +by+ not an Integer,
    # InvalidArgumentError if +by+ < 1, InvalidUTF8Error if +agent_id+ is not valid UTF-8,
    # OverflowError if the slot would exceed 2**64 - 1 (so for any +by+ above it); the
    # counter is then unchanged.
    def increment(agent_id, by = 1)
      agent = Arguments.agent_id(agent_id)
      amount = Arguments.amount(by)
      check_not_frozen
      with_pointer do |pointer|
        Native.check!(Native.gcounter_increment_len(pointer, agent, agent.bytesize, amount))
      end
      self
    end

    # Joins +other+ into this counter (per-slot maximum); returns self. +other+ is not changed.
    def join(other)
      check_counter(other)
      check_not_frozen
      with_pointers(other) { |into, from| Native.check!(Native.gcounter_join(into, from)) }
      self
    end

    # Parses +json+ (the wire format) and joins it into this counter; returns self.
    # On InvalidJSONError the counter is unchanged.
    def join_json(json)
      bytes = Arguments.json(json)
      check_not_frozen
      with_pointer { |pointer| Native.check!(Native.gcounter_join_json(pointer, bytes, bytes.bytesize)) }
      self
    end

    # The sum of all slots, an Integer, exact at any size (also above 2**64 - 1).
    def value
      with_pointer do |pointer|
        out_high = FFI::MemoryPointer.new(:uint64)
        out_low = FFI::MemoryPointer.new(:uint64)
        Native.check!(Native.gcounter_value_exact(pointer, out_high, out_low))
        (out_high.read_uint64 << 64) | out_low.read_uint64
      end
    end

    # The count of +agent_id+'s slot; 0 for an agent never seen.
    def value_for(agent_id)
      agent = Arguments.agent_id(agent_id)
      read_uint64 { |pointer, out_value| Native.gcounter_value_for_len(pointer, agent, agent.bytesize, out_value) }
    end

    # The number of agents whose slot is above 0.
    def agent_count
      with_pointer { |pointer| Native.gcounter_agent_count(pointer) }
    end

    # True when every agent has the same count in both counters (absent counts as 0): the
    # comparison of contents. #== is identity instead, so a copy is equivalent? but not ==.
    def equivalent?(other)
      check_counter(other)
      with_pointers(other) { |a, b| Native.gcounter_equivalent(a, b) }
    end

    # Where this counter stands against +other+ in the lattice order:
    # :equal, :less (other has everything this one has, and more), :greater, or
    # :concurrent (each has increments the other lacks). A :less replica has nothing to send.
    def compare(other)
      check_counter(other)
      order = with_pointers(other) do |a, b|
        out_order = FFI::MemoryPointer.new(:int)
        Native.check!(Native.gcounter_compare(a, b, out_order))
        out_order.read_int
      end
      ORDERS.fetch(order) { raise Error.new("unknown gcounter_order #{order}", status: nil) }
    end

    # The canonical wire format: a UTF-8 JSON object of the agents above 0, sorted by id,
    # without whitespace; "{}" when empty. Takes (and ignores) the arguments that the json
    # library passes, so a counter nested in JSON.generate serializes as this object.
    def to_json(*_generator_state)
      with_pointer do |pointer|
        out_json = FFI::MemoryPointer.new(:pointer)
        out_len = FFI::MemoryPointer.new(:size_t)
        Native.check!(Native.gcounter_to_json(pointer, out_json, out_len))
        json = out_json.read_pointer
        begin
          json.read_bytes(out_len.read(:size_t)).force_encoding(Encoding::UTF_8)
        ensure
          Native.gcounter_string_free(json)
        end
      end
    end

    # Yields each slot above 0 as [agent_id, count], in canonical order (ids sorted by their
    # UTF-8 bytes, as in #to_json); returns self. Without a block, returns an Enumerator.
    # Agent ids are new UTF-8 Strings, NUL bytes included.
    #
    # The slots are copied out under the lock first, then yielded with the lock released: the
    # walk sees one moment of the counter, and the block may call this counter (or change
    # it) without deadlocking; a change made meanwhile shows in the next walk, not this one.
    def each(&block)
      return enum_for(:each) { agent_count } unless block

      slots.each(&block)
      self
    end

    # The slots above 0 as a new Hash of agent id (String) => count (Integer), in canonical order.
    # Built by the json extension from #to_json: two to three times faster than a Hash filled
    # from #each, which crosses into the library once per slot (make bench-ruby).
    def to_h
      JSON.parse(to_json)
    end

    # What +peer+ lacks of this counter: a new counter holding this counter's count for every
    # agent where it is above +peer+'s, and nothing else. Joining it into a copy of +peer+
    # gives the same as joining this whole counter; it is empty when this counter is :equal
    # or :less than +peer+. Neither counter changes, nor their delta records.
    #
    # Anti-entropy: a replica that has just read a peer's state replies with
    # mine.delta_for(theirs).to_json, which carries only what the peer is missing.
    def delta_for(peer)
      check_counter(peer)
      delta = with_pointers(peer) do |mine, theirs|
        out_delta = FFI::MemoryPointer.new(:pointer)
        Native.check!(Native.gcounter_delta_for(mine, theirs, out_delta))
        out_delta.read_pointer
      end
      self.class.send(:adopt, delta)
    end

    # Returns a new counter holding the current count of every slot that rose since the
    # last take_delta (or since this counter was created, cloned or parsed), and starts a
    # new record. Send the delta's #to_json to peers instead of the whole state.
    def take_delta
      check_not_frozen
      delta = with_pointer do |pointer|
        out_delta = FFI::MemoryPointer.new(:pointer)
        Native.check!(Native.gcounter_take_delta(pointer, out_delta))
        out_delta.read_pointer
      end
      self.class.send(:adopt, delta)
    end

    # Frees the native counter now. Safe to call more than once; any later call other
    # than #close, #closed? and #inspect raises ClosedError.
    def close
      @lock.synchronize { @handle.free }
      nil
    end

    def closed?
      @handle.freed?
    end

    def inspect
      "#<#{self.class} value=#{value} agents=#{agent_count}>"
    rescue ClosedError
      "#<#{self.class} (closed)>"
    end

    # Wraps a handle the library returned, which this new counter then owns.
    def self.adopt(pointer)
      allocate.tap { |counter| counter.send(:own, pointer) }
    end
    private_class_method :adopt

    protected

    # Yields the live native pointer with this counter's lock held; raises ClosedError with
    # +closed+ as its message if the counter is closed.
    def with_pointer(closed = "counter is closed")
      @lock.synchronize do
        raise ClosedError, closed if @handle.freed?

        yield @handle
      end
    end

    private

    def own(pointer)
      @lock = Mutex.new
      raise PanicError, Native.last_error_message if pointer.null?

      @handle = Native::Handle.new(pointer)
    end

    # Yields both pointers with both locks held, taken in one global order (by object id)
    # so that a.join(b) and b.join(a) on two threads cannot deadlock. A closed +other+ raises
    # ClosedError saying so, whichever lock comes first; a closed receiver is named first (a
    # counter once closed stays closed, so the check before the locks holds).
    def with_pointers(other, &block)
      return with_pointer { |pointer| yield pointer, pointer } if other.equal?(self)
      raise ClosedError, "counter is closed" if closed?

      first, second = __id__ < other.__id__ ? [self, other] : [other, self]
      closed = ->(counter) { counter.equal?(self) ? "counter is closed" : "the other counter is closed" }
      first.with_pointer(closed.call(first)) do |first_pointer|
        second.with_pointer(closed.call(second)) do |second_pointer|
          first.equal?(self) ? block.call(first_pointer, second_pointer) : block.call(second_pointer, first_pointer)
        end
      end
    end

    # Every slot as [agent_id, count], copied out of the library with the lock held: each id
    # pointer from gcounter_slot_at is valid only until the next change, so it is read at once.
    def slots
      with_pointer do |pointer|
        out_id = FFI::MemoryPointer.new(:pointer)
        out_id_len = FFI::MemoryPointer.new(:size_t)
        out_count = FFI::MemoryPointer.new(:uint64)
        Array.new(Native.gcounter_agent_count(pointer)) do |index|
          Native.check!(Native.gcounter_slot_at(pointer, index, out_id, out_id_len, out_count))
          agent_id = out_id.read_pointer.read_bytes(out_id_len.read(:size_t)).force_encoding(Encoding::UTF_8)
          [agent_id, out_count.read_uint64]
        end
      end
    end

    def read_uint64
      with_pointer do |pointer|
        out_value = FFI::MemoryPointer.new(:uint64)
        Native.check!(yield(pointer, out_value))
        out_value.read_uint64
      end
    end

    def check_counter(other)
      raise TypeError, "expected a #{Counter}, got #{other.class}" unless other.is_a?(Counter)
    end

    def check_not_frozen
      raise FrozenError.new("can't modify frozen #{self.class}: #{inspect}", receiver: self) if frozen?
    end
  end
end
