import Testing

@testable import FasterCore

@Suite struct FixedSizeStoreTests {
  typealias Store = FixedSizeStore<UInt64, UInt64>

  @Test func upsertThenRead() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    #expect(session.upsert(1, 100) == .ok)
    var value: UInt64 = 0
    #expect(session.read(1, into: &value) == .ok)
    #expect(value == 100)
  }

  @Test func readOfMissingKeyIsNotFoundAndLeavesTheValue() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    var value: UInt64 = 7
    #expect(session.read(99, into: &value) == .notFound)
    #expect(value == 7)
  }

  @Test func overwriteInPlaceDoesNotGrowTheLog() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    _ = session.upsert(1, 1)
    let tail = store.statistics.tailAddress
    _ = session.upsert(1, 2)
    #expect(store.statistics.tailAddress == tail)
    var value: UInt64 = 0
    _ = session.read(1, into: &value)
    #expect(value == 2)
  }

  @Test func deleteThenReadIsNotFound() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    _ = session.upsert(5, 50)
    #expect(session.delete(5) == .ok)
    var value: UInt64 = 0
    #expect(session.read(5, into: &value) == .notFound)
    #expect(session.upsert(5, 51) == .ok)
    #expect(session.read(5, into: &value) == .ok && value == 51)
  }

  @Test func deleteOfNeverWrittenKeyIsNotFound() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    #expect(session.delete(12345) == .notFound)
  }

  @Test func rmwCreatesThenUpdates() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    #expect(session.rmw(3, AddUpdate(delta: 5)) == .ok)
    #expect(session.rmw(3, AddUpdate(delta: 5)) == .ok)
    var value: UInt64 = 0
    #expect(session.read(3, into: &value) == .ok && value == 10)
  }

  @Test func rmwAfterDeleteStartsFromTheInitialValue() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    _ = session.rmw(3, AddUpdate(delta: 5))
    _ = session.delete(3)
    _ = session.rmw(3, AddUpdate(delta: 2))
    var value: UInt64 = 0
    #expect(session.read(3, into: &value) == .ok && value == 2)
  }

  @Test func updatesOfReadOnlyRecordsCopyToTheTail() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    _ = session.upsert(1, 10)
    _ = session.rmw(2, AddUpdate(delta: 1))
    makeEverythingReadOnly(store, session: session)
    let tail = store.statistics.tailAddress
    _ = session.upsert(1, 11)
    _ = session.rmw(2, AddUpdate(delta: 1))
    #expect(store.statistics.tailAddress == tail + 2 * 24, "two new 24-byte records")
    var value: UInt64 = 0
    #expect(session.read(1, into: &value) == .ok && value == 11)
    #expect(session.read(2, into: &value) == .ok && value == 2)
  }

  @Test func deleteOfReadOnlyRecordAppendsATombstone() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    _ = session.upsert(1, 10)
    makeEverythingReadOnly(store, session: session)
    #expect(session.delete(1) == .ok)
    var value: UInt64 = 0
    #expect(session.read(1, into: &value) == .notFound)
  }

  @Test func keysSharingOneBucketChainThroughTheLog() throws {
    let store = try Store(options: smallOptions(indexBytes: 64))  // one bucket for everything
    let session = try store.newSession()
    for key in 0..<2_000 as Range<UInt64> { #expect(session.upsert(key, key * 2) == .ok) }
    var value: UInt64 = 0
    for key in 0..<2_000 as Range<UInt64> {
      #expect(session.read(key, into: &value) == .ok)
      #expect(value == key * 2)
    }
    #expect(store.statistics.overflowBucketCount > 0)
  }

  @Test func fullLogReturnsOutOfMemoryAndKeepsWhatWasWritten() throws {
    let store = try Store(options: smallOptions(logBytes: 1 << 13, pageBytes: 1 << 12))
    let session = try store.newSession()
    var written: UInt64 = 0
    while session.upsert(written, written + 1) == .ok { written += 1 }
    #expect(written > 300)
    #expect(session.upsert(written, 0) == .outOfMemory)
    #expect(session.rmw(written + 1, AddUpdate(delta: 1)) == .outOfMemory)
    var value: UInt64 = 0
    for key in 0..<written {
      #expect(session.read(key, into: &value) == .ok && value == key + 1)
    }
    #expect(session.upsert(written - 1, 42) == .ok, "in-place updates in the mutable page still work")
    #expect(session.upsert(0, 42) == .outOfMemory, "page 0 is read-only: an update must copy, and cannot")
    #expect(session.read(written, into: &value) == .notFound, "the failed write left nothing")
  }

  @Test func wideValuesRoundTripAndUpdate() throws {
    let store = try FixedSizeStore<UInt64, WideValue>(options: smallOptions())
    let session = try store.newSession()
    #expect(FixedSizeRecord<UInt64, WideValue>.size == 8 + 8 + 8 + 32)
    #expect(session.upsert(1, WideValue(9)) == .ok)
    #expect(session.rmw(1, AddWideUpdate()) == .ok)
    var value = WideValue(0)
    #expect(session.read(1, into: &value) == .ok)
    #expect(value == WideValue(10))
    makeEverythingReadOnly(store, session: session)
    #expect(session.rmw(1, AddWideUpdate()) == .ok)
    #expect(session.read(1, into: &value) == .ok && value == WideValue(11))
  }

  @Test func smallKeysAndValuesArePadded() throws {
    let store = try FixedSizeStore<UInt32, UInt16>(options: smallOptions())
    let session = try store.newSession()
    #expect(FixedSizeRecord<UInt32, UInt16>.size == 24)
    _ = session.upsert(7, 700)
    var value: UInt16 = 0
    #expect(session.read(7, into: &value) == .ok && value == 700)
    #expect(session.read(8, into: &value) == .notFound)
  }

  @Test func serialNumbersCountOperations() throws {
    let store = try Store(options: smallOptions())
    let session = try store.newSession()
    _ = session.upsert(1, 1)
    var value: UInt64 = 0
    _ = session.read(1, into: &value)
    _ = session.delete(1)
    #expect(session.serialNumber == 3)
  }
}
