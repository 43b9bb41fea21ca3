/// The blocks `FasterCrashChild device-writes` writes: 4 KiB, every 8-byte word derived from
/// the block number and its position, so a block that is missing, stale or torn is told apart.
public enum CrashBlock {
  public static let size = 4096
  public static let segmentSizeBytes: UInt64 = 64 * 1024

  public static func word(block: UInt64, index: Int) -> UInt64 {
    (block &+ 1) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(index)
  }

  public static func fill(_ buffer: UnsafeMutableRawBufferPointer, block: UInt64) {
    for index in 0..<size / 8 {
      buffer.storeBytes(of: word(block: block, index: index), toByteOffset: index * 8, as: UInt64.self)
    }
  }

  public static func matches(_ buffer: UnsafeRawBufferPointer, block: UInt64) -> Bool {
    (0..<size / 8).allSatisfy {
      buffer.load(fromByteOffset: $0 * 8, as: UInt64.self) == word(block: block, index: $0)
    }
  }
}
