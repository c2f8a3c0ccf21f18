# frozen_string_literal: true

# Runs every *_test.rb here in one process, so minitest reports the whole suite in one
# closing line. Arguments go to minitest: ruby test/run.rb --seed 42 -n /join/
Dir.glob(File.join(__dir__, "*_test.rb")).sort.each { |file| require file }
