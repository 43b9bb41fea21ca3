/// A lock-free latency histogram with power-of-two buckets (bucket i holds values in
/// [2^i, 2^(i+1)) nanoseconds; 0 goes to bucket 0), fed from the I/O completion threads of
/// pending operations (one relaxed atomic add per bucket/sum word per completion: a slow
/// path, next to a device read).
///
/// Thread safety: `record` and `summary` may be called from any thread at any time; a
/// summary read while values arrive may be one value behind in some words.
final class LatencyHistogram: @unchecked Sendable {
  // @unchecked Sendable: the words are used only atomically.
  static let bucketCount = 64
  /// The buckets, then the count, the sum and the maximum.
  private let words: UnsafeMutableRawPointer
  private var countWord: AtomicWord { AtomicWord(words + Self.bucketCount * 8) }
  private var sumWord: AtomicWord { AtomicWord(words + (Self.bucketCount + 1) * 8) }
  private var maxWord: AtomicWord { AtomicWord(words + (Self.bucketCount + 2) * 8) }

  init() {
    let count = Self.bucketCount + 3
    words = UnsafeMutableRawPointer.allocate(byteCount: count * 8, alignment: 64)
    words.initializeMemory(as: UInt64.self, repeating: 0, count: count)
  }

  deinit { words.deallocate() }

  func record(nanoseconds: UInt64) {
    let bucket = nanoseconds == 0 ? 0 : 63 - nanoseconds.leadingZeroBitCount
    _ = AtomicWord(words + bucket * 8).fetchAdd(1, .relaxed)
    _ = countWord.fetchAdd(1, .relaxed)
    _ = sumWord.fetchAdd(nanoseconds, .relaxed)
    _ = maxWord.raise(to: nanoseconds)
  }

  func summary() -> LatencySummary {
    var buckets = [UInt64](repeating: 0, count: Self.bucketCount)
    for index in 0..<Self.bucketCount { buckets[index] = AtomicWord(words + index * 8).load(.relaxed) }
    return LatencySummary(
      count: countWord.load(.relaxed), sumNanoseconds: sumWord.load(.relaxed),
      maxNanoseconds: maxWord.load(.relaxed), buckets: buckets)
  }
}
