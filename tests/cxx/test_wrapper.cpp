// The C++ wrapper: RAII, moves, exceptions with status and message, every operation.
#include "gcounter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

using gcounter::Counter;
using gcounter::Error;
using gcounter::Exact;
using gcounter::Order;
using gcounter::Slot;

static_assert(!std::is_copy_constructible_v<Counter>, "Counter is move-only");
static_assert(!std::is_copy_assignable_v<Counter>, "Counter is move-only");
static_assert(std::is_nothrow_move_constructible_v<Counter>, "moves never throw");
static_assert(std::is_nothrow_move_assignable_v<Counter>, "moves never throw");

// The status of the Error that `f` throws, and its message in `*message`.
template <typename F>
gcounter_status status_of(F &&f, std::string *message = nullptr) {
  try {
    f();
  } catch (const Error &e) {
    if (message) *message = e.what();
    return e.status();
  }
  return GCOUNTER_OK;
}

TEST(Counter, IncrementsJoinsAndSums) {
  Counter a;
  a.increment("agent-1");
  a.increment("agent-2", 2);
  Counter b;
  b.increment("agent-2", 5);
  a.join(b);
  EXPECT_EQ(a.value(), 6u);
  EXPECT_EQ(a.value_for("agent-2"), 5u);
  EXPECT_EQ(a.value_for("nobody"), 0u);
  EXPECT_EQ(a.agent_count(), 2u);
  a.join(a);  // self-join is a no-op
  EXPECT_EQ(a.to_json(), R"({"agent-1":1,"agent-2":5})");
}

TEST(Counter, StringViewsCarryNulBytesAndEmptyIds) {
  Counter c;
  using namespace std::string_literals;
  c.increment("a\0b"s, 2);
  c.increment("a", 1);
  c.increment(std::string_view{}, 3);
  EXPECT_EQ(c.value_for("a\0b"s), 2u);
  EXPECT_EQ(c.value_for(""), 3u);
  EXPECT_EQ(c.to_json(), R"({"":3,"a":1,"a\u0000b":2})");
}

TEST(Counter, ErrorsCarryStatusAndMessage) {
  Counter c;
  std::string message;
  EXPECT_EQ(status_of([&] { c.increment("a", 0); }, &message), GCOUNTER_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(message, "increment 'by' must be at least 1, got 0");  // the same in every binding
  EXPECT_EQ(status_of([&] { c.increment("\xff", 1); }, &message), GCOUNTER_ERR_INVALID_UTF8);
  EXPECT_EQ(status_of([&] { Counter::from_json(R"({"a":1.5})"); }, &message),
            GCOUNTER_ERR_INVALID_JSON);
  EXPECT_NE(message.find("invalid JSON at byte 5"), std::string::npos) << message;
  EXPECT_EQ(status_of([&] { c.join_json("{\"x\":1,\"y\":-1}"); }), GCOUNTER_ERR_INVALID_JSON);
  EXPECT_EQ(c.agent_count(), 0u) << "a failed join_json applies nothing";
  Counter full = Counter::from_json(R"({"a":18446744073709551615})");
  EXPECT_EQ(status_of([&] { full.increment("a"); }), GCOUNTER_ERR_OVERFLOW);
  full.increment("b");
  EXPECT_EQ(status_of([&] { (void)full.value(); }, &message), GCOUNTER_ERR_OVERFLOW);
  EXPECT_NE(message.find("18446744073709551616"), std::string::npos) << message;
  // Error is a std::runtime_error, catchable the usual way.
  EXPECT_THROW(Counter::from_json(""), std::runtime_error);
}

TEST(Counter, MovesTransferOwnership) {
  Counter a = Counter::from_json(R"({"a":1})");
  const gcounter_t *handle = a.handle();
  Counter b = std::move(a);
  EXPECT_EQ(b.handle(), handle);
  EXPECT_EQ(b.value(), 1u);
  EXPECT_THROW((void)a.value(), std::logic_error);  // moved-from: an exception, not a crash
  Counter c;
  c = std::move(b);  // c's own empty counter is freed here (valgrind checks)
  EXPECT_EQ(c.value(), 1u);
  std::vector<Counter> many;
  for (int i = 0; i < 100; i++) {
    many.emplace_back();
    many.back().increment("agent", static_cast<std::uint64_t>(i) + 1);
  }
  EXPECT_EQ(many[99].value(), 100u);
}

TEST(Counter, CloneIsIndependent) {
  Counter a;
  a.increment("a", 2);
  Counter b = a.clone();
  EXPECT_TRUE(a == b);
  b.increment("b");
  EXPECT_TRUE(a != b);
  EXPECT_EQ(a.to_json(), R"({"a":2})");
  EXPECT_EQ(b.take_delta().to_json(), R"({"b":1})");
  EXPECT_EQ(a.take_delta().to_json(), R"({"a":2})");
}

TEST(Counter, CompareFollowsTheLattice) {
  Counter a = Counter::from_json(R"({"x":1,"y":2})");
  Counter b = Counter::from_json(R"({"x":1,"y":3})");
  Counter c = Counter::from_json(R"({"x":2,"y":1})");
  EXPECT_EQ(a.compare(a.clone()), Order::equal);
  EXPECT_EQ(a.compare(b), Order::less);
  EXPECT_EQ(b.compare(a), Order::greater);
  EXPECT_EQ(b.compare(c), Order::concurrent);
  EXPECT_TRUE(a.equivalent(Counter::from_json(R"({"y":2,"x":1,"z":0})")));
}

TEST(Counter, DeltasSyncAPeer) {
  Counter replica;
  replica.increment("a", 5);
  Counter peer = replica.take_delta();
  replica.increment("b", 1);
  replica.join_json(R"({"c": 2})");
  Counter delta = replica.take_delta();
  EXPECT_EQ(delta.to_json(), R"({"b":1,"c":2})");
  peer.join_json(delta.to_json());
  peer.join(delta);
  EXPECT_TRUE(peer == replica);
  EXPECT_EQ(replica.take_delta().agent_count(), 0u);
}

TEST(Counter, AdoptAndReleaseHandOverTheCHandle) {
  gcounter_t *raw = gcounter_new();
  Counter c = Counter::adopt(raw);
  c.increment("a");
  gcounter_t *back = c.release();
  EXPECT_EQ(back, raw);
  uint64_t value = 0;
  EXPECT_EQ(gcounter_value(back, &value), GCOUNTER_OK);
  EXPECT_EQ(value, 1u);
  gcounter_free(back);
  EXPECT_THROW(Counter::adopt(nullptr), Error);
}

TEST(Counter, ErrorsAreReadOnTheThreadThatFailed) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; t++) {
    threads.emplace_back([t, &wrong] {
      Counter c;
      std::string agent = "t" + std::to_string(t);
      for (int i = 0; i < 200; i++) {
        std::string message;
        gcounter_status status = status_of(
            [&] { c.join_json("{\"" + agent + "\":-1}"); }, &message);
        if (status != GCOUNTER_ERR_INVALID_JSON ||
            message.find("\"" + agent + "\"") == std::string::npos)
          wrong[t]++;
        c.increment(agent);
      }
      if (c.value() != 200) wrong[t]++;
    });
  }
  for (auto &thread : threads) thread.join();
  for (int t = 0; t < 8; t++) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

