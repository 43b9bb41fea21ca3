import ArgumentParser
import FasterBenchKit
import FasterStorage
import Foundation

extension Fasterbench {
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract:
        "FasterLog workload: N producers append entries under a commit policy; appends/s, MB/s, commit latency."
    )

    @Option(help: "Producer threads.")
    var producers: Int = 2

    @Option(help: "Payload bytes per entry.")
    var entryBytes: Int = 100

    @Option(help: "Commit policy: manual (a committer loops), bytes:<n>, ms:<n> or page.")
    var commitPolicy: String = "ms:5"

    @Option(help: "Timed run length in seconds.")
    var seconds: Double = 5

    @Option(help: "Device: uring, file or null.")
    var device: String = "uring"

    @Option(help: "Directory for the log (emptied first).")
    var directory: String = NSTemporaryDirectory() + "fasterbench-log"

    func run() throws {
      guard let policy = LogBenchmark.parsePolicy(commitPolicy) else {
        throw ValidationError("--commit-policy \(commitPolicy): use manual, bytes:<n>, ms:<n> or page")
      }
      guard let kind = DeviceKind(rawValue: device) else {
        throw ValidationError("--device \(device): use uring, file or null")
      }
      guard producers > 0, entryBytes >= 0, seconds > 0 else {
        throw ValidationError("--producers and --seconds must be positive, --entry-bytes >= 0")
      }
      var benchmark = LogBenchmark(directory: directory)
      benchmark.producers = producers
      benchmark.entryBytes = entryBytes
      benchmark.seconds = seconds
      benchmark.commitPolicy = policy
      benchmark.device = kind
      let result = try benchmark.run()
      print(
        "[FASTERLOG] producers: \(producers), entry bytes: \(entryBytes), policy: \(commitPolicy), device: \(device)"
      )
      print("[FASTERLOG] \(result.text)")
    }
  }
}
