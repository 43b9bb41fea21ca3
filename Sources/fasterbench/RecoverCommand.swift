import ArgumentParser
import FasterBenchKit
import Foundation

extension Fasterbench {
  struct Recover: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Load a store, checkpoint it, drop it and time its recovery against the device's sequential read speed.",
      discussion: """
        Loads the workload's records (the load phase, with -threads) into the faster binding on \
        faster.device (uring or file), takes one full checkpoint of faster.checkpoint.kind \
        (foldover, the default, or snapshot) with the index, closes the store and the device, drops \
        their files from the page cache (fdatasync + POSIX_FADV_DONTNEED), then times opening the \
        device, recovering and the first successful read of a loaded key. Afterwards it reads up to \
        1000 loaded keys back (all must be there) and reads every file of the log and checkpoint \
        directories once, sequentially, with O_DIRECT (or through an emptied page cache where the \
        file system refuses O_DIRECT): the device's sequential read speed, against which the \
        recovery's bytes read are compared. faster.path (default: a temporary directory, removed \
        after) holds the log; faster.checkpoint.dir the checkpoint. The report goes to stdout as \
        [RECOVERY] and [SEQUENTIAL-READ] lines; --json writes a results file (command recover). \
        Exit status: 0 recovered, 1 the load, checkpoint or recovery failed, 64 a bad value.
        """)

    @OptionGroup var options: PhaseOptions

    func run() throws {
      guard options.binding == "faster" else {
        throw ValidationError("recover measures the faster binding only (got '\(options.binding)')")
      }
      guard options.repetitions == 1 else { throw ValidationError("recover takes no --repeat") }
      // Background checkpoints are off: the command takes its own one checkpoint, and the
      // kind knob is accepted without an interval.
      var configuration = try options.makeConfiguration(adding: ["faster.checkpoint.interval": "0"])
      configuration.runner.printsStatus = options.status
      guard let device = configuration.knobs.device, device != .null else {
        FileHandle.standardError.write(
          Data(
            "Error: recover needs a device that keeps its data: set -p faster.device=uring (or file)\n".utf8))
        throw ExitCode(64)
      }
      let record: RunRecord
      do {
        record = try RecoveryMeasurement.execute(configuration: configuration)
      } catch {
        StatusSink.standardError.write("fasterbench: error: \(error.description)")
        throw ExitCode.failure
      }
      if let json = options.json {
        let path = try ResultsFile(runs: [record]).write(to: json)
        StatusSink.standardError.write("fasterbench: results written to \(path)")
      }
    }
  }
}
