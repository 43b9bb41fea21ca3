/// The parsers of checkpoint files, public for tooling and fuzzing. Each takes untrusted
/// bytes, throws `CheckpointError.corrupt` (file, offset, what) for anything that is not a
/// well-formed file, never traps, and allocates no more than the input justifies.
/// Layouts: `docs/checkpoint-format.md`.
public enum CheckpointFormats {
  /// Bytes of index data per checksummed block of an index file.
  static let indexBlockBytes = 1 << 20

  // MARK: Metadata

  /// The metadata file's bytes: header (field1 = payload byte count), payload, CRC32C of
  /// the payload.
  static func encodeMetadata(_ info: CheckpointInfo) -> [UInt8] {
    var payload = CheckpointByteWriter()
    payload.append(UInt8(info.indexToken == nil ? 0 : 1))
    payload.append(info.indexToken?.high ?? 0)
    payload.append(info.indexToken?.low ?? 0)
    for value in [
      info.bytesWritten, info.startedAtNanoseconds, info.durationNanoseconds, info.beginAddress,
      info.finalAddress, info.indexStartAddress, info.snapshotStartAddress, info.pageSizeBytes,
    ] {
      payload.append(value)
    }
    payload.append(string: info.layoutName)
    let points = info.commitPoints.values.sorted { $0.sessionName < $1.sessionName }
    payload.append(UInt32(points.count))
    for point in points {
      payload.append(string: point.sessionName)
      payload.append(point.serial)
      payload.append(UInt32(point.pendingSerials.count))
      for serial in point.pendingSerials { payload.append(serial) }
    }
    // Format version 2: the previous checkpoint of an incremental snapshot.
    payload.append(UInt8(info.previousToken == nil ? 0 : 1))
    payload.append(info.previousToken?.high ?? 0)
    payload.append(info.previousToken?.low ?? 0)
    let header = CheckpointFileHeader(
      fileKind: .metadata, checkpointKind: info.kind, token: info.token, version: info.version,
      field1: UInt64(payload.bytes.count), field2: 0)
    var bytes = header.encoded()
    bytes.append(contentsOf: payload.bytes)
    var trailer = CheckpointByteWriter()
    trailer.append(payload.bytes.withUnsafeBytes { CRC32C.checksum($0) })
    bytes.append(contentsOf: trailer.bytes)
    return bytes
  }

  /// Parses a metadata file (`<token>.meta`).
  public static func parseMetadata(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) -> CheckpointInfo
  {
    try parseMetadata(bytes, file: "metadata")
  }

