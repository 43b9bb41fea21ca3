/// The key bytes a peer store (rocksdb, lmdb) keeps for a key number: in compact mode the
/// number as 8 big-endian bytes (so the stores' byte order is the numbers' order), in ycsb
/// mode YCSB's key name (so their byte order is the name order YCSB's scans use).
struct PeerKeyEncoder {
  let shape: RecordShape

  /// The longest key this encoder writes.
  var maximumKeyBytes: Int { shape.mode == .compact ? 8 : shape.maximumKeyNameBytes }

  /// Writes `keyNumber`'s key into `buffer`; returns it.
  ///
  /// - Precondition: `buffer.count >= maximumKeyBytes`.
  @inline(__always)
  func key(_ keyNumber: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
    if shape.mode == .compact {
      buffer.storeBytes(of: keyNumber.bigEndian, as: UInt64.self)
      return UnsafeRawBufferPointer(rebasing: buffer[0..<8])
    }
    let length = shape.writeKeyName(keyNumber, into: buffer)
    return UnsafeRawBufferPointer(rebasing: buffer[0..<length])
  }

  /// The key number of a compact-mode key (8 big-endian bytes).
  static func compactKeyNumber(_ key: UnsafeRawBufferPointer) -> UInt64? {
    guard key.count == 8 else { return nil }
    return UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
  }
}
