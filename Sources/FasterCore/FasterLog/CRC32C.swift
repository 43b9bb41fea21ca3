import CFasterShims

/// CRC32C (Castagnoli), the checksum of FasterLog's entries and commit records: RFC 3720's
/// CRC, hardware-accelerated with SSE4.2's `crc32` instruction where the CPU has it
/// (`cfaster_crc32c` in CFasterShims), table-driven otherwise.
///
/// Thread safety: pure functions.
public enum CRC32C {
  /// The checksum of `bytes`, continuing from `crc` (0 to start a new one).
  @inlinable
  public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
    return cfaster_crc32c(crc, base, bytes.count)
  }

  /// The checksum of `bytes`, continuing from `crc` (0 to start a new one).
  @inlinable
  public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBytes { checksum($0, continuing: crc) }
  }

  /// True when the CPU's crc32 instruction computes the checksums.
  public static var isHardwareAccelerated: Bool { cfaster_crc32c_is_hardware() != 0 }

  /// The table-driven checksum, whatever the CPU (for tests comparing both paths).
  public static func softwareChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
    return cfaster_crc32c_software(crc, base, bytes.count)
  }
}