  static func parseMetadata(_ bytes: UnsafeRawBufferPointer, file: String) throws(CheckpointError)
    -> CheckpointInfo
  {
    let header = try CheckpointFileHeader.parse(bytes, expected: .metadata, file: file)
    let payloadStart = CheckpointFileHeader.size
    let available = UInt64(bytes.count - payloadStart)
    guard header.field1 <= available, available - header.field1 == 4 else {
      throw .corrupt(
        file: file, offset: 40,
        reason:
          "payload length \(header.field1) does not match the file: \(available) bytes follow the header, payload + 4 expected (truncated or extended file)"
      )
    }
    let payloadCount = Int(header.field1)
    let payload = UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<payloadStart + payloadCount])
    let storedCRC = UInt32(
      littleEndian: bytes.loadUnaligned(fromByteOffset: payloadStart + payloadCount, as: UInt32.self))
    let crc = CRC32C.checksum(payload)
    guard storedCRC == crc else {
      throw .corrupt(
        file: file, offset: payloadStart + payloadCount,
        reason: "payload checksum mismatch (stored \(storedCRC), computed \(crc))")
    }
    var reader = CheckpointByteReader(bytes, file: file)
    reader.offset = payloadStart
    let hasIndex = try reader.u8()
    let indexHigh = try reader.u64()
    let indexLow = try reader.u64()
    guard hasIndex <= 1 else { throw reader.corrupt("index-token flag \(hasIndex) is not 0 or 1") }
    let bytesWritten = try reader.u64()
    let startedAt = try reader.u64()
    let duration = try reader.u64()
    let begin = try reader.u64()
    let final = try reader.u64()
    let indexStart = try reader.u64()
    let snapshotStart = try reader.u64()
    let pageSize = try reader.u64()
    let layoutName = try reader.string()
    let countOffset = reader.offset
    let pointCount = Int(try reader.u32())
    // Each commit point takes at least 14 bytes: a count that cannot fit is corrupt
    // (and never sizes an allocation).
    guard pointCount <= reader.remaining / 14 else {
      throw reader.corrupt(
        "\(pointCount) commit points cannot fit in \(reader.remaining) bytes", at: countOffset)
    }
    var points: [String: SessionCommitPoint] = [:]
    for _ in 0..<pointCount {
      let nameOffset = reader.offset
      let name = try reader.string()
      let serial = try reader.u64()
      let pendingOffset = reader.offset
      let pendingCount = Int(try reader.u32())
      guard pendingCount <= reader.remaining / 8 else {
        throw reader.corrupt(
          "\(pendingCount) pending serials cannot fit in \(reader.remaining) bytes", at: pendingOffset)
      }
      var pending: [UInt64] = []
      pending.reserveCapacity(pendingCount)
      for _ in 0..<pendingCount { pending.append(try reader.u64()) }
      guard points[name] == nil else {
        throw reader.corrupt("session \"\(name)\" appears twice", at: nameOffset)
      }
      points[name] = SessionCommitPoint(sessionName: name, serial: serial, pendingSerials: pending)
    }
    var previousToken: CheckpointToken? = nil
    if header.formatVersion >= 2 {
      let flagOffset = reader.offset
      let hasPrevious = try reader.u8()
      let previousHigh = try reader.u64()
      let previousLow = try reader.u64()
      guard hasPrevious <= 1 else {
        throw reader.corrupt("previous-token flag \(hasPrevious) is not 0 or 1", at: flagOffset)
      }
      if hasPrevious == 1 { previousToken = CheckpointToken(high: previousHigh, low: previousLow) }
      guard (previousToken != nil) == (header.checkpointKind == .incrementalSnapshot) else {
        throw reader.corrupt(
          previousToken == nil
            ? "an incremental checkpoint without the previous checkpoint its delta applies to"
            : "a \(header.checkpointKind.rawValue) checkpoint names a previous checkpoint (only incremental ones do)",
          at: flagOffset)
      }
      guard previousToken != header.token else {
        throw reader.corrupt(
          "an incremental checkpoint names itself as its previous checkpoint", at: flagOffset)
      }
    } else if header.checkpointKind == .incrementalSnapshot {
      throw .corrupt(
        file: file, offset: 13, reason: "an incremental checkpoint in format version 1 (which has none)")
    }
    guard reader.offset == payloadStart + payloadCount else {
      throw reader.corrupt(
        "\(payloadStart + payloadCount - reader.offset) unexpected bytes at the payload's end")
    }
    // The begin may be above the index start: a log-only checkpoint reuses an older index
    // checkpoint, and a compaction in between moved the begin (recovery replays from the
    // index start; retention keeps those segments while the checkpoint is kept).
    guard begin >= Address.firstValid.rawValue, indexStart >= Address.firstValid.rawValue,
      indexStart <= final, begin <= snapshotStart,
      snapshotStart <= final, final <= Address.mask
    else {
      throw .corrupt(
        file: file, offset: payloadStart + 17,
        reason:
          "inconsistent log addresses: begin \(begin), index start \(indexStart), snapshot start \(snapshotStart), final \(final)"
      )
    }
    guard pageSize >= 1 << 12, pageSize <= 1 << 30, pageSize.nonzeroBitCount == 1 else {
      throw .corrupt(
        file: file, offset: payloadStart + 73,
        reason: "page size \(pageSize) is not a power of two in [4 KiB, 1 GiB]")
    }
    return CheckpointInfo(
      token: header.token, kind: header.checkpointKind, version: header.version,
      indexToken: hasIndex == 1 ? CheckpointToken(high: indexHigh, low: indexLow) : nil,
      commitPoints: points, bytesWritten: bytesWritten, startedAtNanoseconds: startedAt,
      durationNanoseconds: duration, beginAddress: begin, finalAddress: final, indexStartAddress: indexStart,
      snapshotStartAddress: snapshotStart, pageSizeBytes: pageSize, layoutName: layoutName,
      previousToken: previousToken)
  }

  // MARK: Index

  /// Checks an index file (`<token>.index`): header, then the bucket array and the overflow
  /// buckets as one byte stream in blocks of [CRC32C u32][length u32][bytes].
  public static func validateIndexFile(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
    _ = try forEachIndexBlock(bytes, file: "index") { _, _ in }
  }

  /// Calls `body` with each block of the index stream and its offset in the stream;
  /// returns the header (field1 = main bucket count, field2 = overflow bucket count).
  @discardableResult
  static func forEachIndexBlock(
    _ bytes: UnsafeRawBufferPointer, file: String,
    _ body: (_ streamOffset: Int, UnsafeRawBufferPointer) -> Void
  ) throws(CheckpointError) -> CheckpointFileHeader {
    let header = try CheckpointFileHeader.parse(bytes, expected: .index, file: file)
    guard header.field1 >= 1, header.field1.nonzeroBitCount == 1, header.field1 <= 1 << 40,
      header.field2 <= 1 << 28
    else {
      throw .corrupt(
        file: file, offset: 40,
        reason:
          "bucket counts \(header.field1) (main, a power of two) and \(header.field2) (overflow) are out of range"
      )
    }
    let streamBytes = Int((header.field1 + header.field2) * UInt64(HashBucket.sizeBytes))
    var reader = CheckpointByteReader(bytes, file: file)
    reader.offset = CheckpointFileHeader.size
    var streamOffset = 0
    while streamOffset < streamBytes {
      let blockOffset = reader.offset
      let storedCRC = try reader.u32()
      let length = Int(try reader.u32())
      let expected = Swift.min(indexBlockBytes, streamBytes - streamOffset)
      guard length == expected else {
        throw reader.corrupt("block length \(length), \(expected) expected", at: blockOffset + 4)
      }
      guard reader.remaining >= length else {
        throw reader.corrupt(
          "block of \(length) bytes, \(reader.remaining) remain (truncated file)", at: blockOffset)
      }
      let block = UnsafeRawBufferPointer(rebasing: bytes[reader.offset..<reader.offset + length])
      let crc = CRC32C.checksum(block)
      guard crc == storedCRC else {
        throw reader.corrupt(
          "block checksum mismatch (stored \(storedCRC), computed \(crc))", at: blockOffset)
      }
      body(streamOffset, block)
      reader.offset += length
      streamOffset += length
    }
    guard reader.remaining == 0 else {
      throw reader.corrupt("\(reader.remaining) bytes after the last block")
    }
    return header
  }

  // MARK: Snapshot

  /// Checks a snapshot file (`<token>.snapshot`): header (field1 = chunk count, field2 =
  /// page size), then chunks of [address u64][length u32][CRC32C u32 of the first 12 bytes
  /// and the data][bytes], each within one log page.
  public static func validateSnapshotFile(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
    _ = try forEachSnapshotChunk(bytes, file: "snapshot") { _, _ in }
  }

  // MARK: Delta

  /// Checks a delta file (`<token>.delta`, an incremental snapshot): the snapshot file's
  /// layout with file kind 4 (delta) and checkpoint kind 3 (incremental); its chunks are
  /// the changed pages only.
  public static func validateDeltaFile(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
    _ = try forEachSnapshotChunk(bytes, file: "delta", kind: .delta) { _, _ in }
  }

  /// Calls `body` with each chunk of a snapshot (or, with `kind: .delta`, a delta) file, in
  /// address order; returns the header (field1 = chunk count, field2 = page size).
  @discardableResult
  static func forEachSnapshotChunk(
    _ bytes: UnsafeRawBufferPointer, file: String, kind: CheckpointFileHeader.FileKind = .snapshot,
    _ body: (_ address: UInt64, UnsafeRawBufferPointer) -> Void
  ) throws(CheckpointError) -> CheckpointFileHeader {
    let header = try CheckpointFileHeader.parse(bytes, expected: kind, file: file)
    let expectedKind: CheckpointKind = kind == .delta ? .incrementalSnapshot : .snapshot
    guard header.checkpointKind == expectedKind else {
      throw .corrupt(
        file: file, offset: 13,
        reason:
          "a \(kind.name) file of a \(header.checkpointKind.rawValue) checkpoint (\(expectedKind.rawValue) expected)"
      )
    }
    let pageSize = header.field2
    guard pageSize >= 1 << 12, pageSize <= 1 << 30, pageSize.nonzeroBitCount == 1 else {
      throw .corrupt(
        file: file, offset: 48, reason: "page size \(pageSize) is not a power of two in [4 KiB, 1 GiB]")
    }
    var reader = CheckpointByteReader(bytes, file: file)
    reader.offset = CheckpointFileHeader.size
    var previousEnd: UInt64 = 0
    for _ in 0..<header.field1 {
      let chunkOffset = reader.offset
      let address = try reader.u64()
      let length = try reader.u32()
      let storedCRC = try reader.u32()
      guard address >= previousEnd, address <= Address.mask, length > 0,
        UInt64(length) <= pageSize - (address & (pageSize - 1))
      else {
        throw reader.corrupt(
          "chunk at log address \(address) of \(length) bytes: out of order or crosses a page",
          at: chunkOffset)
      }
      guard reader.remaining >= Int(length) else {
        throw reader.corrupt(
          "chunk of \(length) bytes, \(reader.remaining) remain (truncated file)", at: chunkOffset)
      }
      let data = UnsafeRawBufferPointer(rebasing: bytes[reader.offset..<reader.offset + Int(length)])
      let crc = CRC32C.checksum(
        data,
        continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[chunkOffset..<chunkOffset + 12])))
      guard crc == storedCRC else {
        throw reader.corrupt(
          "chunk checksum mismatch (stored \(storedCRC), computed \(crc))", at: chunkOffset)
      }
      body(address, data)
      reader.offset += Int(length)
      previousEnd = address + UInt64(length)
    }
    guard reader.remaining == 0 else {
      throw reader.corrupt("\(reader.remaining) bytes after the last chunk")
    }
    return header
  }
}
