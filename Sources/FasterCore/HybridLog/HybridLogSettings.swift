import FasterPlatform

/// How a `HybridLog` is sized: its page size, its in-memory page buffer and the mutable
/// share of it. Independent of any record layout or store, so the key-value store, a
/// FasterLog, the read cache and checkpoint snapshots each size their own log.
///
/// `validate()` rejects values out of range with a message naming the field.
public struct HybridLogSettings: Sendable, Equatable, Codable {
  /// Log page size: a power of two from 4 KiB to 1 GiB. A record (or log entry) must fit
  /// in a page; none spans two.
  public var pageSizeBytes: Int
  /// Memory for the page buffer: a power of two of at least two pages.
  public var memoryBytes: Int
  /// Fraction of the buffer that is mutable (updated in place), in (0, 1]; below it,
  /// pages are read-only and flushed to the device.
  public var mutableFraction: Double
  /// Whether to ask for transparent huge pages for the buffer.
  public var hugePages: HugePagePolicy

  public init(
    pageSizeBytes: Int = 1 << 25, memoryBytes: Int = 1 << 30, mutableFraction: Double = 0.9,
    hugePages: HugePagePolicy = .madvise
  ) {
    self.pageSizeBytes = pageSizeBytes
    self.memoryBytes = memoryBytes
    self.mutableFraction = mutableFraction
    self.hugePages = hugePages
  }

  /// Pages in the buffer.
  public var bufferPageCount: Int { memoryBytes / pageSizeBytes }

  /// Pages of the buffer kept mutable (at least one).
  public var mutablePageCount: Int { Swift.max(1, Int(Double(bufferPageCount) * mutableFraction)) }

  /// Throws `FasterError.invalidConfiguration` naming the first bad field.
  public func validate() throws(FasterError) {
    guard pageSizeBytes >= 1 << 12, pageSizeBytes <= 1 << 30, pageSizeBytes.nonzeroBitCount == 1 else {
      throw .invalidConfiguration(
        "HybridLogSettings.pageSizeBytes = \(pageSizeBytes): must be a power of two from 4 KiB to 1 GiB")
    }
    guard memoryBytes.nonzeroBitCount == 1, memoryBytes >= 2 * pageSizeBytes else {
      throw .invalidConfiguration(
        "HybridLogSettings.memoryBytes = \(memoryBytes): must be a power of two of at least two pages (2 x \(pageSizeBytes) bytes)"
      )
    }
    guard mutableFraction > 0, mutableFraction <= 1 else {
      throw .invalidConfiguration("HybridLogSettings.mutableFraction = \(mutableFraction): must be in (0, 1]")
    }
  }
}
