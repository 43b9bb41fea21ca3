import FasterTestSupport
import Testing

@testable import FasterCore

/// Model-based randomized tests: random operation sequences against the store and a
/// plain dictionary, every result compared. Small indexes force shared buckets and
/// chains; periodic read-only shifts force copy-updates.
@Suite struct StoreModelTests {
  @Test(arguments: [64, 1 << 12])
  func fixedSizeStoreMatchesADictionary(indexBytes: Int) throws {
    var random = TestRandom(seed: testSeed("fixedSizeStoreMatchesADictionary(\(indexBytes))"))
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: smallOptions(indexBytes: indexBytes, logBytes: 1 << 22, mutableFraction: 0.5))
    let session = try store.newSession()
    var model: [UInt64: UInt64] = [:]
    for step in 0..<30_000 {
      let key = UInt64(random.next(below: 500))
      switch random.next(below: 10) {
      case 0..<3:
        var value: UInt64 = 0
        let status = session.read(key, into: &value)
        if let expected = model[key] {
          #expect(status == .ok && value == expected, "step \(step): read \(key)")
        } else {
          #expect(status == .notFound, "step \(step): read \(key)")
        }
      case 3..<6:
        let value = random.next()
        #expect(session.upsert(key, value) == .ok)
        model[key] = value
      case 6..<8:
        let delta = UInt64(random.next(below: 100))
        #expect(session.rmw(key, AddUpdate(delta: delta)) == .ok)
        model[key] = (model[key] ?? 0) &+ delta
      case 8:
        let status = session.delete(key)
        #expect(status == .ok || (status == .notFound && model[key] == nil))
        model[key] = nil
      default:
        if random.next(below: 50) == 0 { makeEverythingReadOnly(store, session: session) }
      }
    }
    for key in 0..<500 as Range<UInt64> {
      var value: UInt64 = 0
      let status = session.read(key, into: &value)
      if let expected = model[key] {
        #expect(status == .ok && value == expected)
      } else {
        #expect(status == .notFound)
      }
    }
    #expect(store.invariantViolations() == [])
  }

  @Test(arguments: [64, 1 << 12])
  func variableLengthStoreMatchesADictionary(indexBytes: Int) throws {
    var random = TestRandom(seed: testSeed("variableLengthStoreMatchesADictionary(\(indexBytes))"))
    let store = try VariableLengthStore(
      options: smallOptions(
        indexBytes: indexBytes, logBytes: 1 << 23, pageBytes: 1 << 14, mutableFraction: 0.5))
    let session = try store.newSession()
    var model: [Int: [UInt8]] = [:]
    var deleted: Set<Int> = []
    var buffer = [UInt8](repeating: 0, count: 1024)
    for step in 0..<20_000 {
      let keyNumber = random.next(below: 300)
      let key = TestBytes.key(keyNumber)
      switch random.next(below: 10) {
      case 0..<3:
        var length = 0
        let status = key.withUnsafeBytes { k in
          buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
        }
        if let expected = model[keyNumber] {
          #expect(status == .ok && Array(buffer[0..<length]) == expected, "step \(step): read \(keyNumber)")
        } else {
          #expect(status == .notFound, "step \(step): read \(keyNumber)")
        }
      case 3..<6:
        let value = (0..<random.next(below: 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let status = key.withUnsafeBytes { k in value.withUnsafeBytes { session.upsert(key: k, value: $0) } }
        #expect(status == .ok)
        model[keyNumber] = value
      case 6..<8:
        // RMW on a separate key space so values stay counters.
        let counterKey = TestBytes.key(10_000 + keyNumber % 50)
        #expect(counterKey.withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) } == .ok)
        var expected = UInt64(1)
        if let old = model[10_000 + keyNumber % 50] {
          expected = old.withUnsafeBytes { CounterBytesUpdate.decode($0)! } + 1
        }
        var bytes = [UInt8](repeating: 0, count: CounterBytesUpdate.length(for: expected))
        bytes.withUnsafeMutableBytes { CounterBytesUpdate.write(count: expected, into: $0) }
        model[10_000 + keyNumber % 50] = bytes
      case 8:
        let status = key.withUnsafeBytes { session.delete(key: $0) }
        #expect(status == .ok || (status == .notFound && model[keyNumber] == nil), "step \(step): delete")
        model[keyNumber] = nil
        deleted.insert(keyNumber)
      default:
        if random.next(below: 50) == 0 { makeEverythingReadOnly(store, session: session) }
      }
    }
    // Every key, not only the live ones: a deleted key must read `.notFound`.
    var deletedKeysChecked = 0
    for keyNumber in Array(0..<300) + Array(10_000..<10_050) {
      var length = 0
      let status = TestBytes.key(keyNumber).withUnsafeBytes { k in
        buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
      }
      if let expected = model[keyNumber] {
        #expect(status == .ok && Array(buffer[0..<length]) == expected, "final read \(keyNumber)")
      } else {
        #expect(status == .notFound, "final read \(keyNumber): deleted or never written")
        if deleted.contains(keyNumber) { deletedKeysChecked += 1 }
      }
    }
    #expect(deletedKeysChecked > 0, "some keys were deleted last and read back as not found")
    #expect(store.invariantViolations() == [])
  }
}
