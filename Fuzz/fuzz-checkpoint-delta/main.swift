// libFuzzer target: the delta file parser of incremental snapshot checkpoints
// (CheckpointFormats.validateDeltaFile, and the chunk walk recovery applies), which recovery
// and `fasterbench checkpoints validate` run on files they did not write. Layout of an input:
//
//     byte 0       bit 0 fixes the 64-byte header's CRC32C and every chunk's CRC32C it can
//                  reach, so mutations get behind the checksums to the chunk layout;
//                  bit 1 parses the file as a full snapshot instead (the same walk with the
//                  other file kind, which must refuse a delta and accept a snapshot)
//     the rest     the file
//
// Every input must end in success or CheckpointError.corrupt with a reason; an accepted
// file's chunks are in address order, within one page each, and within the input.
import FasterFuzzSupport

@testable import FasterCore

func fuzzCheckpointDelta(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size >= 1 else { return 0 }
  let mode = data[0]
  var file = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  if mode & 1 != 0 { fixChecksums(&file) }
  let kind: CheckpointFileHeader.FileKind = mode & 2 != 0 ? .snapshot : .delta
  file.withUnsafeBytes { bytes in
    do throws(CheckpointError) {
      var previousEnd: UInt64 = 0
      var total = 0
      let header = try CheckpointFormats.forEachSnapshotChunk(bytes, file: "delta", kind: kind) {
        address, chunk in
        precondition(address >= previousEnd, "chunks out of order")
        precondition(!chunk.isEmpty, "an empty chunk was accepted")
        previousEnd = address + UInt64(chunk.count)
        total += chunk.count
      }
      let pageSize = header.field2
      precondition(pageSize.nonzeroBitCount == 1, "page size \(pageSize) accepted")
      precondition(total <= bytes.count, "chunks hold more bytes than the file")
      if kind == .delta {
        try CheckpointFormats.validateDeltaFile(bytes)
        precondition(header.checkpointKind == .incrementalSnapshot, "a delta of another checkpoint kind")
      }
    } catch {
      guard case .corrupt(_, _, let reason) = error, !reason.isEmpty else {
        fatalError("the delta parser threw \(error), not .corrupt with a reason")
      }
    }
  }
  return 0
}

/// Makes the header's CRC32C (bytes 56..<60, over 0..<56) right, then walks the chunks
/// ([address u64][length u32][CRC32C u32][data]) while they fit and fixes each CRC32C.
func fixChecksums(_ file: inout [UInt8]) {
  func store(_ value: UInt32, at offset: Int) {
    withUnsafeBytes(of: value.littleEndian) {
      for index in 0..<4 { file[offset + index] = $0[index] }
    }
  }
  guard file.count >= 64 else { return }
  let header = file.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<56])) }
  store(header, at: 56)
  var offset = 64
  while offset + 16 <= file.count {
    let length = file.withUnsafeBytes {
      Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)))
    }
    guard length <= file.count - offset - 16 else { return }
    let crc = file.withUnsafeBytes { raw in
      CRC32C.checksum(
        UnsafeRawBufferPointer(rebasing: raw[(offset + 16)..<(offset + 16 + length)]),
        continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 12)])))
    }
    store(crc, at: offset + 12)
    offset += 16 + length
  }
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzCheckpointDelta(data, size)
}
