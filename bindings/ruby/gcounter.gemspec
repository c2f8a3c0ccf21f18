# frozen_string_literal: true

require_relative "lib/gcounter/version"

Gem::Specification.new do |spec|
  spec.name = "gcounter"
  spec.version = GCounter::VERSION
  spec.summary = "Grow-only counter (G-Counter CRDT) backed by libgcounter"
  spec.description = <<~TEXT
    Ruby binding of libgcounter, a G-Counter CRDT written in Rust with a C ABI: per-agent
    slots, join as per-slot maximum, exact 64-bit counts, a strict JSON wire format and
    delta-state synchronisation. Needs libgcounter.so (see README.md).
  TEXT
  spec.licenses = ["MIT", "Apache-2.0"]
  spec.authors = ["libgcounter maintainers"]
  spec.required_ruby_version = ">= 3.0"

  spec.files = Dir.glob("lib/**/*.rb", base: __dir__) + %w[README.md gcounter.gemspec]
  spec.require_paths = ["lib"]

  spec.add_dependency "ffi", ">= 1.15"
  spec.add_development_dependency "minitest", ">= 5.15"
end
