import CFasterShims

#if canImport(Glibc)
  import Glibc
#endif

/// A cheap tick counter for timing operations, and its calibration to nanoseconds.
///
/// ``now()`` reads the CPU's cycle counter (`rdtsc` on x86_64, `cntvct_el0` on aarch64), about
/// 10 ns per read. ``shared`` is calibrated once, lazily, against `CLOCK_MONOTONIC`: the median
/// tick rate of several short windows (about 30 ms in all), so one preempted window on a busy
/// machine does not skew it. If the counter reads 0 or goes backwards, ``now()`` returns
/// `CLOCK_MONOTONIC` nanoseconds instead, ``source`` says `"clock_gettime"` and
/// ``ticksPerNanosecond`` is 1.
///
/// Ticks are only comparable within one process; subtract two reads and convert the difference
/// with ``nanoseconds(_:)``.
///
/// Thread safety: an immutable value; ``now()`` and ``shared`` are safe from any thread. On
/// x86_64 the invariant TSC (`constant_tsc`, `nonstop_tsc`) keeps ticks consistent across CPUs.
public struct CycleClock: Sendable {
  /// The calibrated clock for this process. The first access takes about 30 ms.
  public static let shared = CycleClock.calibrate()

  /// Counter ticks per nanosecond (1 when ``source`` is `"clock_gettime"`).
  public let ticksPerNanosecond: Double
  /// Nanoseconds per counter tick (the reciprocal of ``ticksPerNanosecond``).
  public let nanosecondsPerTick: Double
  /// `"rdtsc"` (x86_64), `"cntvct"` (aarch64) or `"clock_gettime"` (the fallback).
  public let source: String
  /// The tick rates of the calibration windows, in ticks per nanosecond, for reports and
  /// diagnostics; empty for the fallback.
  public let calibrationSamples: [Double]

  /// Creates a clock with a known rate; for tests and for replaying recorded measurements.
  ///
  /// - Precondition: `ticksPerNanosecond > 0`.
  public init(ticksPerNanosecond: Double, source: String, calibrationSamples: [Double] = []) {
    precondition(
      ticksPerNanosecond > 0 && ticksPerNanosecond.isFinite,
      "CycleClock: ticksPerNanosecond must be positive, got \(ticksPerNanosecond)")
    self.ticksPerNanosecond = ticksPerNanosecond
    self.nanosecondsPerTick = 1 / ticksPerNanosecond
    self.source = source
    self.calibrationSamples = calibrationSamples
  }

  /// The current tick count. Cheap enough to call twice per benchmarked operation.
  @inlinable
  public static func now() -> UInt64 {
    if usesCycleCounter {
      return cfaster_read_cycle_counter()
    }
    return monotonicNanoseconds()
  }

  /// Converts a tick count (usually the difference of two ``now()`` reads) to nanoseconds.
  @inlinable
  public func nanoseconds(_ ticks: UInt64) -> Double {
    Double(ticks) * nanosecondsPerTick
  }

  /// Converts nanoseconds to ticks (rounded to the nearest tick), for deadlines and intervals
  /// expressed in ticks.
  @inlinable
  public func ticks(nanoseconds: Double) -> UInt64 {
    precondition(nanoseconds >= 0, "CycleClock.ticks(nanoseconds:): negative duration")
    return UInt64((nanoseconds * ticksPerNanosecond).rounded())
  }

  // MARK: - Source check and calibration

  /// True when the hardware counter reads non-zero, never goes backwards over a burst of reads,
  /// and advances across a short sleep; decided once per process.
  @usableFromInline
  static let usesCycleCounter: Bool = cycleCounterLooksUsable()

  static var counterName: String {
    #if arch(x86_64)
      return "rdtsc"
    #elseif arch(arm64)
      return "cntvct"
    #else
      return "cycle-counter"
    #endif
  }

  private static func cycleCounterLooksUsable() -> Bool {
    var previous = cfaster_read_cycle_counter()
    guard previous != 0 else { return false }
    for _ in 0..<10_000 {
      let next = cfaster_read_cycle_counter()
      guard next >= previous else { return false }
      previous = next
    }
    sleepNanoseconds(200_000)
    return cfaster_read_cycle_counter() > previous
  }

  private static func calibrate() -> CycleClock {
    guard usesCycleCounter else {
      return CycleClock(ticksPerNanosecond: 1, source: "clock_gettime")
    }
    let windowCount = 5
    let windowNanoseconds: UInt64 = 6_000_000
    var samples: [Double] = []
    samples.reserveCapacity(windowCount)
    for _ in 0..<windowCount {
      let start = readPair()
      sleepNanoseconds(windowNanoseconds)
      let end = readPair()
      guard end.ticks > start.ticks, end.nanoseconds > start.nanoseconds else { continue }
      samples.append(
        Double(end.ticks - start.ticks) / Double(end.nanoseconds - start.nanoseconds))
    }
    guard !samples.isEmpty else {
      return CycleClock(ticksPerNanosecond: 1, source: "clock_gettime")
    }
    let median = samples.sorted()[samples.count / 2]
    return CycleClock(ticksPerNanosecond: median, source: counterName, calibrationSamples: samples)
  }

  /// A counter read paired with the monotonic clock: of three attempts, the one whose two clock
  /// reads lie closest together (least likely to have been preempted in between), stamped at
  /// their midpoint.
  private static func readPair() -> (ticks: UInt64, nanoseconds: UInt64) {
    var best: (ticks: UInt64, nanoseconds: UInt64) = (0, 0)
    var bestGap = UInt64.max
    for _ in 0..<3 {
      let before = monotonicNanoseconds()
      let ticks = cfaster_read_cycle_counter()
      let after = monotonicNanoseconds()
      let gap = after &- before
      if gap < bestGap {
        bestGap = gap
        best = (ticks, before + gap / 2)
      }
    }
    return best
  }

  private static func sleepNanoseconds(_ duration: UInt64) {
    var request = timespec(
      tv_sec: Int(duration / 1_000_000_000), tv_nsec: Int(duration % 1_000_000_000))
    var remaining = timespec()
    // Safety: both timespecs are live locals. EINTR resumes with the time left.
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
      request = remaining
    }
  }
}
