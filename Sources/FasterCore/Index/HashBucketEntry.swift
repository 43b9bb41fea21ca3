/// One 64-bit slot of a hash bucket.
///
/// Bit layout:
///
///     63          62           61        48 47                       0
///     [tentative ][read cache ][ tag (14)  ][ address (48)             ]
///
/// - An all-zero word is an empty slot.
/// - tag: 14 more bits of the key's hash (bits 50...63), to tell apart the keys that share a
///   bucket without reading the log.
/// - tentative: set while a thread inserts a new tag, so that two threads never create
///   two entries for one tag (see `HashIndex.findOrCreateEntry`). Readers skip tentative
///   entries.
/// - read cache: reserved for the read cache (the address is then in the read-cache log).
/// - address: the newest record of the chain, or `Address.invalid` for a new entry whose
///   first record is not yet published.
@frozen
public struct HashBucketEntry: Hashable, Sendable {
  public var rawValue: UInt64

  @inlinable public static var tagBits: Int { 14 }
  @inlinable public static var tagMask: UInt64 { (1 << 14) - 1 }
  @inlinable static var readCacheBit: UInt64 { 1 << 62 }
  @inlinable static var tentativeBit: UInt64 { 1 << 63 }

  @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue }

  @inlinable
  public init(address: Address, tag: UInt64, tentative: Bool) {
    assert(tag <= HashBucketEntry.tagMask)
    rawValue = address.rawValue | tag << 48 | (tentative ? HashBucketEntry.tentativeBit : 0)
  }

  @inlinable public var isEmpty: Bool { rawValue == 0 }
  @inlinable public var address: Address { Address(rawValue & Address.mask) }
  @inlinable public var tag: UInt64 { (rawValue >> 48) & HashBucketEntry.tagMask }
  @inlinable public var isTentative: Bool { rawValue & HashBucketEntry.tentativeBit != 0 }
  @inlinable public var isReadCache: Bool { rawValue & HashBucketEntry.readCacheBit != 0 }

  /// This entry pointing at `address`, with the same tag and flags.
  @inlinable
  public func with(address: Address) -> HashBucketEntry {
    HashBucketEntry(rawValue: rawValue & ~Address.mask | address.rawValue)
  }
}
