# frozen_string_literal: true

require_relative "lib/gcounter/version"

Gem::Specification.new do |spec|
  spec.name = "gcounter"
  spec.version = GCounter::VERSION
  spec.summary = "Grow-only counter (G-Counter CRDT) backed by libgcounter"
  spec.description = <<~TEXT
    Ruby binding of libgcounter, a G-Counter CRDT written in Rust with a C ABI: per-agent
    slots, join as per-slot maximum, exact 64-bit counts, a strict JSON wire format and
    delta-state synchronisation. The gem for x86_64-linux carries libgcounter.so; the plain
    gem uses an installed one (see README.md).
  TEXT
  spec.licenses = ["MIT", "Apache-2.0"]
  spec.authors = ["libgcounter maintainers"]
  spec.homepage = "https://github.com/libgcounter/gcounter"
  spec.metadata = { "source_code_uri" => "https://github.com/libgcounter/gcounter/tree/main/bindings/ruby" }
  spec.required_ruby_version = ">= 3.0"

  # A library beside lib/gcounter/native.rb (make dist-ruby puts one there) makes this the gem
  # of the platform it was built on, e.g. gcounter-0.2.0-x86_64-linux.gem; without one, it is
  # the plain gem, which loads an installed library.
  library = Dir.glob("lib/gcounter/{libgcounter.so,libgcounter.dylib,gcounter.dll}", base: __dir__)
  spec.platform = Gem::Platform.local unless library.empty?

  # The license texts are the repository root's, which make dist-ruby copies beside this file.
  spec.files = Dir.glob("lib/**/*.rb", base: __dir__) + library +
               %w[README.md gcounter.gemspec LICENSE-MIT LICENSE-APACHE]
  spec.require_paths = ["lib"]

  spec.add_dependency "ffi", "~> 1.15"
  spec.add_development_dependency "minitest", "~> 5.15"
end
