/// The 8-byte header at the start of every log record.
///
/// Bit layout:
///
///     63     62         61        60       48 47                       0
///     [final][tombstone][invalid ][ version ][ previous address (48)   ]
///
/// - previous address: the next-older record in this hash chain (records whose keys
///   share a hash bucket entry), or `Address.invalid`. Never 0, so a zero header word
///   marks the unused end of a page.
/// - version (13 bits): the checkpoint version (CPR) of the session that wrote the record.
/// - invalid: the record was allocated but never published in the index (a lost race);
///   scans and recovery skip it.
/// - tombstone: the key is deleted as of this record.
/// - final: reserved for checkpoint recovery (FASTER's "final" bit).
///
/// Thread safety: the header of a published record is read and written atomically
/// (`AtomicWord`); tombstone is the only bit set on a published record.
@frozen
public struct RecordInfo: Hashable, Sendable {
  public var rawValue: UInt64

  @inlinable public static var versionBits: Int { 13 }
  @inlinable public static var versionMask: UInt64 { (1 << 13) - 1 }
  @inlinable static var invalidBit: UInt64 { 1 << 61 }
  @inlinable static var tombstoneBit: UInt64 { 1 << 62 }
  @inlinable static var finalBit: UInt64 { 1 << 63 }

  @inlinable
  public init(rawValue: UInt64) { self.rawValue = rawValue }

  @inlinable
  public init(previousAddress: Address, version: UInt64, tombstone: Bool = false) {
    assert(previousAddress.rawValue != 0, "previous address 0 would make the header look empty")
    rawValue =
      previousAddress.rawValue | (version & RecordInfo.versionMask) << 48
      | (tombstone ? RecordInfo.tombstoneBit : 0)
  }

  @inlinable public var previousAddress: Address { Address(rawValue & Address.mask) }
  @inlinable public var version: UInt64 { (rawValue >> 48) & RecordInfo.versionMask }
  @inlinable public var isInvalid: Bool { rawValue & RecordInfo.invalidBit != 0 }
  @inlinable public var isTombstone: Bool { rawValue & RecordInfo.tombstoneBit != 0 }
  @inlinable public var isFinal: Bool { rawValue & RecordInfo.finalBit != 0 }
  /// A zero word: no record starts here (the unused end of a page).
  @inlinable public var isEmpty: Bool { rawValue == 0 }
}
