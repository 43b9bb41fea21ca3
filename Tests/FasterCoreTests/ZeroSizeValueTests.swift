import FasterTestSupport
import Testing

@testable import FasterCore

/// A value type of no bytes (a key-only set) still gets a value slot: value stores must
/// never reach the next record.
@Suite struct ZeroSizeValueTests {
  struct Empty: Blittable, Equatable {}

  @Test func theValueSlotIsAtLeastOneWord() {
    #expect(FixedSizeRecord<UInt64, Empty>.size == 24)
  }

  @Test func aDeletedKeyStaysDeletedNextToUpdatedNeighbours() throws {
    let store = try FixedSizeStore<UInt64, Empty>(options: smallOptions())
    let session = try store.newSession()
    for key: UInt64 in 0..<100 { #expect(session.upsert(key, Empty()) == .ok) }
    for key: UInt64 in stride(from: 0, to: 100, by: 2) { #expect(session.delete(key) == .ok) }
    for key: UInt64 in 0..<100 { #expect(session.upsert(key | 1, Empty()) == .ok) }
    var value = Empty()
    for key: UInt64 in 0..<100 {
      let expected: OperationStatus = key % 2 == 0 ? .notFound : .ok
      #expect(session.read(key, into: &value) == expected, "key \(key)")
    }
  }
}
