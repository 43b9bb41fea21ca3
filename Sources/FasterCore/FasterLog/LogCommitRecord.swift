/// One commit of a FasterLog: what recovery restores. Encoded little-endian (see
/// `docs/fasterlog-format.md`):
///
///     0  magic "FLOGCMIT"           8 bytes
///     8  version (1)                u32
///     12 byteCount (whole record)   u32
///     16 sequence                   u64   (1, 2, 3, ... per commit)
///     24 begin                      u64   (first live address)
///     32 committedUntil             u64   (everything below is durable)
///     40 pageSizeBytes              u64   (must match the settings on reopen)
///     48 iteratorCount              u32
///     52 reserved (0)               u32
///     56 iterators: nameLength u16, name UTF-8, position u64 — iteratorCount times
///     .. checksum                   u32   CRC32C of every byte before it
///
/// Thread safety: a value type.
struct LogCommitRecord: Equatable {
  static let magic: [UInt8] = Array("FLOGCMIT".utf8)
  static let version: UInt32 = 1

  var sequence: UInt64
  var begin: UInt64
  var committedUntil: UInt64
  var pageSizeBytes: UInt64
  /// Named iterators' persisted positions, sorted by name when encoded.
  var iterators: [String: UInt64]

  /// The record's bytes, checksum last.
  func encoded() -> [UInt8] {
    var bytes = Self.magic
    func append<T: FixedWidthInteger>(_ value: T) {
      withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    append(Self.version)
    append(UInt32(0))  // byteCount, patched below
    append(sequence)
    append(begin)
    append(committedUntil)
    append(pageSizeBytes)
    append(UInt32(iterators.count))
    append(UInt32(0))
    for (name, position) in iterators.sorted(by: { $0.key < $1.key }) {
      let utf8 = Array(name.utf8)
      append(UInt16(utf8.count))
      bytes.append(contentsOf: utf8)
      append(position)
    }
    let byteCount = UInt32(bytes.count + 4)
    withUnsafeBytes(of: byteCount.littleEndian) { raw in
      for index in 0..<4 { bytes[12 + index] = raw[index] }
    }
    append(CRC32C.checksum(bytes))
    return bytes
  }

  /// Decodes and validates `bytes`; the error says what is wrong.
  static func decode(_ bytes: [UInt8]) -> Result<LogCommitRecord, DecodingFailure> {
    var offset = 0
    func read<T: FixedWidthInteger>(_: T.Type) -> T? {
      guard offset + MemoryLayout<T>.size <= bytes.count else { return nil }
      var value: T = 0
      withUnsafeMutableBytes(of: &value) { raw in
        for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[offset + index] }
      }
      offset += MemoryLayout<T>.size
      return T(littleEndian: value)
    }
    guard bytes.count >= 60 else {
      return .failure(.init("it is \(bytes.count) bytes, shorter than a header"))
    }
    guard Array(bytes[0..<8]) == magic else { return .failure(.init("its magic is not FLOGCMIT")) }
    offset = 8
    guard let version = read(UInt32.self), version == Self.version else {
      return .failure(.init("its version is not \(Self.version)"))
    }
    guard let byteCount = read(UInt32.self), Int(byteCount) == bytes.count else {
      return .failure(.init("its length field does not match its \(bytes.count) bytes (torn or corrupt)"))
    }
    let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self) }
    let computed = bytes.withUnsafeBytes {
      CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)]))
    }
    guard UInt32(littleEndian: stored) == computed else {
      return .failure(
        .init("its checksum \(UInt32(littleEndian: stored)) does not match its bytes (\(computed))"))
    }
    guard let sequence = read(UInt64.self), let begin = read(UInt64.self), let committed = read(UInt64.self),
      let pageSize = read(UInt64.self), let count = read(UInt32.self), read(UInt32.self) != nil
    else { return .failure(.init("its header is cut short")) }
    guard begin <= committed else {
      return .failure(.init("its begin \(begin) is past its committed tail \(committed)"))
    }
    var iterators: [String: UInt64] = [:]
    for _ in 0..<count {
      guard let length = read(UInt16.self), offset + Int(length) <= bytes.count - 4 else {
        return .failure(.init("an iterator entry is cut short"))
      }
      let name = String(decoding: bytes[offset..<(offset + Int(length))], as: UTF8.self)
      offset += Int(length)
      guard let position = read(UInt64.self) else { return .failure(.init("an iterator entry is cut short")) }
      iterators[name] = position
    }
    guard offset == bytes.count - 4 else { return .failure(.init("it has bytes after its iterators")) }
    return .success(
      LogCommitRecord(
        sequence: sequence, begin: begin, committedUntil: committed, pageSizeBytes: pageSize,
        iterators: iterators))
  }

  /// Why a record did not decode.
  struct DecodingFailure: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
  }
}
