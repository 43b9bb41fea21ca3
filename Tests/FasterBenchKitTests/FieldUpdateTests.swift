import Testing

@testable import FasterBenchKit

@Suite struct FieldUpdateTests {
  /// The engine update regenerates exactly the bytes the runner put in the payload buffer.
  @Test(arguments: [-1, 0, 3, 9])
  func updateWritesThePayloadsBytes(fieldIndex: Int) {
    let fieldLength = 13
    let record = UnsafeMutableRawBufferPointer.allocate(byteCount: 10 * fieldLength, alignment: 8)
    defer { record.deallocate() }
    record.initializeMemory(as: UInt8.self, repeating: 0)
    let seed: UInt64 = 0xDEAD_BEEF
    let range =
      fieldIndex < 0 ? 0..<record.count : (fieldIndex * fieldLength)..<((fieldIndex + 1) * fieldLength)
    FieldFiller.fill(UnsafeMutableRawBufferPointer(rebasing: record[range]), seed: seed)
    let payload = RecordPayload(
      value: 0, record: UnsafeRawBufferPointer(record), fieldIndex: fieldIndex, fieldLength: fieldLength,
      fieldSeed: seed)
    let update = FieldUpdate(payload)

    var stored = [UInt8](repeating: 7, count: record.count)
    var length = stored.count
    let fitted = stored.withUnsafeMutableBytes { update.updateInPlace($0, length: &length) }
    #expect(fitted)
    #expect(Array(stored[range]) == Array(record[range]))
    if fieldIndex >= 0 {
      #expect(stored[(range.upperBound)...].allSatisfy { $0 == 7 } || range.upperBound == stored.count)
    }

    var created = [UInt8](repeating: 1, count: update.initialLength())
    created.withUnsafeMutableBytes { update.writeInitial(into: $0) }
    #expect(Array(created) == Array(record))

    let old = [UInt8](repeating: 5, count: record.count)
    var copied = [UInt8](repeating: 0, count: old.withUnsafeBytes { update.copyLength(old: $0) })
    old.withUnsafeBytes { oldBytes in
      copied.withUnsafeMutableBytes { update.copyUpdate(old: oldBytes, into: $0) }
    }
    #expect(Array(copied[range]) == Array(record[range]))
    #expect(copied.count == record.count)
  }

  @Test func updateDoesNotFitAShorterRecord() {
    let record = UnsafeMutableRawBufferPointer.allocate(byteCount: 40, alignment: 8)
    defer { record.deallocate() }
    record.initializeMemory(as: UInt8.self, repeating: 0)
    let update = FieldUpdate(
      RecordPayload(
        value: 0, record: UnsafeRawBufferPointer(record), fieldIndex: 3, fieldLength: 10, fieldSeed: 1))
    var short = [UInt8](repeating: 0, count: 40)
    var length = 30
    #expect(!short.withUnsafeMutableBytes { update.updateInPlace($0, length: &length) })
  }
}
