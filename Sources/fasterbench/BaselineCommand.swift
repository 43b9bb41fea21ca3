import ArgumentParser
import FasterBenchKit
import Foundation

extension Fasterbench {
  struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Manage the committed baselines in results/baselines/<machine profile>/<name>.json.",
      subcommands: [Update.self, Show.self, Path.self])
  }
}

extension Fasterbench.Baseline {
  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a baseline from results files (a release build's repeated runs; histograms dropped).",
      discussion: """
        The baseline goes to <baselines-directory>/<the runs' machine profile>/<name>.json. Refused, \
        with nothing written, when the runs mix machine profiles, come from a debug build (--force \
        accepts it) or repeat a workload with different settings.
        """)

    @Argument(help: "Results files or folders (from `fasterbench suite ... --json`).")
    var results: [String]

    @Option(help: "The baseline's name.")
    var name = "smoke"

    @Option(help: "The folder of committed baselines.")
    var baselinesDirectory = "results/baselines"

    @Flag(help: "Accept a debug build.")
    var force = false

    func run() throws {
      try GateCommandSupport.run {
        let file = try GateCommandSupport.loadResults(results)
        let store = BaselineStore(root: baselinesDirectory)
        let profile = file.runs[0].machine.profileName
        let replaces = FileManager.default.fileExists(atPath: store.path(name: name, profile: profile))
        let path = try store.update(name: name, from: file, force: force)
        let workloads = WorkloadSeries.group(file)
        StatusSink.standardError.write(
          "fasterbench: baseline \(replaces ? "replaced" : "written"): \(path) (\(workloads.count) workloads, "
            + "\(file.runs.count) runs)")
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a baseline: where and what it was measured on, and each workload's figures.")

    @Argument(help: "A baseline or results file; default: the baseline --name for this machine.")
    var file: String?

    @Option(help: "The baseline's name.")
    var name = "smoke"

    @Option(help: "The machine profile (default: this machine's).")
    var profile: String?

    @Option(help: "The folder of committed baselines.")
    var baselinesDirectory = "results/baselines"

    func run() throws {
      try GateCommandSupport.run {
        let results: ResultsFile
        if let file {
          results = try ResultsLoader.load(path: file)
        } else {
          results = try BaselineStore(root: baselinesDirectory).load(
            name: name, profile: profile ?? BaselineStore.currentProfile)
        }
        for line in ResultsSummary.lines(results) { print(line) }
      }
    }
  }

  struct Path: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the path of the baseline --name for this machine (whether or not it exists).")

    @Option(help: "The baseline's name.")
    var name = "smoke"

    @Option(help: "The folder of committed baselines.")
    var baselinesDirectory = "results/baselines"

    func run() {
      print(BaselineStore(root: baselinesDirectory).path(name: name, profile: BaselineStore.currentProfile))
    }
  }
}
