// A C++ program as a separate CMake project would write it against an installed libgcounter,
// through the header-only wrapper gcounter.hpp. Prints "converged: <json> value <n>" and exits
// 0 when every check holds.
#include <cstdint>
#include <iostream>
#include <string>

#include <gcounter.hpp>

int main() {
  int failures = 0;
  auto check = [&failures](bool ok, const char *what) {
    if (!ok) {
      std::cerr << "consumer: failed: " << what << "\n";
      ++failures;
    }
  };

  gcounter::Counter a;
  a.increment("agent-a", 3);
  gcounter::Counter b;
  b.increment("agent-b", 5);

  // a -> b as JSON, b -> a as a delta (what rose in b: agent-a by the join, agent-b).
  b.join_json(a.to_json());
  a.join(b.take_delta());

  try {
    a.increment("agent-a", 0);
    check(false, "increment by 0 throws");
  } catch (const gcounter::Error &error) {
    check(error.status() == GCOUNTER_ERR_INVALID_ARGUMENT, "increment by 0 is an invalid argument");
  }

  try {
    a.join_json(R"({"agent-a": 9, "agent-c": -1})");
    check(false, "a bad document throws");
  } catch (const gcounter::Error &error) {
    check(error.status() == GCOUNTER_ERR_INVALID_JSON, "a bad document is invalid JSON");
  }

  check(a.value() == 8 && b.value() == 8, "both values are 8 (the bad document changed nothing)");
  check(a == b, "a and b are equivalent");
  check(a.compare(b) == gcounter::Order::equal, "a and b compare equal");
  const std::string json = a.to_json();
  check(json == R"({"agent-a":3,"agent-b":5})", "canonical JSON");
  check(gcounter::Counter::from_json(" {\"agent-b\": 5, \"agent-a\": 3} ") == a, "from_json");
  check(gcounter::version() == GCOUNTER_CONSUMER_EXPECTED_VERSION, "the library's version");

  if (failures != 0) return 1;
  std::cout << "converged: " << json << " value " << a.value() << "\n";
  return 0;
}