TEST(Counter, VersionMatchesTheMacros) {
  std::string expected = std::to_string(GCOUNTER_VERSION_MAJOR) + "." +
                         std::to_string(GCOUNTER_VERSION_MINOR) + "." +
                         std::to_string(GCOUNTER_VERSION_PATCH);
  EXPECT_EQ(gcounter::version(), expected);
}

TEST(Counter, ValueExactGoesPast64Bits) {
  Counter c = Counter::from_json(R"({"a":18446744073709551615})");
  EXPECT_EQ(c.value_exact_words(), (Exact{0, UINT64_MAX}));
  EXPECT_EQ(gcounter::to_string(c.value_exact_words()), "18446744073709551615");
  c.increment("b");
  EXPECT_EQ(c.value_exact_words(), (Exact{1, 0}));
  EXPECT_EQ(gcounter::to_string(c.value_exact_words()), "18446744073709551616");
  EXPECT_EQ(status_of([&] { (void)c.value(); }), GCOUNTER_ERR_OVERFLOW);
  c.increment("c", UINT64_MAX);
  c.increment("d", UINT64_MAX);
  // 3 * (2^64 - 1) + 1 = 2 * 2^64 + (2^64 - 2)
  EXPECT_EQ(c.value_exact_words(), (Exact{2, UINT64_MAX - 1}));
  EXPECT_EQ(gcounter::to_string(c.value_exact_words()), "55340232221128654846");
#ifdef __SIZEOF_INT128__
  static_assert(std::is_same_v<decltype(c.value_exact()), gcounter::uint128>);
  EXPECT_TRUE(c.value_exact() == (static_cast<gcounter::uint128>(3) << 64) - 2);
  EXPECT_TRUE(c.value_exact_words().value() == c.value_exact());
  EXPECT_EQ(gcounter::to_string(c.value_exact()), "55340232221128654846");
#else
  static_assert(std::is_same_v<decltype(c.value_exact()), Exact>);
#endif
  EXPECT_EQ(gcounter::to_string(Counter().value_exact_words()), "0");
  EXPECT_EQ(gcounter::to_string(Exact{UINT64_MAX, UINT64_MAX}),
            "340282366920938463463374607431768211455");
  Counter moved = std::move(c);
  EXPECT_THROW((void)c.value_exact_words(), std::logic_error);
}

