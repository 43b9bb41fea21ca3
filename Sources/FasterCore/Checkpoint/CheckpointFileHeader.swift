/// The 64-byte header at the start of every checkpoint file (little-endian; see
/// `docs/checkpoint-format.md`):
///
///     0  magic "FKVCKPT1"                 8 bytes
///     8  format version (2; 1 is read)    u32
///     12 file kind (1 meta, 2 index, 3 snapshot, 4 delta)  u8
///     13 checkpoint kind (CheckpointKind.code)    u8
///     14 reserved (0)                     u16
///     16 token                            2 x u64 (high, low)
///     32 checkpoint version               u64
///     40 field1 (per file kind)           u64
///     48 field2 (per file kind)           u64
///     56 CRC32C of bytes 0..<56           u32
///     60 reserved (0)                     u32
struct CheckpointFileHeader: Equatable {
  static let magic: [UInt8] = Array("FKVCKPT1".utf8)
  /// The version this build writes. Version 2 added the delta file kind and, at the end of
  /// the metadata payload, the previous checkpoint of an incremental snapshot; version 1
  /// files (no incremental snapshots) are still read.
  static let formatVersion: UInt32 = 2
  static let oldestReadableFormatVersion: UInt32 = 1
  static let size = 64

  enum FileKind: UInt8 {
    case metadata = 1
    case index = 2
    case snapshot = 3
    /// An incremental snapshot's delta (format version 2).
    case delta = 4

    var name: String {
      switch self {
      case .metadata: "metadata"
      case .index: "index"
      case .snapshot: "snapshot"
      case .delta: "delta"
      }
    }
  }

  var fileKind: FileKind
  var checkpointKind: CheckpointKind
  var token: CheckpointToken
  var version: UInt64
  var field1: UInt64
  var field2: UInt64
  /// The format version the file was written with (`parse`); `encoded()` always writes the
  /// current one.
  var formatVersion: UInt32 = CheckpointFileHeader.formatVersion

  func encoded() -> [UInt8] {
    var writer = CheckpointByteWriter()
    writer.append(bytes: Self.magic)
    writer.append(Self.formatVersion)
    writer.append(fileKind.rawValue)
    writer.append(checkpointKind.code)
    writer.append(UInt16(0))
    writer.append(token.high)
    writer.append(token.low)
    writer.append(version)
    writer.append(field1)
    writer.append(field2)
    let crc = writer.bytes.withUnsafeBytes { CRC32C.checksum($0) }
    writer.append(crc)
    writer.append(UInt32(0))
    return writer.bytes
  }

  /// Parses and checks the header of `bytes`, which must be a `expected` file.
  static func parse(_ bytes: UnsafeRawBufferPointer, expected: FileKind, file: String) throws(CheckpointError)
    -> CheckpointFileHeader
  {
    func corrupt(_ offset: Int, _ reason: String) -> CheckpointError {
      .corrupt(file: file, offset: offset, reason: reason)
    }
    guard bytes.count >= size else {
      throw corrupt(
        0, "\(bytes.count) bytes: too short for the \(size)-byte checkpoint header (truncated file)")
    }
    var reader = CheckpointByteReader(bytes, file: file)
    guard Array(bytes[0..<8]) == magic else {
      throw corrupt(0, "bad magic: not a checkpoint file (expected \"FKVCKPT1\")")
    }
    reader.offset = 8
    let formatVersion = try reader.u32()
    let storedCRC = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 56, as: UInt32.self))
    let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<56]))
    guard storedCRC == crc else {
      throw corrupt(56, "header checksum mismatch (stored \(storedCRC), computed \(crc))")
    }
    guard bytes[14] == 0, bytes[15] == 0, bytes[60] == 0, bytes[61] == 0, bytes[62] == 0, bytes[63] == 0
    else {
      throw corrupt(14, "reserved header bytes are not zero")
    }
    guard formatVersion >= Self.oldestReadableFormatVersion, formatVersion <= Self.formatVersion else {
      throw corrupt(
        8,
        "format version \(formatVersion) is not supported (this build reads \(Self.oldestReadableFormatVersion) to \(Self.formatVersion))"
      )
    }
    let kindByte = try reader.u8()
    guard let fileKind = FileKind(rawValue: kindByte) else {
      throw corrupt(12, "unknown file kind \(kindByte)")
    }
    guard fileKind == expected else {
      throw corrupt(12, "a \(fileKind.name) file where a \(expected.name) file was expected")
    }
    let checkpointByte = try reader.u8()
    guard let checkpointKind = CheckpointKind(code: checkpointByte) else {
      throw corrupt(13, "unknown checkpoint kind \(checkpointByte)")
    }
    reader.offset = 16
    let token = CheckpointToken(high: try reader.u64(), low: try reader.u64())
    return CheckpointFileHeader(
      fileKind: fileKind, checkpointKind: checkpointKind, token: token, version: try reader.u64(),
      field1: try reader.u64(), field2: try reader.u64(), formatVersion: formatVersion)
  }
}
