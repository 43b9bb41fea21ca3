/// When a store compacts itself, in the background, while sessions run
/// (`FasterKVOptions.autoCompaction`).
///
/// Every `checkIntervalMilliseconds` a background thread looks at the log on the device
/// (from the begin to the head) and compacts its oldest `compactFraction` when either
/// trigger fires:
/// - `maxDeviceLogBytes`: the log on the device is larger than this;
/// - `minLiveFraction`: the live share of the range it would compact, sampled (up to
///   `sampleRecords` records, each checked against the index), is below this.
///
/// Sizing: live data must fit in `maxDeviceLogBytes` with room to spare, since each run
/// rewrites the live records of its range at the tail; with a `compactFraction` of 0.5
/// the device log settles near `live + maxDeviceLogBytes / 2` for uniform updates.
public struct AutoCompactionPolicy: Sendable, Equatable, Codable {
  /// Compact when the log on the device exceeds this many bytes (nil: no size trigger).
  public var maxDeviceLogBytes: UInt64?
  /// Compact when the sampled live share of the range is below this, in (0, 1] (nil: no
  /// live-fraction trigger).
  public var minLiveFraction: Double?
  /// The share of the device log (from the begin) each run compacts, in (0, 1].
  public var compactFraction: Double = 0.5
  public var method: CompactionMethod = .scan
  public var checkIntervalMilliseconds: Int = 100
  /// Records sampled for the live-fraction trigger.
  public var sampleRecords: Int = 1_000
  /// The live-fraction trigger waits until the device log holds at least this much.
  public var minDeviceLogBytes: UInt64 = 1 << 20

  public init(maxDeviceLogBytes: UInt64? = nil, minLiveFraction: Double? = nil) {
    self.maxDeviceLogBytes = maxDeviceLogBytes
    self.minLiveFraction = minLiveFraction
  }

  /// Throws `FasterError.invalidConfiguration` naming the first bad field.
  func validate() throws(FasterError) {
    func fail(_ message: String) -> FasterError { .invalidConfiguration("autoCompaction.\(message)") }
    guard maxDeviceLogBytes != nil || minLiveFraction != nil else {
      throw fail("maxDeviceLogBytes and minLiveFraction: set at least one trigger")
    }
    if let maxDeviceLogBytes, maxDeviceLogBytes == 0 { throw fail("maxDeviceLogBytes = 0: must be positive") }
    if let minLiveFraction, !(minLiveFraction > 0 && minLiveFraction <= 1) {
      throw fail("minLiveFraction = \(minLiveFraction): must be in (0, 1]")
    }
    guard compactFraction > 0, compactFraction <= 1 else {
      throw fail("compactFraction = \(compactFraction): must be in (0, 1]")
    }
    guard checkIntervalMilliseconds >= 1 else {
      throw fail("checkIntervalMilliseconds = \(checkIntervalMilliseconds): must be at least 1")
    }
    guard sampleRecords >= 1 else { throw fail("sampleRecords = \(sampleRecords): must be at least 1") }
  }
}
