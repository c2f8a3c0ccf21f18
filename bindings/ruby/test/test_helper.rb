# frozen_string_literal: true

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))

require "fileutils"
require "minitest/autorun"
require "open3"
require "rbconfig"
require "gcounter"

# Records every native handle the binding takes ownership of and every gcounter_free,
# by address, so tests can check that counters are freed, and freed only once.
module NativeLedger
  OWNED = []
  FREED = []

  GCounter::Native::Handle.prepend(Module.new do
    def initialize(pointer)
      OWNED << pointer.address
      super
    end
  end)

  GCounter::Native.singleton_class.prepend(Module.new do
    def gcounter_free(pointer)
      FREED << pointer.address
      super
    end
  end)

  # Handles freed more often than they were owned (an address can be reused after a free).
  def self.double_frees
    owned = OWNED.tally
    FREED.tally.select { |address, frees| frees > owned.fetch(address, 0) }
  end
end

module GCounterTestHelpers
  MAX = GCounter::UINT64_MAX

  def counter(json = "{}")
    GCounter::Counter.from_json(json)
  end
end

# The gem built as make dist-ruby builds it: a copy of the binding and the repository's license
# texts in +dir+, and for the platform gem the +library+ beside lib/gcounter/native.rb. Returns
# the path of the .gem file.
module GemBuild
  BINDING = File.expand_path("..", __dir__)

  def build_gem(dir, library: nil)
    FileUtils.mkdir_p(dir)
    FileUtils.cp_r(Dir.glob(File.join(BINDING, "{lib,README.md,gcounter.gemspec}")), dir)
    FileUtils.cp(Dir.glob(File.join(BINDING, "..", "..", "LICENSE-{MIT,APACHE}")), dir)
    FileUtils.cp(library, File.join(dir, "lib", "gcounter")) if library
    out, status = Open3.capture2e(RbConfig.ruby, "-S", "gem", "build", "gcounter.gemspec", chdir: dir)
    assert status.success?, out
    gems = Dir.glob(File.join(dir, "*.gem"))
    assert_equal 1, gems.size, out
    gems.first
  end
end
