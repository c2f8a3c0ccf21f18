# frozen_string_literal: true

# A replica of the convergence example in Ruby, over the gcounter binding (ffi gem).
#
# Usage: ruby -I bindings/ruby/lib replica.rb DIR SEED, then commands on standard input
# (see ../coordinator.py).

require "gcounter"

# Joins every message in the inbox, in name order; returns how many were refused.
def drain(counter, inbox)
  refused = 0
  Dir.children(inbox).sort.each do |name|
    next if name.start_with?(".")

    path = File.join(inbox, name)
    message = File.binread(path)
    File.delete(path)
    begin
      counter.join_json(message)
    rescue GCounter::InvalidJSONError
      refused += 1 # cut short in transit; the counter is unchanged
    end
  end
  refused
end

# Writes a message atomically: to a hidden name, then renamed.
def send_message(outbox, name, payload)
  temporary = File.join(outbox, ".#{name}")
  File.binwrite(temporary, payload)
  File.rename(temporary, File.join(outbox, name))
end

directory = ARGV.fetch(0)
rng = Random.new(Integer(ARGV.fetch(1)))
agent_id = File.read(File.join(directory, "agent_id"), encoding: "UTF-8")
inbox = File.join(directory, "inbox")
outbox = File.join(directory, "outbox")
$stdout.sync = true
counter = GCounter::Counter.new
own = 0
refused = 0

$stdin.each_line do |line|
  command, number = line.split
  break if command == "quit"

  refused += drain(counter, inbox)
  case command
  when "round"
    rng.rand(4).times do
      by = rng.rand(1..9)
      counter.increment(agent_id, by)
      own += by
    end
    payload = if rng.rand(4).zero?
                counter.to_json # the full state
              else
                delta = counter.take_delta # what rose since the last delta
                delta.to_json.tap { delta.close }
              end
    send_message(outbox, format("%04d.json", Integer(number)), payload)
  when "final"
    send_message(outbox, "final.json", counter.to_json)
  when "report"
    File.binwrite(File.join(directory, "state.json"), counter.to_json)
  end
  puts "ok #{own} #{counter.value} #{refused}"
end
counter.close
