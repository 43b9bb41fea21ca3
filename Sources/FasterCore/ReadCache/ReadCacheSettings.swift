/// How the read cache is sized (`FasterKVOptions.readCache`; nil disables it).
///
/// The read cache is a second in-memory log, with no device, that holds copies of
/// records read back from the device (FASTER's read cache). Records that fall off its
/// head are dropped.
public struct ReadCacheSettings: Sendable, Equatable, Codable {
  /// Memory for the read cache's pages: a power of two of at least four pages.
  public var memoryBytes: Int
  /// Page size: a power of two from 4 KiB to 1 GiB. A record larger than a page is not
  /// cached.
  public var pageSizeBytes: Int
  /// The oldest share of the cache, in [0, 1), where a hit copies the record to the
  /// cache's tail ("second chance", as FASTER C#'s `SecondChanceFraction`), so hot
  /// records survive the cache's turnover. 0 disables second chances.
  public var secondChanceFraction: Double

  public init(memoryBytes: Int = 1 << 28, pageSizeBytes: Int = 1 << 22, secondChanceFraction: Double = 0.1) {
    self.memoryBytes = memoryBytes
    self.pageSizeBytes = pageSizeBytes
    self.secondChanceFraction = secondChanceFraction
  }

  /// Pages in the cache's buffer.
  public var bufferPageCount: Int { memoryBytes / pageSizeBytes }

  /// Throws `FasterError.invalidConfiguration` naming the first bad field.
  public func validate() throws(FasterError) {
    guard pageSizeBytes >= 1 << 12, pageSizeBytes <= 1 << 30, pageSizeBytes.nonzeroBitCount == 1 else {
      throw .invalidConfiguration(
        "readCache.pageSizeBytes = \(pageSizeBytes): must be a power of two from 4 KiB to 1 GiB")
    }
    guard memoryBytes.nonzeroBitCount == 1, memoryBytes >= 4 * pageSizeBytes else {
      throw .invalidConfiguration(
        "readCache.memoryBytes = \(memoryBytes): must be a power of two of at least four pages (4 x \(pageSizeBytes) bytes)"
      )
    }
    guard secondChanceFraction >= 0, secondChanceFraction < 1 else {
      throw .invalidConfiguration(
        "readCache.secondChanceFraction = \(secondChanceFraction): must be in [0, 1)")
    }
  }
}
