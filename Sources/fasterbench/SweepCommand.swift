import ArgumentParser
import FasterBenchKit
import Foundation
import YCSB

extension Fasterbench {
  struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Run a workload at each point of one or more knobs' values, repeated, and name the best point.",
      discussion: """
        Each --vary name=v1,v2,... is one dimension; the points are their cartesian product, run \
        interleaved (every point once, then again, ...). Prints throughput and p99 (all operations) with \
        their noise per point, and the best point by median throughput with its margin over the next best \
        (bootstrap 95% interval, Mann-Whitney p). Writes a chart page (--html) and, with --json, the runs.
        """)

    @Argument(help: "The store to drive: \(BindingKind.acceptedForm).")
    var binding = "faster"

    @Option(name: .customShort("P"), help: "A YCSB workload property file; repeatable, later files win.")
    var workloadFiles: [String] = []

    @Option(name: .customShort("p"), help: "A property, name=value; repeatable.")
    var properties: [String] = []

    @Option(help: "A dimension: name=v1,v2,...; repeatable.")
    var vary: [String] = []

    @Option(
      name: .customLong("threads", withSingleDash: true), help: "Worker threads (property threadcount).")
    var threads: Int?

    @Option(help: "Seed of the generators, the same for every run (random when absent).")
    var seed: UInt64?

    @Option(help: "A TOML file of properties, the lowest-precedence layer.")
    var config: String?

    @Option(name: .customLong("repeat"), help: "Repetitions of each point.")
    var repetitions = 5

    @Option(help: "Write the chart page here (default results/runs/sweep-<time>.html).")
    var html: String?

    @Option(help: "Write the runs' results file here.")
    var json: String?

    func run() throws {
      guard let kind = BindingKind(rawValue: binding) else {
        throw ValidationError("unknown binding '\(binding)': expected one of \(BindingKind.acceptedForm)")
      }
      guard !workloadFiles.isEmpty || config != nil else { throw ValidationError("give a -P workload file") }
      guard !vary.isEmpty else { throw ValidationError("give at least one --vary name=v1,v2,...") }
      guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
      try GateCommandSupport.run {
        var dimensions: [KnobSweep.Dimension] = []
        for argument in vary { dimensions.append(try KnobSweep.Dimension(argument: argument)) }
        var commandLine = Properties()
        if let threads { commandLine["threadcount"] = String(threads) }
        if let seed { commandLine["seed"] = String(seed) }
        let points = KnobSweep.points(dimensions)
        var entries: [RepeatedRuns.Entry] = []
        for point in points {
          var pointProperties = commandLine
          for assignment in point.assignments { pointProperties[assignment.name] = assignment.value }
          do {
            let configuration = try BenchmarkConfiguration(
              sources: .init(
                configFile: config, workloadFiles: workloadFiles, overrides: properties,
                commandLine: pointProperties))
            entries.append(.init(label: point.label, configuration: configuration))
          } catch {
            throw GateError(.usage, "point \(point.label): \(error)")
          }
        }
        let records: [RunRecord]
        do {
          records = try RepeatedRuns.run(
            entries, binding: kind, repetitions: repetitions, output: RepeatedRuns.quietOutput())
        } catch {
          throw GateError(.input, "\(error)")
        }
        let summaries = KnobSweep.summarize(records, points: points)
        for line in KnobSweep.report(summaries) { print(line) }
        let file = ResultsFile(runs: records)
        let stamp = file.createdAt.replacingOccurrences(of: ":", with: "").replacingOccurrences(
          of: "-", with: "")
        let chart = html ?? "results/runs/sweep-\(stamp).html"
        let title =
          "sweep of \(RepeatedRuns.label(workloadFiles: workloadFiles, configFile: config)): "
          + dimensions.map(\.name).joined(separator: " x ")
        do {
          try AtomicFileWriter.write(KnobSweep.html(summaries, title: title), to: chart)
        } catch {
          throw GateError(.input, "\(error)")
        }
        StatusSink.standardError.write("fasterbench: chart written to \(chart)")
        if let json {
          var kept = file
          kept.runs = HistogramRetention.first.apply(to: records)
          let path = try GateResultsWriter.write(kept, to: json, pretty: false)
          StatusSink.standardError.write("fasterbench: results written to \(path)")
        }
      }
    }
  }
}
