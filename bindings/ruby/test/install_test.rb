# frozen_string_literal: true

require_relative "test_helper"
require "fileutils"
require "open3"
require "rbconfig"
require "tmpdir"

# The install commands of the READMEs, run as they are written, each in a home directory of its
# own outside the repository, with the ffi gem that is already installed (Debian's ruby-ffi).
class InstallTest < Minitest::Test
  include GemBuild
  ROOT = File.expand_path("..", __dir__)
  README = File.read(File.join(ROOT, "README.md"))
  MAIN_README = File.read(File.expand_path("../../README.md", ROOT))
  REPOSITORY_LIBRARY = File.expand_path("../../target/release/libgcounter.so", ROOT)

  # The lines of the sh blocks of the README's Install section, without their comments.
  INSTALL_LINES = README[/^## Install\n(.*?)^## /m, 1].scan(/^```sh\n(.*?)^```\n/m).flatten
                                                       .flat_map(&:lines).map { |line| line.sub(/\s+#.*/, "").strip }
  GEM_INSTALLS = INSTALL_LINES.grep(/\A(GEM_HOME=\S+ )?gem install /)
  RUNS = INSTALL_LINES.grep(/\A(GEM_HOME=\S+ )?ruby -e /)

  def test_the_readme_shows_each_way_to_install_and_run
    platform_gem = "dist/gcounter-#{GCounter::VERSION}-x86_64-linux.gem"
    assert_equal ["gem install --local #{platform_gem}",
                  "gem install --local --user-install #{platform_gem}",
                  "GEM_HOME=~/gems gem install --local #{platform_gem}",
                  "gem install --local dist/gcounter-#{GCounter::VERSION}.gem"], GEM_INSTALLS
    assert_equal 2, RUNS.size
    GEM_INSTALLS.each { |command| refute_match(/ (-i|--install-dir)\b/, command) }
  end

  def test_the_main_readme_installs_the_gem_as_this_one_does
    ruby_section = MAIN_README[/^### Ruby\n(.*?)^### /m, 1]
    commands = ruby_section.scan(/`([^`]*\bgem install [^`]*)`/).flatten
    refute_empty commands
    commands.each { |command| assert_includes GEM_INSTALLS, command }
  end

  # Each command installs its gem, and the README's line for running then loads it from there;
  # the plain gem loads an installed library, a copy in a directory of LD_LIBRARY_PATH here.
  def test_each_readme_install_command_installs_a_gem_that_loads
    Dir.mktmpdir do |dir|
      dist = build_gems(dir)
      installed_library = File.join(dir, "installed")
      FileUtils.mkdir_p(installed_library)
      FileUtils.cp(REPOSITORY_LIBRARY, File.join(installed_library, "libgcounter.so.0"))

      GEM_INSTALLS.each_with_index do |command, index|
        home = File.join(dir, "home-#{index}")
        FileUtils.mkdir_p(home)
        FileUtils.cp_r(dist, home)
        File.write(File.join(home, ".gemrc"), "gem: --no-document\n")
        env = clean_env(home)
        # Running as root installs into Ruby's own gem directory: a test must not, so GEM_HOME
        # stands in for it.
        env["GEM_HOME"] = File.join(home, "system") unless command.match?(/GEM_HOME=|--user-install/)
        out, status = Open3.capture2e(env, "bash", "-c", command, chdir: home)
        assert status.success?, "#{command}\n#{out}"

        platform = !command.end_with?("-#{GCounter::VERSION}.gem")
        env["LD_LIBRARY_PATH"] = installed_library unless platform
        run = RUNS.find { |line| line.start_with?(command[/\AGEM_HOME=\S+ /].to_s + "ruby") }
        out, status = Open3.capture2e(env, "bash", "-c", run, chdir: home)
        assert status.success?, "#{command}\n#{run}\n#{out}"
        packaged = %r{\A#{Regexp.escape(home)}/\S*/gems/gcounter-#{GCounter::VERSION}-[^/]+/lib/gcounter/libgcounter\.so\n\z}
        assert_match platform ? packaged : /\Alibgcounter\.so\.0\n\z/, out, command
      end
    end
  end

  private

  # dist/ with both gems, built as make dist-ruby builds them, in +dir+.
  def build_gems(dir)
    dist = File.join(dir, "dist")
    FileUtils.mkdir_p(dist)
    FileUtils.mv(build_gem(File.join(dir, "plain")), dist)
    FileUtils.mv(build_gem(File.join(dir, "platform"), library: REPOSITORY_LIBRARY), dist)
    dist
  end

  # Nothing that points into this checkout, and the Ruby running this suite first on PATH.
  def clean_env(home)
    env = %w[RUBYLIB RUBYOPT GCOUNTER_LIB GEM_HOME GEM_PATH LD_LIBRARY_PATH].to_h { |name| [name, nil] }
    env.merge("HOME" => home, "PATH" => "#{RbConfig::CONFIG['bindir']}#{File::PATH_SEPARATOR}#{ENV.fetch('PATH')}")
  end
end
