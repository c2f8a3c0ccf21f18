// Two agents count on their own replicas, then converge: once by exchanging their whole
// state as JSON, again by sending only deltas, and last by anti-entropy, where a replica that
// has read its peer's state replies with only what the peer lacks.  Build and run:
// make test-examples
#include <gcounter.hpp>

#include <iostream>
#include <string>

static void show(const char *name, const gcounter::Counter &counter) {
  std::cout << "  " << name << " " << counter.to_json() << " value " << counter.value() << "\n";
}

int main() {
  gcounter::Counter a, b;

  std::cout << "1. each agent increments its own slot\n";
  a.increment("agent-a", 2);
  b.increment("agent-b", 4);
  show("A", a);
  show("B", b);

  std::cout << "2. they exchange full states as JSON and join\n";
  std::string from_a = a.to_json(), from_b = b.to_json();
  a.join_json(from_b);
  b.join_json(from_a);
  show("A", a);
  show("B", b);
  a.take_delta();  // from here on, only what changed travels
  b.take_delta();

  std::cout << "3. more increments, then each sends only its delta\n";
  a.increment("agent-a");
  b.increment("agent-b");
  std::string delta_a = a.take_delta().to_json(), delta_b = b.take_delta().to_json();
  std::cout << "  delta A " << delta_a << "\n  delta B " << delta_b << "\n";
  b.join_json(delta_a);
  b.join_json(delta_a);  // a duplicate delivery changes nothing
  a.join_json(delta_b);
  if (a.compare(b) != gcounter::Order::equal) {
    std::cerr << "the replicas did not converge\n";
    return 1;
  }
  std::cout << "converged: " << a.to_json() << " value " << a.value() << "\n";

  std::cout << "4. bad input is refused and changes nothing\n";
  try {
    a.join_json(R"({"agent-c": 1.5})");
  } catch (const gcounter::Error &e) {
    std::cout << "  " << gcounter_status_str(e.status()) << ": " << e.what() << "\n";
  }
  show("A", a);

  std::cout << "5. anti-entropy: B sends its whole state, A replies with only what B lacks\n";
  const char *fleet = R"({"worker-1":1,"worker-2":2,"worker-3":3,"worker-4":4,)"
                      R"("worker-5":5,"worker-6":6,"worker-7":7,"worker-8":8})";
  a.join_json(fleet);  // both know the fleet
  b.join_json(fleet);
  a.increment("agent-a");
  gcounter::Counter theirs = gcounter::Counter::from_json(b.to_json());  // A reads B's state
  gcounter::Counter reply = a.delta_for(theirs);
  for (auto [agent_id, count] : reply) {
    std::cout << "  A sends " << agent_id << " = " << count << "\n";
  }
  std::cout << "anti-entropy: sent " << reply.agent_count() << " of " << a.agent_count()
            << " slots: " << reply.to_json() << "\n";
  b.join_json(reply.to_json());
  if (b != a) {
    std::cerr << "the reply did not bring B up to A\n";
    return 1;
  }
  std::cout << "  B joined the reply and holds what A holds: value "
            << gcounter::to_string(b.value_exact_words()) << "\n";
  return 0;
}