TEST(Counter, DeltaForSendsWhatThePeerLacks) {
  Counter mine = Counter::from_json(R"({"a":5,"b":2,"c":1})");
  mine.increment("b");
  Counter theirs = Counter::from_json(R"({"a":5,"b":2,"d":9})");
  Counter delta = mine.delta_for(theirs);
  EXPECT_EQ(delta.to_json(), R"({"b":3,"c":1})");
  Counter by_delta = theirs.clone();
  by_delta.join(delta);
  Counter by_state = theirs.clone();
  by_state.join(mine);
  EXPECT_TRUE(by_delta == by_state);
  EXPECT_EQ(mine.delta_for(mine).agent_count(), 0u);
  EXPECT_EQ(mine.delta_for(by_state).agent_count(), 0u);  // LESS: nothing to send
  // Neither record changed: mine's holds what its increment raised, the new one nothing.
  EXPECT_EQ(mine.take_delta().to_json(), R"({"b":3})");
  EXPECT_EQ(delta.take_delta().to_json(), "{}");
  Counter moved = std::move(theirs);
  EXPECT_THROW((void)mine.delta_for(theirs), std::logic_error);
}

TEST(Counter, RangeForWalksTheSlotsInCanonicalOrder) {
  using namespace std::string_literals;
  Counter c;
  c.increment("\xf0\x9f\x98\x80", 6);  // U+1F600
  c.increment("b", 2);
  c.increment("a\0b"s, 3);
  c.increment("\xc3\xa9", 5);  // U+00E9
  c.increment("an-agent-id-longer-than-fifteen-bytes", 4);
  c.increment("", 1);
  std::vector<std::pair<std::string, std::uint64_t>> walked;
  for (auto [agent_id, count] : c) walked.emplace_back(std::string(agent_id), count);
  std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"", 1}, {"a\0b"s, 3}, {"an-agent-id-longer-than-fifteen-bytes", 4},
      {"b", 2}, {"\xc3\xa9", 5}, {"\xf0\x9f\x98\x80", 6}};
  EXPECT_EQ(walked, expected);
  EXPECT_EQ(c.to_json(),
            "{\"\":1,\"a\\u0000b\":3,\"an-agent-id-longer-than-fifteen-bytes\":4,\"b\":2,"
            "\"\xc3\xa9\":5,\"\xf0\x9f\x98\x80\":6}");

  gcounter::Slots slots = c.slots();
  EXPECT_EQ(slots.size(), 6u);
  EXPECT_EQ(slots[2].agent_id, "an-agent-id-longer-than-fifteen-bytes");
  EXPECT_EQ(slots[5].count, 6u);
  EXPECT_EQ(status_of([&] { (void)slots[6]; }), GCOUNTER_ERR_INVALID_ARGUMENT);
  std::vector<Slot> copied(slots.begin(), slots.end());
  ASSERT_EQ(copied.size(), 6u);
  EXPECT_EQ(std::count_if(slots.begin(), slots.end(), [](Slot s) { return s.count > 2; }), 4);

  Counter empty;
  EXPECT_TRUE(empty.slots().empty());
  EXPECT_TRUE(empty.begin() == empty.end());
  Counter moved = std::move(empty);
  EXPECT_THROW((void)empty.slots(), std::logic_error);
}

// The agent_id views borrow the counter: const calls leave them valid (valgrind checks the
// reads below), a non-const call may not.
TEST(Counter, SlotViewsStayValidAcrossConstCalls) {
  Counter c = Counter::from_json(R"({"short":1,"an-agent-id-longer-than-fifteen-bytes":2})");
  Counter other = Counter::from_json(R"({"short":3,"x":1})");
  std::vector<Slot> held(c.slots().begin(), c.slots().end());
  (void)c.to_json();
  (void)c.value();
  (void)c.value_exact_words();
  (void)c.value_for("short");
  (void)c.compare(other);
  (void)c.equivalent(other);
  (void)c.delta_for(other);
  (void)other.delta_for(c);
  Counter copy = c.clone();
  other.join(c);  // c is the const side
  for (Slot slot : c) (void)slot;
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].agent_id, "an-agent-id-longer-than-fifteen-bytes");
  EXPECT_EQ(held[1].agent_id, "short");
  EXPECT_EQ(held[1].count, 1u);
}

TEST(Counter, ConstCallsRunTogetherOnOneCounter) {
  Counter c;
  for (int i = 0; i < 200; i++) c.increment("agent-" + std::to_string(i), 1);
  const Counter &shared = c;
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([t, &shared, &wrong] {
      std::string previous;
      std::size_t n = 0;
      for (auto [agent_id, count] : shared) {  // the first walk sorts, in whichever thread
        if (count != 1 || (n > 0 && !(previous < agent_id))) wrong[t]++;
        previous = std::string(agent_id);
        n++;
      }
      if (n != 200 || shared.value_exact_words() != Exact{0, 200}) wrong[t]++;
      if (shared.delta_for(shared).agent_count() != 0) wrong[t]++;
    });
  }
  for (auto &thread : threads) thread.join();
  for (int t = 0; t < 4; t++) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}
