import ArgumentParser
import FasterBenchKit
import Foundation

extension Fasterbench {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write one self-contained HTML page (inline SVG, no network) of results files.",
      discussion: """
        Charts: throughput per workload against the baseline, latency percentile curves (log scale), \
        throughput over time per run, and the smoke job's history trend (--history). With --baseline \
        (or --baseline-name), the first results file is also compared against it.
        """)

    @Argument(help: "Results files (or folders of them); each is one series in the charts.")
    var results: [String]

    @Option(help: "The HTML file to write.")
    var html: String

    @Option(help: "A baseline results file to draw and compare against.")
    var baseline: String?

    @Option(help: "Or the committed baseline of this name for the first file's machine profile.")
    var baselineName: String?

    @Option(help: "The folder of committed baselines.")
    var baselinesDirectory = "results/baselines"

    @Option(help: "The smoke job's history file (JSON Lines) for the trend chart.")
    var history: String?

    @Option(help: "The page title.")
    var title = "fasterbench report"

    @Option(help: "A thresholds file (TOML); default results/thresholds.toml when it exists.")
    var thresholds: String?

    func run() throws {
      try GateCommandSupport.run {
        var inputs: [HTMLReport.Input] = []
        for path in results {
          inputs.append(
            .init(
              name: URL(fileURLWithPath: path).lastPathComponent,
              file: try GateCommandSupport.loadResults([path])))
        }
        var baselineInput: HTMLReport.Input?
        if let baseline {
          baselineInput = .init(
            name: URL(fileURLWithPath: baseline).lastPathComponent,
            file: try ResultsLoader.load(path: baseline))
        } else if let baselineName {
          let profile = inputs[0].file.runs[0].machine.profileName
          let store = BaselineStore(root: baselinesDirectory)
          if FileManager.default.fileExists(atPath: store.path(name: baselineName, profile: profile)) {
            baselineInput = .init(
              name: "baseline \(baselineName)", file: try store.load(name: baselineName, profile: profile))
          } else {
            StatusSink.standardError.write(
              "fasterbench: no baseline '\(baselineName)' for \(profile); drawn without one")
          }
        }
        var entries: [GateHistoryEntry] = []
        if let history, FileManager.default.fileExists(atPath: history) {
          entries = try GateHistoryEntry.read(path: history)
        }
        let report = HTMLReport(
          title: title, inputs: inputs, baseline: baselineInput, history: entries,
          thresholds: try GateCommandSupport.thresholds(file: thresholds, arguments: []))
        do {
          try AtomicFileWriter.write(report.html(), to: html)
        } catch {
          throw GateError(.input, "\(error)")
        }
        StatusSink.standardError.write("fasterbench: report written to \(html)")
      }
    }
  }
}
