# frozen_string_literal: true

require_relative "test_helper"
require "fileutils"
require "open3"
require "rbconfig"
require "tmpdir"

# How `require "gcounter"` finds libgcounter: each case in a fresh Ruby process.
class LibraryTest < Minitest::Test
  LIB_DIR = File.expand_path("../lib", __dir__)
  REPOSITORY_LIBRARY = File.expand_path("../../../target/release/libgcounter.so", LIB_DIR)
  PRINT_PATH = 'require "gcounter"; print GCounter.library_path, " ", GCounter::Counter.new.increment("a").value'

  def test_the_repository_build_is_found_without_any_environment_variable
    assert File.exist?(REPOSITORY_LIBRARY), "make lib has run"
    out, err, status = run_ruby(PRINT_PATH, lib_dir: LIB_DIR, env: { "GCOUNTER_LIB" => nil })
    assert status.success?, err
    if system_library_installed? # an installed library comes before the checkout's
      assert_match(/\Alibgcounter\.so(\.0)? 1\z/, out)
    else
      assert_equal "#{REPOSITORY_LIBRARY} 1", out
    end
  end

  def test_the_library_inside_a_platform_gem_comes_first
    Dir.mktmpdir do |dir|
      gem_lib = install_gem_outside_the_repository(dir)
      packaged = File.join(gem_lib, "gcounter", "libgcounter.so")
      FileUtils.cp(REPOSITORY_LIBRARY, packaged)
      loader_dir = File.join(dir, "loader")
      FileUtils.mkdir_p(loader_dir)
      FileUtils.cp(REPOSITORY_LIBRARY, File.join(loader_dir, "libgcounter.so.0"))
      env = { "GCOUNTER_LIB" => nil, "LD_LIBRARY_PATH" => loader_dir }
      out, err, status = run_ruby(PRINT_PATH, lib_dir: gem_lib, env: env)
      assert status.success?, err
      assert_equal "#{packaged} 1", out
    end
  end

  def test_a_gem_outside_a_checkout_does_not_look_for_one_around_it
    Dir.mktmpdir do |dir|
      # The layout of a checkout, with a target/release library, but no Cargo.toml at its root.
      gem_lib = File.join(dir, "bindings", "ruby", "lib")
      FileUtils.mkdir_p(File.dirname(gem_lib))
      FileUtils.cp_r(LIB_DIR, gem_lib)
      FileUtils.mkdir_p(File.join(dir, "target", "release"))
      FileUtils.cp(REPOSITORY_LIBRARY, File.join(dir, "target", "release"))
      code = 'require "gcounter"; p GCounter::Native::REPOSITORY_LIBRARY'
      out, err, status = run_ruby(code, lib_dir: gem_lib, env: { "GCOUNTER_LIB" => REPOSITORY_LIBRARY })
      assert status.success?, err
      assert_equal "nil\n", out
    end
  end

  def test_gcounter_lib_overrides_the_repository_build
    Dir.mktmpdir do |dir|
      copy = File.join(dir, "libgcounter-copy.so")
      FileUtils.cp(REPOSITORY_LIBRARY, copy)
      out, err, status = run_ruby(PRINT_PATH, lib_dir: LIB_DIR, env: { "GCOUNTER_LIB" => copy })
      assert status.success?, err
      assert_equal "#{copy} 1", out
    end
  end

  def test_a_gcounter_lib_that_cannot_load_fails_the_require_and_says_how_to_fix_it
    missing = "/nonexistent/libgcounter.so"
    _out, err, status = run_ruby(PRINT_PATH, lib_dir: LIB_DIR, env: { "GCOUNTER_LIB" => missing })
    refute status.success?
    assert_match(/LoadError/, err)
    assert_match(/libgcounter could not be loaded \(tried: #{Regexp.escape(missing)}\)/, err)
    assert_match(/GCOUNTER_LIB/, err)
    assert_match(/make lib/, err)
  end

  def test_an_installed_library_is_found_by_the_dynamic_loader_by_soname
    Dir.mktmpdir do |dir|
      gem_lib = install_gem_outside_the_repository(dir)
      loader_dir = File.join(dir, "loader")
      FileUtils.mkdir_p(loader_dir)
      FileUtils.cp(REPOSITORY_LIBRARY, File.join(loader_dir, "libgcounter.so.0"))
      env = { "GCOUNTER_LIB" => nil, "LD_LIBRARY_PATH" => loader_dir }
      out, err, status = run_ruby(PRINT_PATH, lib_dir: gem_lib, env: env)
      assert status.success?, err
      assert_equal "libgcounter.so.0 1", out
    end
  end

  def test_an_installed_gem_without_the_library_fails_listing_what_it_tried
    Dir.mktmpdir do |dir|
      gem_lib = install_gem_outside_the_repository(dir)
      env = { "GCOUNTER_LIB" => nil, "LD_LIBRARY_PATH" => dir }
      out, err, status = run_ruby(PRINT_PATH, lib_dir: gem_lib, env: env)
      if system_library_installed?
        assert status.success?, "an installed libgcounter is found: #{err}"
        assert_match(/\Alibgcounter\.so(\.0)? 1\z/, out)
      else
        refute status.success?
        assert_match(/libgcounter could not be loaded \(tried: libgcounter.so.0, gcounter\)/, err)
      end
    end
  end

  def test_library_path_and_version_describe_the_loaded_library
    override = ENV.fetch("GCOUNTER_LIB", "")
    if override.empty? && system_library_installed?
      assert_match(/\Alibgcounter\.so(\.0)?\z/, GCounter.library_path)
    else
      expected = override.empty? ? REPOSITORY_LIBRARY : override
      assert_equal File.realpath(expected), File.realpath(GCounter.library_path)
    end
    assert_match(/\A\d+\.\d+\.\d+/, GCounter.library_version)
  end

  private

  # Copies the gem's lib/ where ../../../target/release does not exist, as an installed gem is.
  def install_gem_outside_the_repository(dir)
    gem_lib = File.join(dir, "gems", "gcounter", "lib")
    FileUtils.mkdir_p(File.dirname(gem_lib))
    FileUtils.cp_r(LIB_DIR, gem_lib)
    refute File.exist?(File.expand_path("../../../target/release/libgcounter.so", gem_lib))
    gem_lib
  end

  def system_library_installed?
    `ldconfig -p 2>/dev/null`.match?(/\blibgcounter\.so/)
  end

  def run_ruby(code, lib_dir:, env:)
    Open3.capture3(env, RbConfig.ruby, "-I", lib_dir, "-e", code)
  end
end
