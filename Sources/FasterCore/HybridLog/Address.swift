/// A logical address in the hybrid log: a byte position in one 48-bit address space that
/// spans memory and (with the disk tier) the device.
///
/// Bit layout (48 bits used of the 64-bit raw value):
///
///     63        48 47                      p p-1              0
///     [ unused=0  ][ page number (48 - p)   ][ offset in page (p) ]
///
/// where `p` is log2 of the configured page size (`HybridLogSettings.pageSizeBytes`; 12...30).
/// FASTER C++ fixes p = 25; here it follows the configuration, as in FASTER C#.
///
/// Special values: 0 is never a record (an all-zero hash entry means "empty"), and
/// `Address.invalid` (1) marks "no record" inside a non-empty hash entry or a record's
/// previous-address field. The log starts at `Address.firstValid` (64).
///
/// Read cache: bit 47 (`readCacheBit`) marks an address in the read cache's own log
/// (`ReadCache`), not the main log. Only a hash entry holds such an address (a read-cache
/// record's previous address is always a main-log address), and main-log addresses stay
/// below 2^47 (`LogBuffer.lastOpenablePage`).
@frozen
public struct Address: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The raw 48-bit value.
  public var rawValue: UInt64

  /// Number of significant bits.
  @inlinable public static var bitCount: Int { 48 }
  /// Mask of the significant bits.
  @inlinable public static var mask: UInt64 { (1 << 48) - 1 }
  /// The largest address.
  @inlinable public static var max: Address { Address(mask) }
  /// "No record".
  @inlinable public static var invalid: Address { Address(1) }
  /// The first address a record can have: the log begins one cache line into page 0.
  @inlinable public static var firstValid: Address { Address(64) }

  /// The bit that marks a read-cache address.
  @inlinable public static var readCacheBit: UInt64 { 1 << 47 }
  /// Whether this is an address in the read cache.
  @inlinable public var isReadCache: Bool { rawValue & Address.readCacheBit != 0 }
  /// This address with the read-cache bit cleared: the position in the read cache's log.
  @inlinable public var readCacheOffset: Address { Address(rawValue & ~Address.readCacheBit) }
  /// The read-cache address of `address`, a position in the read cache's log.
  @inlinable public static func inReadCache(_ address: Address) -> Address {
    Address(address.rawValue | Address.readCacheBit)
  }

  @inlinable
  public init(_ rawValue: UInt64) {
    assert(rawValue <= Address.mask, "address exceeds 48 bits")
    self.rawValue = rawValue
  }

  /// The address of `offset` within `page`, for a page size of `1 << pageSizeBits`.
  @inlinable
  public init(page: UInt64, offset: UInt64, pageSizeBits: Int) {
    assert(offset < 1 << UInt64(pageSizeBits), "offset exceeds the page")
    self.init(page << UInt64(pageSizeBits) | offset)
  }

  /// The page number, for a page size of `1 << pageSizeBits`.
  @inlinable
  public func page(pageSizeBits: Int) -> UInt64 { rawValue >> UInt64(pageSizeBits) }

  /// The offset within the page, for a page size of `1 << pageSizeBits`.
  @inlinable
  public func offset(pageSizeBits: Int) -> UInt64 { rawValue & ((1 << UInt64(pageSizeBits)) - 1) }

  // The comparison operators are spelled out so the hot path never goes through the
  // Comparable protocol's generic defaults.
  @inlinable public static func < (lhs: Address, rhs: Address) -> Bool { lhs.rawValue < rhs.rawValue }
  @inlinable public static func <= (lhs: Address, rhs: Address) -> Bool { lhs.rawValue <= rhs.rawValue }
  @inlinable public static func > (lhs: Address, rhs: Address) -> Bool { lhs.rawValue > rhs.rawValue }
  @inlinable public static func >= (lhs: Address, rhs: Address) -> Bool { lhs.rawValue >= rhs.rawValue }
  @inlinable public static func == (lhs: Address, rhs: Address) -> Bool { lhs.rawValue == rhs.rawValue }

  public var description: String { "Address(\(rawValue))" }
}
