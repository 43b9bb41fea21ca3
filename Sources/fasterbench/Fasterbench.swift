import ArgumentParser
import FasterBenchKit
import Foundation
import YCSB

/// `fasterbench`: YCSB workloads against the FasterKV engine and a baseline, with YCSB's
/// command-line habits (`-P`, `-p`, `-threads`, `-target`, `-s`) and report format.
@main
struct Fasterbench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fasterbench",
    abstract: "Run YCSB workloads against swift-faster's FasterKV engine (or a baseline store).",
    discussion: """
      Properties come from --config (TOML) < each -P workload file < each -p name=value < the \
      dedicated options (-threads, -target, --seed, --warmup, --status-interval). Engine knobs are \
      faster.* properties: \(EngineKnobs.acceptedForms.map(\.name).joined(separator: ", ")). \
      Runner properties: threadcount, target, maxexecutiontime, status.interval, measurement.interval, \
      hdrhistogram.percentiles, hdrhistogram.fileoutput, measurementtype, exporter, exportfile, seed, warmup, \
      pregenerate (operations drawn per thread before the run phase, taking the generators out of the \
      timed loop). SIGINT, SIGTERM and SIGHUP stop a run with the report of what ran (exit 130, 143, 129); \
      a bad value exits 64. The report goes to stdout in YCSB's format; \
      status and warnings to stderr; --json writes the results file described in results/README.md.
      """,
    subcommands: [
      Load.self, Run.self, Keys.self, Suite.self, Compare.self, Baseline.self, Report.self, Sweep.self,
      Probe.self, Log.self, Textfile.self, Checkpoints.self, Recover.self,
    ])
}

extension Fasterbench {
  struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Load phase only: insert the workload's records and report it as YCSB's load does.")
    @OptionGroup var options: PhaseOptions
    func run() throws { try options.execute(.load) }
  }

  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Load, then run the operation mix; both phases reported (the load phase as # comments).")
    @OptionGroup var options: PhaseOptions
    func run() throws { try options.execute(.run) }
  }
}
