import Testing

@testable import FasterCore

@Suite struct VariableLengthStoreTests {
  func upsert(_ session: FasterSession<VariableLengthRecord>, _ key: String, _ value: [UInt8])
    -> OperationStatus
  {
    Array(key.utf8).withUnsafeBytes { k in value.withUnsafeBytes { v in session.upsert(key: k, value: v) } }
  }

  func read(_ session: FasterSession<VariableLengthRecord>, _ key: String, capacity: Int = 256) -> (
    OperationStatus, [UInt8]
  ) {
    var buffer = [UInt8](repeating: 0, count: capacity)
    var length = 0
    let status = Array(key.utf8).withUnsafeBytes { k in
      buffer.withUnsafeMutableBytes { b in session.read(key: k, into: b, valueLength: &length) }
    }
    return (status, status == .ok ? Array(buffer[0..<length]) : [])
  }

  @Test func bytesRoundTrip() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    #expect(upsert(session, "alpha", Array("first value".utf8)) == .ok)
    let (status, value) = read(session, "alpha")
    #expect(status == .ok)
    #expect(value == Array("first value".utf8))
    #expect(read(session, "alph").0 == .notFound)
    #expect(read(session, "alpha2").0 == .notFound)
  }

  @Test func emptyKeyAndEmptyValue() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    #expect(upsert(session, "", []) == .ok)
    let (status, value) = read(session, "")
    #expect(status == .ok && value.isEmpty)
  }

  @Test func shorterValueIsWrittenInPlace() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    _ = upsert(session, "k", [UInt8](repeating: 1, count: 40))
    let tail = store.statistics.tailAddress
    _ = upsert(session, "k", [2, 2, 2])
    #expect(store.statistics.tailAddress == tail)
    #expect(read(session, "k").1 == [2, 2, 2])
  }

  @Test func longerValueGoesToANewRecord() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    _ = upsert(session, "k", [1])
    let tail = store.statistics.tailAddress
    _ = upsert(session, "k", [UInt8](repeating: 3, count: 100))
    #expect(store.statistics.tailAddress > tail)
    #expect(read(session, "k").1 == [UInt8](repeating: 3, count: 100))
  }

  @Test func smallBufferReportsTheLengthNeeded() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    _ = upsert(session, "k", [UInt8](repeating: 9, count: 50))
    var buffer = [UInt8](repeating: 0, count: 10)
    var length = 0
    let status = Array("k".utf8).withUnsafeBytes { k in
      buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
    }
    #expect(status == .bufferTooSmall)
    #expect(length == 50)
  }

  @Test func rmwGrowsPastTheCapacityBySealingAndCopying() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    let key = Array("counter".utf8)
    for _ in 0..<10 {
      #expect(key.withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) } == .ok)
    }
    let (status, value) = read(session, "counter")
    #expect(status == .ok)
    #expect(value.withUnsafeBytes { CounterBytesUpdate.decode($0) } == 10)
  }

  @Test func deleteAndRecreate() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    _ = upsert(session, "k", [1, 2, 3])
    #expect(Array("k".utf8).withUnsafeBytes { session.delete(key: $0) } == .ok)
    #expect(read(session, "k").0 == .notFound)
    _ = upsert(session, "k", [4])
    #expect(read(session, "k").1 == [4])
  }

  @Test func valueLargerThanAPageIsRecordTooLarge() throws {
    let store = try VariableLengthStore(options: smallOptions(pageBytes: 1 << 12))
    let session = try store.newSession()
    #expect(upsert(session, "big", [UInt8](repeating: 0, count: 5000)) == .recordTooLarge)
    #expect(read(session, "big").0 == .notFound)
  }

  @Test func readOnlyRecordsAreCopiedOnUpdate() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    let key = Array("c".utf8)
    _ = key.withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) }
    _ = upsert(session, "u", [1, 1])
    makeEverythingReadOnly(store, session: session)
    _ = key.withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) }
    _ = upsert(session, "u", [2])
    #expect(read(session, "c").1.withUnsafeBytes { CounterBytesUpdate.decode($0) } == 2)
    #expect(read(session, "u").1 == [2])
  }
}
