// libFuzzer target: the checkpoint file parsers (CheckpointFormats.parseMetadata,
// validateIndexFile, validateSnapshotFile), which recovery and `fasterbench checkpoints`
// run on files they did not write. Layout of an input:
//
//     byte 0       bits 0-1 pick the parser (0 metadata, 1 index, 2 snapshot, 3 metadata);
//                  bit 2 fixes the 64-byte header's CRC32C (and, for metadata, the payload
//                  length and CRC32C), so mutations reach the fields behind the checksums
//     the rest     the file
//
// Every input must end in a parsed value or CheckpointError.corrupt with a reason; a parsed
// metadata file must re-encode to one that parses to the same value.
import FasterFuzzSupport

@testable import FasterCore

func fuzzCheckpointFiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size >= 1 else { return 0 }
  let mode = data[0]
  var file = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  let parser = mode & 3
  if mode & 4 != 0 { fixChecksums(&file, metadata: parser == 0 || parser == 3) }
  file.withUnsafeBytes { bytes in
    do throws(CheckpointError) {
      switch parser {
      case 1: try CheckpointFormats.validateIndexFile(bytes)
      case 2: try CheckpointFormats.validateSnapshotFile(bytes)
      default:
        let info = try CheckpointFormats.parseMetadata(bytes)
        let again = CheckpointFormats.encodeMetadata(info)
        let reparsed = again.withUnsafeBytes { try? CheckpointFormats.parseMetadata($0) }
        precondition(reparsed == info, "a parsed metadata file does not survive encode + parse: \(info)")
      }
    } catch {
      guard case .corrupt(_, _, let reason) = error, !reason.isEmpty else {
        fatalError("a checkpoint parser threw \(error), not .corrupt with a reason")
      }
    }
  }
  return 0
}

/// Makes the header's CRC32C (bytes 56..<60, over 0..<56) right; for a metadata file also
/// the payload length (field1, at 40) and the payload's trailing CRC32C.
func fixChecksums(_ file: inout [UInt8], metadata: Bool) {
  func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
    withUnsafeBytes(of: value.littleEndian) {
      for index in 0..<MemoryLayout<T>.size { file[offset + index] = $0[index] }
    }
  }
  guard file.count >= 64 else { return }
  if metadata, file.count >= 68 {
    store(UInt64(file.count - 68), at: 40)
    let crc = file.withUnsafeBytes {
      CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[64..<(file.count - 4)]))
    }
    store(crc, at: file.count - 4)
  }
  let header = file.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<56])) }
  store(header, at: 56)
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzCheckpointFiles(data, size)
}
