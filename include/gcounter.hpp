// libgcounter for C++17: a header-only RAII wrapper over the C API in gcounter.h.
//
//   gcounter::Counter c;
//   c.increment("agent-1", 2);
//   gcounter::Counter peer = gcounter::Counter::from_json(R"({"agent-2": 3})");
//   c.join(peer);
//   std::string json = c.to_json();   // {"agent-1":2,"agent-2":3}
//   for (auto [agent_id, count] : c) { ... }   // the slots, in to_json's order
//
// Counter owns one handle and frees it in its destructor; it is move-only (clone() copies the
// counts on purpose). Every failure throws gcounter::Error, which carries the status and the
// library's message, read on the same thread straight after the failing call. A Counter has no
// lock inside: share one across threads only for const calls, as with the C API.
#ifndef GCOUNTER_HPP
#define GCOUNTER_HPP

// MSVC reports the standard in _MSVC_LANG (its __cplusplus stays 199711L without /Zc:__cplusplus).
#if (defined(_MSVC_LANG) ? _MSVC_LANG : __cplusplus) < 201703L
#error "gcounter.hpp needs C++17 or later (std::string_view): compile with -std=c++17"
#else  // C++17 or later: the wrapper

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "gcounter.h"

namespace gcounter {

/// The lattice order of two counters, as Counter::compare reports it.
enum class Order {
  equal = GCOUNTER_ORDER_EQUAL,
  less = GCOUNTER_ORDER_LESS,
  greater = GCOUNTER_ORDER_GREATER,
  concurrent = GCOUNTER_ORDER_CONCURRENT,
};

/// A failed call: the status the C API returned and the library's message about it.
class Error : public std::runtime_error {
 public:
  Error(gcounter_status status, const std::string &message)
      : std::runtime_error(message), status_(status) {}

  /// The C API's status, e.g. GCOUNTER_ERR_INVALID_JSON.
  gcounter_status status() const noexcept { return status_; }

 private:
  gcounter_status status_;
};

#ifdef __SIZEOF_INT128__
/// An unsigned 128-bit integer, where the compiler has one (GCC and Clang on 64-bit targets):
/// the type of Counter::value_exact() there. (__extension__ keeps -pedantic quiet about it.)
__extension__ typedef unsigned __int128 uint128;
#endif

/// An exact total as two 64-bit words: high * 2^64 + low. Every compiler has it
/// (Counter::value_exact_words()); the sum of a counter's slots always fits.
struct Exact {
  std::uint64_t high = 0;
  std::uint64_t low = 0;

#ifdef __SIZEOF_INT128__
  /// The same number as one 128-bit integer.
  uint128 value() const noexcept { return static_cast<uint128>(high) << 64 | low; }
#endif

  friend bool operator==(const Exact &a, const Exact &b) noexcept {
    return a.high == b.high && a.low == b.low;
  }
  friend bool operator!=(const Exact &a, const Exact &b) noexcept { return !(a == b); }
};

/// The decimal digits of an exact total, e.g. "18446744073709551616" for 2^64.
inline std::string to_string(Exact exact) {
  // Long division by 10 over four 32-bit limbs, most significant first: no 128-bit type needed.
  std::uint32_t limbs[4] = {
      static_cast<std::uint32_t>(exact.high >> 32), static_cast<std::uint32_t>(exact.high),
      static_cast<std::uint32_t>(exact.low >> 32), static_cast<std::uint32_t>(exact.low)};
  std::string digits;
  do {
    std::uint64_t remainder = 0;
    for (std::uint32_t &limb : limbs) {
      std::uint64_t part = remainder << 32 | limb;
      limb = static_cast<std::uint32_t>(part / 10);
      remainder = part % 10;
    }
    digits.push_back(static_cast<char>('0' + remainder));
  } while ((limbs[0] | limbs[1] | limbs[2] | limbs[3]) != 0);
  return std::string(digits.rbegin(), digits.rend());
}

#ifdef __SIZEOF_INT128__
/// The decimal digits of a 128-bit total (std::to_string and iostreams have no overload).
inline std::string to_string(uint128 value) {
  return to_string(
      Exact{static_cast<std::uint64_t>(value >> 64), static_cast<std::uint64_t>(value)});
}
#endif

/// One slot of a counter: an agent id and its count (at least 1). `agent_id` borrows the
/// counter's storage (see Counter::slots()); copy it into a std::string to keep it.
struct Slot {
  std::string_view agent_id;
  std::uint64_t count;
};

namespace detail {

/// Throws the Error for `status` unless it is GCOUNTER_OK. Call straight after the C call:
/// the message is the calling thread's, about its last call.
inline void check(gcounter_status status) {
  if (status == GCOUNTER_OK) return;
  std::string message = gcounter_last_error_message();
  if (message.empty()) message = gcounter_status_str(status);
  throw Error(status, message);
}

struct HandleDeleter {
  void operator()(gcounter_t *handle) const noexcept { gcounter_free(handle); }
};

struct StringDeleter {
  void operator()(char *json) const noexcept { gcounter_string_free(json); }
};

}  // namespace detail

/// The slots of a counter in canonical order (agent ids sorted by their UTF-8 bytes, the
/// order of to_json), for range-for: what Counter::slots() returns. Each step is one
/// gcounter_slot_at call.
class Slots {
 public:
  /// An input iterator over the slots; `*it` is a Slot (a value, not a reference).
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Slot;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Slot;

