import ArgumentParser
import FasterBenchKit
import Foundation

extension Fasterbench {
  struct Textfile: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Write a results file's verdict and figures in Prometheus text format (node_exporter's textfile collector).",
      discussion: """
        For the perf smoke job: medians over the repetitions of each workload's throughput and \
        per-operation p99, the job's exit status (--exit-code; 2 = regression), the commit and the \
        machine profile. The file is replaced atomically, so the collector never reads half of it.
        """)

    @Argument(help: "Results files (or folders of them).")
    var results: [String]

    @Option(help: "The file to write (name it *.prom for the textfile collector).")
    var output: String

    @Option(help: "The suite's name, the `suite` label of every series.")
    var suite = "smoke"

    @Option(help: "The job's exit status to report (0 ok, 2 regression, 3 not comparable, ...).")
    var exitCode = 0

    func run() throws {
      try GateCommandSupport.run {
        let file = try GateCommandSupport.loadResults(results)
        do {
          try AtomicFileWriter.write(
            SmokeTextfile.render(results: file, suite: suite, exitCode: exitCode), to: output)
        } catch {
          throw GateError(.input, "\(error)")
        }
        StatusSink.standardError.write("fasterbench: metrics written to \(output) (Prometheus text format)")
      }
    }
  }
}
