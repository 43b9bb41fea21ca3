import Testing

@testable import FasterBenchKit

@Suite struct MemoryProbeTests {
  /// The chase must visit every line once per lap: one cycle, not several short ones
  /// (a short cycle would stay in the cache and report cache latency).
  @Test func theChaseIsOneCycleThroughEveryLine() {
    let lines = 4096
    let words = UnsafeMutablePointer<UInt64>.allocate(capacity: lines * 8)
    defer { words.deallocate() }
    MemoryProbe.linkRandomCycle(words, lines: lines, seed: 12345)
    var seen = Set<UInt64>()
    var line: UInt64 = 0
    for _ in 0..<lines {
      #expect(seen.insert(line).inserted, "line \(line) visited twice before the lap ended")
      line = words[Int(line) * 8]
    }
    #expect(line == 0 && seen.count == lines)
  }

  @Test func aSmallProbeReportsBothFigures() throws {
    let result = try MemoryProbe(bufferBytes: 1 << 26, loadCount: 100_000, repetitions: 1).run()
    #expect(result.dependentLoadNanoseconds > 0)
    #expect(result.independentLoadsPerSecond > 0)
    #expect(result.bufferBytes == 1 << 26)
  }
}