    iterator() = default;

    /// The slot here; throws Error (GCOUNTER_ERR_INVALID_ARGUMENT) if the counter lost
    /// slots since the walk began, which no G-Counter does.
    Slot operator*() const {
      const char *agent_id = nullptr;
      std::size_t len = 0;
      std::uint64_t count = 0;
      detail::check(gcounter_slot_at(handle_, index_, &agent_id, &len, &count));
      return Slot{std::string_view(agent_id, len), count};
    }

    iterator &operator++() noexcept {
      ++index_;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator before = *this;
      ++index_;
      return before;
    }

    friend bool operator==(const iterator &a, const iterator &b) noexcept {
      return a.index_ == b.index_;
    }
    friend bool operator!=(const iterator &a, const iterator &b) noexcept { return !(a == b); }

   private:
    friend class Slots;
    iterator(const gcounter_t *handle, std::size_t index) noexcept
        : handle_(handle), index_(index) {}

    const gcounter_t *handle_ = nullptr;
    std::size_t index_ = 0;
  };

  iterator begin() const noexcept { return iterator(handle_, 0); }
  iterator end() const noexcept { return iterator(handle_, size_); }
  /// The number of slots when the view was made (the counter's agent_count()).
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  /// The slot at `index`, 0 <= index < size(); throws Error (GCOUNTER_ERR_INVALID_ARGUMENT)
  /// out of range.
  Slot operator[](std::size_t index) const { return *iterator(handle_, index); }

 private:
  friend class Counter;
  explicit Slots(const gcounter_t *handle) noexcept
      : handle_(handle), size_(gcounter_agent_count(handle)) {}

  const gcounter_t *handle_;
  std::size_t size_;
};

/// A Grow-only Counter: one slot per agent, joined by per-slot maximum.
class Counter {
 public:
  /// An empty counter.
  Counter() : handle_(gcounter_new()) {
    if (!handle_) detail::check(GCOUNTER_ERR_PANIC);
  }

  Counter(Counter &&) noexcept = default;
  Counter &operator=(Counter &&) noexcept = default;
  Counter(const Counter &) = delete;
  Counter &operator=(const Counter &) = delete;
  ~Counter() = default;

  /// Parses the JSON wire format `{agent_id: count}`; throws Error (GCOUNTER_ERR_INVALID_JSON).
  static Counter from_json(std::string_view json) {
    gcounter_t *handle = nullptr;
    detail::check(gcounter_from_json(json.data(), json.size(), &handle));
    return Counter(handle);
  }

  /// An independent copy of the counts, with an empty delta record.
  Counter clone() const {
    gcounter_t *copy = gcounter_clone(get());
    if (!copy) detail::check(GCOUNTER_ERR_PANIC);
    return Counter(copy);
  }

  /// Adds `by` (>= 1) to the agent's slot. Throws on by == 0, bad UTF-8, slot overflow.
  void increment(std::string_view agent_id, std::uint64_t by = 1) {
    detail::check(gcounter_increment_len(get(), agent_id.data(), agent_id.size(), by));
  }

  /// Joins `other` into this counter (per-slot maximum); joining itself is a no-op.
  void join(const Counter &other) { detail::check(gcounter_join(get(), other.get())); }

  /// Joins a JSON document; on error nothing of it applies.
  void join_json(std::string_view json) {
    detail::check(gcounter_join_json(get(), json.data(), json.size()));
  }

