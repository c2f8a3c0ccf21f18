# frozen_string_literal: true

require_relative "test_helper"
require "fileutils"
require "open3"
require "rbconfig"
require "rubygems/package"
require "tmpdir"

# The README's example, the demo and the gemspec work as they say.
class DocsTest < Minitest::Test
  include GemBuild
  ROOT = File.expand_path("..", __dir__)
  README = File.read(File.join(ROOT, "README.md"))

  def test_the_readme_example_prints_what_the_readme_says
    example = README[/^## Example\n.*?^```ruby\n(.*?)^```\n/m, 1]
    printed = README[/^It prints:\n\n```text\n(.*?)^```\n/m, 1]
    refute_nil example
    refute_nil printed
    Dir.mktmpdir do |dir|
      File.write(File.join(dir, "example.rb"), example)
      out, err, status = Open3.capture3(RbConfig.ruby, "-w", "-I", File.join(ROOT, "lib"), "example.rb", chdir: dir)
      assert status.success?, err
      assert_empty err, "no warnings"
      assert_equal printed, out
    end
  end

  def test_the_sync_example_converges
    out, err, status = Open3.capture3(RbConfig.ruby, "-w", File.join(ROOT, "examples", "sync.rb"))
    assert status.success?, err
    assert_match(/^alice compared with bob: equal$/, out)
    assert_equal 2, out.scan(/^  (?:alice|bob) +value=15 +\{"alice":5,"bob":10\}$/).size
    assert_match(/^anti-entropy alice -> bob: 3 of 102 slots \{"sensor-007":2,"sensor-042":2,"sensor-099":2\}$/, out)
    assert_match(/\nafter anti-entropy: alice compared with bob: equal\n\z/, out)
  end

  def test_the_gem_builds_with_every_library_file
    Dir.mktmpdir do |dir|
      gem = build_gem(dir)
      assert_equal "gcounter-#{GCounter::VERSION}.gem", File.basename(gem)
      spec = Gem::Package.new(gem).spec
      assert_equal "gcounter", spec.name
      assert_equal GCounter::VERSION, spec.version.to_s
      assert_equal ["ffi"], spec.runtime_dependencies.map(&:name)
      assert_equal Dir.glob("lib/**/*.rb", base: ROOT).sort, spec.files.grep(/\Alib/).sort
      assert_equal %w[LICENSE-APACHE LICENSE-MIT], spec.files.grep(/\ALICENSE/).sort
      assert_equal %w[Apache-2.0 MIT], spec.licenses.sort
    end
  end
end
