import ArgumentParser
import FasterBenchKit
import Foundation
import YCSB

extension Fasterbench {
  struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print key numbers drawn by the workload's request chooser, one per line.")

    @Option(name: .customShort("P"), help: "A YCSB workload property file; repeatable, later files win.")
    var workloadFiles: [String] = []

    @Option(name: .customShort("p"), help: "A property, name=value; repeatable.")
    var properties: [String] = []

    // Read as text so that a negative value says "must be ≥ 0" rather than "Missing value".
    @Option(parsing: .unconditional, help: "How many key numbers to print.")
    var count: String

    @Option(parsing: .unconditional, help: "Seed of the generator (random when absent).")
    var seed: String?

    @Option(help: "A TOML file of properties, the lowest-precedence layer.")
    var config: String?

    @Flag(
      help: """
        Print the operations instead: READ k, UPDATE k, INSERT k (acknowledged, so 'latest' follows it),         SCAN k length, READ-MODIFY-WRITE k, as thread 0 of a one-thread run draws them.
        """)
    var operations = false

    func run() throws {
      guard let count = Int(count), count >= 0 else {
        throw ValidationError("--count \(count): must be ≥ 0; expected a number of keys, e.g. --count 1000")
      }
      var commandLine = Properties()
      if let seed { commandLine["seed"] = seed }
      let configuration = try BenchmarkConfiguration(
        sources: .init(
          configFile: config, workloadFiles: workloadFiles, overrides: properties, commandLine: commandLine))
      for warning in configuration.warnings { StatusSink.standardError.write(warning) }
      if operations {
        KeySampler.writeOperations(configuration: configuration, count: count) { print($0) }
      } else {
        KeySampler.write(configuration: configuration, count: count) { print($0) }
      }
    }
  }
}
