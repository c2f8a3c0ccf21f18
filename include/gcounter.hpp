// libgcounter for C++17: a header-only RAII wrapper over the C API in gcounter.h.
//
//   gcounter::Counter c;
//   c.increment("agent-1", 2);
//   gcounter::Counter peer = gcounter::Counter::from_json(R"({"agent-2": 3})");
//   c.join(peer);
//   std::string json = c.to_json();   // {"agent-1":2,"agent-2":3}
//
// Counter owns one handle and frees it in its destructor; it is move-only (clone() copies the
// counts on purpose). Every failure throws gcounter::Error, which carries the status and the
// library's message, read on the same thread straight after the failing call. A Counter has no
// lock inside: share one across threads only for const calls, as with the C API.
#ifndef GCOUNTER_HPP
#define GCOUNTER_HPP

#include <cstddef>
#include <cstdint>
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

#endif  // GCOUNTER_HPP
