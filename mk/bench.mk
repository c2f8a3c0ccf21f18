# Rust core benchmarks (benches/peers): libgcounter through its C ABI beside the crdts crate's
# GCounter and a bare HashMap<String, u64>, at 10^3, 10^5 and 10^6 agents.
#
#   make bench-rust    run them (criterion, about 5 minutes) and print the table
#   make bench-table   print the table again from the last results
#
# Results stay in target/criterion; docs/performance.md says how to read them.

BENCHES += rust

.PHONY: bench-rust bench-table

bench-rust:
	$(CARGO) bench --bench peers
	@$(MAKE) --no-print-directory bench-table

bench-table:
	@$(PYTHON) scripts/bench_table.py
