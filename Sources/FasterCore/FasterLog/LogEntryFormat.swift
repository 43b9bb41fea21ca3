/// The layout of one FasterLog entry in the hybrid log (see `docs/fasterlog-format.md`).
///
///     byte 0            4                 8                          8 + length   size
///     [ lengthWord u32 ][ checksum u32   ][ payload: length bytes   ][ zero padding ]
///
/// - `lengthWord`: bit 31 always set (so the header's first word is never zero: a zero
///   word marks the unused end of a page), bit 30 reserved (zero), bits 0-29 the payload
///   length in bytes.
/// - `checksum`: CRC32C of the lengthWord's 4 bytes, the entry's 8-byte logical address
///   and the payload, all little-endian. Covering the address catches a page written at the
///   wrong offset, or stale bytes from an earlier life of the file.
/// - The entry takes `8 + length` rounded up to 8 bytes, and never spans a page.
///
/// Thread safety: pure functions over memory the caller owns or reserved.
public enum LogEntryFormat: LogRecordFormat {
  /// Bytes of the entry header.
  public static var headerSizeBytes: Int { 8 }
  /// The bit that marks a header as an entry's.
  static var presentBit: UInt32 { 1 << 31 }
  /// A bit reserved for later formats; zero in this one.
  static var reservedBit: UInt32 { 1 << 30 }
  /// The mask of the length bits.
  static var lengthMask: UInt32 { (1 << 30) - 1 }

  /// Bytes an entry of `length` payload bytes takes in the log (header, payload, padding).
  @inlinable
  public static func storedSize(ofPayloadLength length: Int) -> Int { 8 &+ ((length &+ 7) & ~7) }

  public static var initialReadSize: Int { 4096 }

  public static func storedRecordSize(at record: UnsafeRawPointer, available: Int) -> StoredRecordSize {
    guard available >= 8 else { return .needsBytes(8) }
    let lengthWord = UInt32(littleEndian: record.loadUnaligned(as: UInt32.self))
    guard lengthWord & presentBit != 0, lengthWord & reservedBit == 0 else {
      return .corrupt("its header word \(lengthWord) is not an entry header (bit 31 clear or bit 30 set)")
    }
    return .size(storedSize(ofPayloadLength: Int(lengthWord & lengthMask)))
  }

  /// The checksum of an entry at `address` with `payload`.
  static func checksum(address: UInt64, lengthWord: UInt32, payload: UnsafeRawBufferPointer) -> UInt32 {
    var prefix: (UInt32, UInt32, UInt32) = (lengthWord.littleEndian, 0, 0)
    // Safety: a 12-byte tuple on the stack holds the lengthWord and the address.
    return withUnsafeMutableBytes(of: &prefix) { raw in
      raw.storeBytes(of: address.littleEndian, toByteOffset: 4, as: UInt64.self)
      let start = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<12]))
      return CRC32C.checksum(payload, continuing: start)
    }
  }

  /// Writes the entry for `payload` at `destination` (the entry's reserved
  /// `storedSize(ofPayloadLength:)` bytes, at log address `address`).
  @inline(__always)
  static func write(
    _ payload: UnsafeRawBufferPointer, at destination: UnsafeMutableRawPointer, address: UInt64
  ) {
    let lengthWord = presentBit | UInt32(truncatingIfNeeded: payload.count)
    let crc = checksum(address: address, lengthWord: lengthWord, payload: payload)
    // Safety: `destination` is the entry's reservation of storedSize(payload.count) bytes,
    // so header, payload and padding all fit.
    if let base = payload.baseAddress, payload.count > 0 {
      (destination + 8).copyMemory(from: base, byteCount: payload.count)
    }
    let padding = storedSize(ofPayloadLength: payload.count) - 8 - payload.count
    if padding > 0 {
      (destination + 8 + payload.count).initializeMemory(as: UInt8.self, repeating: 0, count: padding)
    }
    destination.storeBytes(of: UInt64(lengthWord) | UInt64(crc) << 32, as: UInt64.self)
  }

  /// What `validate` found.
  enum Validation: Equatable {
    /// A complete entry with this payload length.
    case valid(length: Int)
    /// Not a complete, intact entry; the reason.
    case corrupt(String)
  }

  /// Checks the entry at `entry` (log address `address`), of which `available` bytes are
  /// readable: header, length within bounds and checksum.
  static func validate(_ entry: UnsafeRawPointer, address: UInt64, available: Int) -> Validation {
    guard available >= 8 else { return .corrupt("only \(available) bytes remain for its header") }
    let header = entry.loadUnaligned(as: UInt64.self)
    guard header != 0 else { return .corrupt("its header is zero (never written)") }
    let lengthWord = UInt32(truncatingIfNeeded: header)
    let stored = UInt32(truncatingIfNeeded: header >> 32)
    guard lengthWord & presentBit != 0, lengthWord & reservedBit == 0 else {
      return .corrupt("its header word \(lengthWord) is not an entry header")
    }
    let length = Int(lengthWord & lengthMask)
    guard storedSize(ofPayloadLength: length) <= available else {
      return .corrupt("it claims \(length) payload bytes; only \(available - 8) remain")
    }
    // Safety: the stored size (header + payload + padding) fits in `available`, checked above.
    let computed = checksum(
      address: address, lengthWord: lengthWord,
      payload: UnsafeRawBufferPointer(start: entry + 8, count: length))
    guard computed == stored else {
      return .corrupt("its checksum is \(stored), its bytes give \(computed) (torn or corrupt)")
    }
    return .valid(length: length)
  }
}
