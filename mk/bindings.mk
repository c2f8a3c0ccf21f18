# The bindings checked against the C header: each gcounter_* function of include/gcounter.h is
# called by the C++ wrapper and by the Go, Java, Python, Ruby and Node.js bindings, or listed for
# that binding with the reason in bindings/left-out.txt; prototypes declared by a binding match the
# header; status codes, orders and the soname match the header and Cargo.toml.
#   make test-bindings   the checker's own tests, then the check (scripts/check_bindings.py);
#                        ends with "bindings: N passed, N failed". Needs only Python 3.

SUITES += bindings

.PHONY: test-bindings

test-bindings:
	$(PYTHON) scripts/test_check_bindings.py
	$(PYTHON) scripts/check_bindings.py
