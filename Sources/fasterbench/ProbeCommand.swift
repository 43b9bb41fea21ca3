import ArgumentParser
import FasterBenchKit
import Foundation

extension Fasterbench {
  struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Measure this machine's random-memory limits: dependent-load latency and independent loads/s.",
      discussion: """
        A hash store's operation is two dependent cache misses (bucket, then record); batched \
        operations overlap the misses of several. Read a run's ns/op against these two figures, \
        measured on the same machine in the same job.
        """)

    @Option(help: "Buffer size in MiB (a power of two, at least 64; far larger than the caches).")
    var bufferMib: Int = 1024

    @Option(help: "Loads per measurement.")
    var loads: Int = 20_000_000

    @Option(name: .customLong("repeat"), help: "Measurements; the median is printed.")
    var repetitions: Int = 3

    func validate() throws {
      guard bufferMib >= 64, bufferMib.nonzeroBitCount == 1, bufferMib <= 1 << 20 else {
        throw ValidationError("--buffer-mib \(bufferMib): must be a power of two from 64 to 1048576")
      }
      guard (1...1_000_000_000).contains(loads) else {
        throw ValidationError("--loads \(loads): must be 1…1e9")
      }
      guard (1...100).contains(repetitions) else {
        throw ValidationError("--repeat \(repetitions): must be 1…100")
      }
    }

    func run() throws {
      let probe = MemoryProbe(bufferBytes: bufferMib << 20, loadCount: loads, repetitions: repetitions)
      let result = try probe.run()
      print(String(format: "[PROBE], DependentLoadLatency(ns), %.1f", result.dependentLoadNanoseconds))
      print(String(format: "[PROBE], IndependentLoads(M/s), %.1f", result.independentLoadsPerSecond / 1e6))
      print("[PROBE], BufferBytes, \(result.bufferBytes)")
      print("[PROBE], HugePageBytes, \(result.hugePageBytes)")
    }
  }
}
