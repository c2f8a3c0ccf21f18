# Reads `go test -bench -count=N` output and prints, per benchmark, the median of each metric
# (ns/op, MB/s, B/op, allocs/op) over the N runs; then the goal for Increment: at most 3x the
# ns/op of the map G-Counter's increment, medians of the same run, met or missed; and, when
# BenchmarkFloor ran, the floor under any increment: one empty cgo call and a lock and unlock.
#   go test -run '^$' -bench . -benchmem -count=5 | awk -f bench/medians.awk

function median(list,    values, n, i, j, tmp) {
	n = split(list, values, " ")
	for (i = 2; i <= n; i++)  # insertion sort: N is small
		for (j = i; j > 1 && values[j - 1] + 0 > values[j] + 0; j--) {
			tmp = values[j]; values[j] = values[j - 1]; values[j - 1] = tmp
		}
	return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
}

function show(v) {
	return v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v)
}

/^Benchmark/ {
	name = $1
	if (!(name in runs)) order[++count] = name
	runs[name]++
	for (i = 3; i < NF; i += 2) {
		unit = $(i + 1)
		if (!((name, unit) in samples)) units[name] = units[name] " " unit
		samples[name, unit] = samples[name, unit] " " $i
	}
}

END {
	if (count == 0) { print "no benchmark results"; exit 1 }
	for (k = 1; k <= count; k++) {
		name = order[k]
		line = sprintf("%-44s", name)
		split(substr(units[name], 2), unitList, " ")
		for (u = 1; u in unitList; u++)
			line = line sprintf("  %12s %s", show(median(samples[name, unitList[u]])), unitList[u])
		print line "   (median of " runs[name] ")"
		if (name ~ /^BenchmarkIncrement\/gcounter(-[0-9]+)?$/) increment = median(samples[name, "ns/op"])
		if (name ~ /^BenchmarkIncrement\/map(-[0-9]+)?$/) mapIncrement = median(samples[name, "ns/op"])
		if (name ~ /^BenchmarkFloor\/cgo-call(-[0-9]+)?$/) cgoCall = median(samples[name, "ns/op"])
		if (name ~ /^BenchmarkFloor\/rwmutex(-[0-9]+)?$/) lock = median(samples[name, "ns/op"])
	}
	if (increment > 0 && mapIncrement > 0) {
		ratio = increment / mapIncrement
		printf "goal: increment ratio ≤ 3x the map G-Counter: %.2fx (%s / %s ns): %s\n", \
			ratio, show(increment), show(mapIncrement), ratio <= 3 ? "met" : "missed"
		if (cgoCall > 0 && lock > 0)
			printf "floor: one empty cgo call %s ns + a sync.RWMutex lock and unlock %s ns = %.2fx the map, before the library does anything\n", \
				show(cgoCall), show(lock), (cgoCall + lock) / mapIncrement
	}
}
