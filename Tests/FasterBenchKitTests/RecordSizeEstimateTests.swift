import FasterCore
import Testing

@testable import FasterBenchKit

/// The log-memory sizing uses an estimate of a record's bytes; it must match what the
/// engine really takes per record (header, lengths, lock word, key and value areas).
@Suite struct RecordSizeEstimateTests {
  /// Bytes the log's tail advances for one new record of this shape.
  func measuredRecordBytes(_ shape: RecordShape) throws -> Int {
    var options = FasterKVOptions()
    options.indexSizeBytes = 1 << 12
    options.logMemoryBytes = 1 << 20
    options.pageSizeBytes = 1 << 16
    options.hugePages = .off
    let store = try VariableLengthStore(options: options)
    let session = try store.newSession()
    let key = [UInt8](repeating: UInt8(ascii: "7"), count: shape.maximumKeyNameBytes)
    let value = [UInt8](repeating: 1, count: shape.valueBytes)
    let before = store.tailAddress.rawValue
    let status = key.withUnsafeBytes { key in value.withUnsafeBytes { session.upsert(key: key, value: $0) } }
    #expect(status == .ok)
    return Int(store.tailAddress.rawValue - before)
  }

  @Test(arguments: [(10, 100), (1, 8), (3, 5), (10, 1)])
  func ycsbEstimateIsTheEnginesRecordSize(fieldCount: Int, fieldLength: Int) throws {
    for zeroPadding in [1, 23] {
      let shape = RecordShape(
        mode: .ycsb, fieldCount: fieldCount, fieldLength: fieldLength, insertOrderHashed: true,
        zeroPadding: zeroPadding)
      #expect(EngineKnobs.estimatedRecordBytes(shape) == (try measuredRecordBytes(shape)), "\(shape)")
    }
  }
}
