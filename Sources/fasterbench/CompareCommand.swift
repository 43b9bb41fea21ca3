import ArgumentParser
import FasterBenchKit
import Foundation

extension Fasterbench {
  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Compare a candidate's results with a baseline: a verdict per workload, operation and metric.",
      discussion: """
        A row is a regression when the rank test finds the sides different (p < alpha, default 0.05) \
        and the change is worse than the metric's threshold (default: throughput 5%, p50 10%, p99 10%, \
        p99.9 20%, harness 15%; results/thresholds.toml, then --threshold). Unpaired (default): \
        Mann-Whitney U over the repetitions; --paired: the i-th candidate run against the i-th baseline \
        run (A/B runs in turn), signed-rank test of the log ratios. Exit codes: 0 no regression, \
        1 unreadable input, 2 regression, 3 not comparable (other machine profile, build configuration \
        or workload; --force overrides), 4 improvements only, 64 usage error.
        """)

    @Argument(help: "The candidate: a results file, or a folder of them.")
    var candidate: String

    @Argument(help: "The baseline: a results file or a folder (or use --baseline-name).")
    var baseline: String?

    @Option(help: "Compare against the committed baseline of this name for the candidate's machine profile.")
    var baselineName: String?

    @Option(help: "The folder of committed baselines.")
    var baselinesDirectory = "results/baselines"

    @Flag(help: "Pair the i-th candidate run with the i-th baseline run (A/B runs in turn).")
    var paired = false

    @Option(help: "A thresholds file (TOML); default results/thresholds.toml when it exists.")
    var thresholds: String?

    @Option(
      name: .customLong("threshold"),
      help: "metric=percent, workload:metric=percent or alpha=value; repeatable, wins over the file.")
    var thresholdArguments: [String] = []

    @Flag(help: "Compare even when machine, build configuration or workload differ (noted in the output).")
    var force = false

    @Flag(help: "Ignore a calibration workload present on both sides (compare raw figures).")
    var uncalibrated = false

    @Flag(help: "Print only the rows that are not 'ok'.")
    var changesOnly = false

    @Option(help: "Also write the comparison as markdown here.")
    var markdown: String?

    @Option(help: "Append one line for this run to this history file (JSON Lines).")
    var history: String?

    @Option(help: "The suite name recorded in the history line.")
    var suite = "smoke"

    @Option(help: "The run folder recorded in the history line.")
    var runDirectory: String?

    func run() throws {
      guard (baseline == nil) != (baselineName == nil) else {
        throw ValidationError("give either a baseline file or --baseline-name, not both or neither")
      }
      var exitCode = GateExitCode.success
      try GateCommandSupport.run {
        let candidateFile = try GateCommandSupport.loadResults([candidate])
        let baselineFile: ResultsFile
        if let baseline {
          baselineFile = try GateCommandSupport.loadResults([baseline])
        } else {
          let profile = candidateFile.runs[0].machine.profileName
          baselineFile = try BaselineStore(root: baselinesDirectory).load(
            name: baselineName!, profile: profile)
        }
        let limits = try GateCommandSupport.thresholds(file: thresholds, arguments: thresholdArguments)
        let comparison = try Comparison(
          candidate: candidateFile, baseline: baselineFile, thresholds: limits,
          mode: paired ? .paired : .unpaired,
          force: force, calibrated: !uncalibrated)
        for line in ComparisonReport.text(comparison, changesOnly: changesOnly) { print(line) }
        if let markdown {
          do {
            try ComparisonReport.markdown(comparison).write(
              toFile: markdown, atomically: true, encoding: .utf8)
          } catch {
            throw GateError(.input, "cannot write \(markdown): \(error.localizedDescription)")
          }
        }
        if let history {
          try GateHistoryEntry(
            suite: suite, candidate: candidateFile, comparison: comparison, run: runDirectory
          )
          .append(to: history)
        }
        exitCode = comparison.exitCode
      }
      if exitCode != .success { throw ExitCode(exitCode.rawValue) }
    }
  }
}
