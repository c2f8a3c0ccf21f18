# Rust core benchmarks (benches/peers): libgcounter through its C ABI beside the crdts crate's
# GCounter and a bare HashMap<String, u64>, at 10^3, 10^5 and 10^6 agents; and instruction
# counts of the main calls at 10^5 agents (benches/callgrind), a figure that a busy machine
# does not move.
#
#   make bench-rust        run both (criterion, about 5 minutes) and print the table with every
#                          goal and its status
#   make bench-callgrind   only the instruction counts (valgrind's callgrind, about a minute)
#   make bench-table       print the table again from the last results
#
# Results stay in target/criterion and build/callgrind; docs/performance.md says how to read
# them.

BENCHES += rust

CALLGRIND_DIR := $(BUILD)/callgrind

.PHONY: bench-rust bench-callgrind bench-table

bench-rust:
	$(CARGO) bench --bench peers
	@$(MAKE) --no-print-directory bench-callgrind
	@$(MAKE) --no-print-directory bench-table

$(CALLGRIND_DIR):
	mkdir -p $@

# valgrind/callgrind.h comes with Debian's valgrind package.
$(CALLGRIND_DIR)/ops: benches/callgrind/ops.c include/gcounter.h lib | c-deps $(CALLGRIND_DIR)
	$(CC) $(C_FLAGS) -O2 $< -o $@ $(LINK)

# Each measured call ends with a dump of its own: ops.out.1, ops.out.2, ...
bench-callgrind: $(CALLGRIND_DIR)/ops
	rm -f $(CALLGRIND_DIR)/ops.out*
	valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=$(CALLGRIND_DIR)/ops.out \
	  --quiet $(CALLGRIND_DIR)/ops

bench-table:
	@$(PYTHON) scripts/bench_table.py --callgrind $(CALLGRIND_DIR)
