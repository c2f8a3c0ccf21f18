# frozen_string_literal: true

# Checks an installed gcounter gem, run outside the repository by tests/dist/ruby/run.sh:
#
#   ruby check.rb VERSION CHECKOUT LIBRARY
#
# VERSION is the version the gem must carry; CHECKOUT the repository it was built from, which
# no file loaded here may come from (its license texts are read, to compare); LIBRARY the directory the loaded libgcounter must be in.
# Prints "ok <check>" or "FAIL <check>: <detail>" per check; exits 1 if one failed.

version, checkout, library_dir = ARGV
failures = 0
check = lambda do |name, condition, detail = nil|
  puts condition ? "ok   #{name}" : "FAIL #{name}: #{detail.inspect}"
  failures += 1 unless condition
end

require "gcounter"

spec = Gem.loaded_specs.fetch("gcounter")
check.call("the gem is the one installed in GEM_HOME", spec.gem_dir.start_with?("#{ENV.fetch('GEM_HOME')}/"), spec.gem_dir)
mapped = File.readlines("/proc/self/maps").map { |line| line.split[5] }.compact.uniq
loaded = mapped.select { |path| File.basename(path).start_with?("libgcounter") }
check.call("libgcounter is loaded from #{library_dir}", loaded.size == 1 && File.dirname(loaded[0]) == library_dir,
           [GCounter.library_path, loaded])
check.call("the gem and the library carry the version",
           [spec.version.to_s, GCounter::VERSION, GCounter.library_version] == [version] * 3,
           [spec.version.to_s, GCounter::VERSION, GCounter.library_version])

a = GCounter::Counter.new.increment("agent-a", 3)
b = GCounter::Counter.from_json('{"agent-b": 4, "agent-a": 1}')
a.join(b)
check.call("join takes the per-slot maximum", a.value == 7 && a.value_for("agent-a") == 3, a.to_h)
check.call("to_json is canonical", a.to_json == '{"agent-a":3,"agent-b":4}', a.to_json)
begin
  a.join_json('{"agent-a": -1}')
  check.call("a bad document is refused", false, "no error")
rescue GCounter::InvalidJSONError => e
  check.call("a bad document is refused", e.message.start_with?("invalid JSON at byte"), e.message)
end
check.call("a refused document changes nothing", a.to_json == '{"agent-a":3,"agent-b":4}', a.to_json)

# API 0.2: the exact total, the delta a peer lacks, the slots in order.
max = GCounter::UINT64_MAX
big = GCounter::Counter.from_json(%({"a":#{max},"b":#{max}}))
check.call("value is exact above 2**64 - 1", big.value == 2 * max, big.value)
reply = a.delta_for(b)
check.call("delta_for holds only what the peer lacks", reply.to_json == '{"agent-a":3}', reply.to_json)
check.call("delta_for joined into the peer gives the whole join", b.dup.join(reply).equivalent?(a), b.to_h)
slots = GCounter::Counter.new.increment("b").increment("a\0z", 2).increment("é", 3).to_a
check.call("each yields the slots in canonical order, NUL bytes kept",
           slots == [["a\0z", 2], ["b", 1], ["é", 3]] && slots.all? { |id, _| id.encoding == Encoding::UTF_8 }, slots)
copy = Marshal.load(Marshal.dump(a))
check.call("Marshal gives an independent counter with the same slots, equivalent? but not ==",
           copy.to_json == a.to_json && copy.equivalent?(a) && copy != a && copy.increment("c").value == a.value + 1,
           [copy.to_json, a.to_json])
begin
  Marshal.load(Marshal.dump(a).sub('"agent-a":3', '"agent-a":x'))
  check.call("a corrupted Marshal dump is refused as invalid JSON", false, "no error")
rescue GCounter::InvalidJSONError => e
  check.call("a corrupted Marshal dump is refused as invalid JSON", e.message.start_with?("invalid JSON at byte"), e.message)
end
[a, b, big, reply, copy].each(&:close)

licenses = %w[LICENSE-MIT LICENSE-APACHE]
different = licenses.reject do |name|
  installed = File.join(spec.gem_dir, name)
  File.file?(installed) && File.binread(installed) == File.binread(File.join(checkout, name))
end
check.call("the gem carries both license texts, as the repository has them", different.empty?, different)
check.call("the gem's licenses are MIT and Apache-2.0", spec.licenses == %w[MIT Apache-2.0], spec.licenses)

from_checkout = mapped.select { |path| path.start_with?("#{checkout}/") }
check.call("nothing is loaded from the checkout", from_checkout.empty?, from_checkout)
exit(failures.zero? ? 0 : 1)