  /// The sum of all slots; throws Error (GCOUNTER_ERR_OVERFLOW) above UINT64_MAX.
  std::uint64_t value() const {
    std::uint64_t value = 0;
    detail::check(gcounter_value(get(), &value));
    return value;
  }

  /// The exact sum of all slots, as two 64-bit words; never fails for the total's size.
  Exact value_exact_words() const {
    Exact exact;
    detail::check(gcounter_value_exact(get(), &exact.high, &exact.low));
    return exact;
  }

#ifdef __SIZEOF_INT128__
  /// The exact sum of all slots as one 128-bit integer (where the compiler has
  /// unsigned __int128; elsewhere value_exact() returns the two words, as
  /// value_exact_words()). Print it with gcounter::to_string.
  uint128 value_exact() const { return value_exact_words().value(); }
#else
  Exact value_exact() const { return value_exact_words(); }
#endif

  /// The agent's count, 0 if never seen.
  std::uint64_t value_for(std::string_view agent_id) const {
    std::uint64_t value = 0;
    detail::check(gcounter_value_for_len(get(), agent_id.data(), agent_id.size(), &value));
    return value;
  }

  /// The number of agents with a count above 0.
  std::size_t agent_count() const { return gcounter_agent_count(get()); }

  /// Whether both hold the same count for every agent.
  bool equivalent(const Counter &other) const { return gcounter_equivalent(get(), other.get()); }

  /// The lattice order of this counter and `other`.
  Order compare(const Counter &other) const {
    gcounter_order order = GCOUNTER_ORDER_EQUAL;
    detail::check(gcounter_compare(get(), other.get(), &order));
    return static_cast<Order>(order);
  }

  /// The canonical JSON: sorted, no whitespace, zero slots omitted.
  std::string to_json() const {
    char *json = nullptr;
    std::size_t len = 0;
    detail::check(gcounter_to_json(get(), &json, &len));
    std::unique_ptr<char, detail::StringDeleter> owned(json);
    return std::string(owned.get(), len);
  }

  /// The slots that rose since the last take_delta, as a new counter; the record empties.
  Counter take_delta() {
    gcounter_t *delta = nullptr;
    detail::check(gcounter_take_delta(get(), &delta));
    return Counter(delta);
  }

  /// What `peer` lacks of this counter, as a new counter: this counter's count for every
  /// agent whose count is above the peer's, nothing else. Joining it into the peer does what
  /// joining this whole counter would. Neither counter, nor its delta record, changes.
  Counter delta_for(const Counter &peer) const {
    gcounter_t *delta = nullptr;
    detail::check(gcounter_delta_for(get(), peer.get(), &delta));
    return Counter(delta);
  }

  /// The slots in canonical order (the order of to_json), for range-for:
  /// `for (auto [agent_id, count] : c.slots())`. The view and the agent_id string_views it
  /// yields borrow this counter: they stay valid until its next non-const call (increment,
  /// join, join_json, take_delta, assignment) or its destruction; const calls leave them valid.
  Slots slots() const { return Slots(get()); }

  /// `for (auto [agent_id, count] : counter)`: the same walk as slots().
  Slots::iterator begin() const { return slots().begin(); }
  Slots::iterator end() const { return slots().end(); }

  /// The C handle, still owned by this Counter; for calls into the C API.
  const gcounter_t *handle() const noexcept { return handle_.get(); }
  gcounter_t *handle() noexcept { return handle_.get(); }

  /// Takes ownership of a handle from the C API (e.g. gcounter_from_json).
  static Counter adopt(gcounter_t *handle) {
    if (!handle) detail::check(GCOUNTER_ERR_NULL_POINTER);
    return Counter(handle);
  }

  /// Gives up ownership: the caller frees the handle with gcounter_free.
  gcounter_t *release() noexcept { return handle_.release(); }

  friend bool operator==(const Counter &a, const Counter &b) { return a.equivalent(b); }
  friend bool operator!=(const Counter &a, const Counter &b) { return !a.equivalent(b); }

 private:
  explicit Counter(gcounter_t *handle) : handle_(handle) {}

  /// The handle; a moved-from Counter has none, and using it throws rather than crashes.
  gcounter_t *get() const {
    if (!handle_) throw std::logic_error("gcounter::Counter used after it was moved from");
    return handle_.get();
  }

  std::unique_ptr<gcounter_t, detail::HandleDeleter> handle_;
};

/// The library version, e.g. "0.2.0".
inline std::string_view version() noexcept { return gcounter_version(); }

}  // namespace gcounter

#endif  // C++17 or later
#endif  // GCOUNTER_HPP
