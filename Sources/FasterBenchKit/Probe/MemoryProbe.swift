import FasterPlatform

/// Measures this machine's random-memory limits, the wall a hash store's operations sit
/// against: the latency of one dependent random load (a pointer chase: each load's
/// address comes from the previous one, as a bucket then its record do) and the rate of
/// independent random 8-byte loads (which the CPU overlaps: the ceiling a batched,
/// prefetching pipeline can approach). Run in the same job as a benchmark so that
/// ns/op is read against the machine's own limit.
///
/// Thread safety: one probe per thread; it owns its buffer.
public struct MemoryProbe: Sendable {
  /// What one probe measured.
  public struct Result: Sendable, Equatable, Codable {
    /// Bytes of the buffer the loads land in (far larger than the caches).
    public var bufferBytes: Int
    /// Nanoseconds per dependent random load (median of the repetitions).
    public var dependentLoadNanoseconds: Double
    /// Independent random 8-byte loads per second on one thread (median).
    public var independentLoadsPerSecond: Double
    /// Bytes of the buffer the kernel backed with huge pages.
    public var hugePageBytes: Int
  }

  /// Buffer size in bytes: a power of two, at least 64 MiB, so the loads miss the caches.
  public var bufferBytes: Int
  /// Loads per measurement.
  public var loadCount: Int
  /// Measurements; the median is reported.
  public var repetitions: Int

  public init(bufferBytes: Int = 1 << 30, loadCount: Int = 20_000_000, repetitions: Int = 3) {
    self.bufferBytes = bufferBytes
    self.loadCount = loadCount
    self.repetitions = repetitions
  }

  /// Runs the probe.
  ///
  /// - Throws: `PlatformError` if the buffer cannot be allocated.
  public func run(seed: UInt64 = 0x9E37_79B9_7F4A_7C15) throws(PlatformError) -> Result {
    precondition(
      bufferBytes >= 1 << 26 && bufferBytes.nonzeroBitCount == 1, "bufferBytes: a power of two >= 64 MiB")
    precondition(loadCount > 0 && repetitions > 0, "loadCount and repetitions must be positive")
    let region = try PageAllocator.allocate(byteCount: bufferBytes, alignment: 1 << 21, hugePages: .madvise)
    defer { PageAllocator.deallocate(region) }
    let lines = bufferBytes / 64
    let words = region.base.bindMemory(to: UInt64.self, capacity: bufferBytes / 8)
    MemoryProbe.linkRandomCycle(words, lines: lines, seed: seed)
    var dependent: [Double] = []
    var independent: [Double] = []
    for repetition in 0..<repetitions {
      dependent.append(MemoryProbe.chase(words, steps: loadCount))
      independent.append(
        MemoryProbe.independentLoads(words, lines: lines, count: loadCount, seed: seed &+ UInt64(repetition)))
    }
    return Result(
      bufferBytes: bufferBytes, dependentLoadNanoseconds: MemoryProbe.median(dependent),
      independentLoadsPerSecond: MemoryProbe.median(independent),
      hugePageBytes: PageAllocator.hugePageBytes(in: region))
  }

  /// Makes the first word of each 64-byte line hold the index of the next line of one
  /// random cycle through all lines (Sattolo's algorithm), so a chase visits every line.
  static func linkRandomCycle(_ words: UnsafeMutablePointer<UInt64>, lines: Int, seed: UInt64) {
    var random = seed | 1
    for line in 0..<lines { words[line &* 8] = UInt64(line) }
    var index = lines - 1
    while index > 0 {
      random = MemoryProbe.next(random)
      let other = Int(random % UInt64(index))  // in 0..<index: a single cycle
      let swapped = words[index &* 8]
      words[index &* 8] = words[other &* 8]
      words[other &* 8] = swapped
      index -= 1
    }
  }

  /// Nanoseconds per load of a chase of `steps` dependent loads.
  static func chase(_ words: UnsafeMutablePointer<UInt64>, steps: Int) -> Double {
    var line: UInt64 = 0
    let start = monotonicNanoseconds()
    for _ in 0..<steps { line = words[Int(line) &* 8] }
    let elapsed = monotonicNanoseconds() - start
    precondition(line != UInt64.max)  // keeps the chase from being optimised away
    return Double(elapsed) / Double(steps)
  }

  /// Loads per second of `count` loads at addresses that do not depend on each other.
  static func independentLoads(_ words: UnsafeMutablePointer<UInt64>, lines: Int, count: Int, seed: UInt64)
    -> Double
  {
    let mask = UInt64(lines - 1)
    var random = seed | 1
    var sum: UInt64 = 0
    let start = monotonicNanoseconds()
    for _ in 0..<count {
      random = MemoryProbe.next(random)
      sum &+= words[Int(random & mask) &* 8]
    }
    let elapsed = monotonicNanoseconds() - start
    precondition(sum != 1)  // keeps the loads from being optimised away
    return Double(count) / (Double(elapsed) / 1e9)
  }

  /// xorshift64: cheap enough not to hide the loads it addresses.
  @inline(__always)
  static func next(_ state: UInt64) -> UInt64 {
    var x = state
    x ^= x << 13
    x ^= x >> 7
    x ^= x << 17
    return x
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }
}
