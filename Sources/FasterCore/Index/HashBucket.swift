/// The layout of one hash bucket: a 64-byte cache line of 8 words.
///
///     word 0...6: `HashBucketEntry` slots
///     word 7:     overflow bucket address (bits 0...47; 0 = none), upper bits reserved
///                 (for index growth and checkpoint latches)
///
/// Buckets are never Swift values; they live in raw memory owned by `HashIndex` and its
/// `OverflowBucketAllocator` and are accessed with `AtomicWord`. The size is pinned to a
/// cache line by `HashBucketTests`.
public enum HashBucket {
  /// Bytes per bucket: one cache line.
  @inlinable public static var sizeBytes: Int { 64 }
  /// Entry slots per bucket.
  @inlinable public static var entryCount: Int { 7 }
  /// Byte offset of the overflow word.
  @inlinable public static var overflowWordOffset: Int { 56 }
}

/// Hash of a key, split into the parts the index uses.
@frozen
public struct KeyHash: Sendable {
  public let rawValue: UInt64

  @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }

  /// The 14-bit tag stored in the bucket entry: the hash's top bits, independent of the
  /// low bits that choose the bucket.
  @inlinable public var tag: UInt64 { rawValue >> 50 }

  /// The bucket index for a table of `mask + 1` buckets.
  @inlinable public func bucketIndex(mask: UInt64) -> UInt64 { rawValue & mask }
}
