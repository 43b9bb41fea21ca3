import FasterStorage
import Testing

@testable import FasterCore

/// Batched operations behave exactly as the same operations one by one, in order.
@Suite struct BatchOperationTests {
  @Test(arguments: [1, 3, 8, 100])
  func aBatchMatchesSingleOperationsInOrder(batchSize: Int) throws {
    let seed = testSeed("aBatchMatchesSingleOperationsInOrder(\(batchSize))")
    var random = TestRandom(seed: seed)
    let batched = try FixedSizeStore<UInt64, UInt64>(options: smallOptions())
    let single = try FixedSizeStore<UInt64, UInt64>(options: smallOptions())
    let batchedSession = try batched.newSession()
    let singleSession = try single.newSession()
    for round in 0..<200 {
      // Few distinct keys, so batches hold duplicates: each sees its predecessor's effect.
      let keys = (0..<batchSize).map { _ in UInt64(random.next(below: 40)) }
      let values = keys.map { $0 &* 1_000 &+ UInt64(round) }
      var statuses = [OperationStatus](repeating: .pending, count: batchSize)
      var expected = [OperationStatus](repeating: .pending, count: batchSize)
      switch random.next(below: 4) {
      case 0:
        keys.withUnsafeBufferPointer { k in
          values.withUnsafeBufferPointer { v in
            statuses.withUnsafeMutableBufferPointer {
              batchedSession.upsert(batch: k, values: v, statuses: $0)
            }
          }
        }
        for i in 0..<batchSize { expected[i] = singleSession.upsert(keys[i], values[i]) }
      case 1:
        keys.withUnsafeBufferPointer { k in
          statuses.withUnsafeMutableBufferPointer {
            batchedSession.rmw(batch: k, AddUpdate(delta: 3), statuses: $0)
          }
        }
        for i in 0..<batchSize { expected[i] = singleSession.rmw(keys[i], AddUpdate(delta: 3)) }
      case 2:
        keys.withUnsafeBufferPointer { k in
          statuses.withUnsafeMutableBufferPointer { batchedSession.delete(batch: k, statuses: $0) }
        }
        for i in 0..<batchSize { expected[i] = singleSession.delete(keys[i]) }
      default:
        var got = [UInt64](repeating: 0, count: batchSize)
        keys.withUnsafeBufferPointer { k in
          got.withUnsafeMutableBufferPointer { v in
            statuses.withUnsafeMutableBufferPointer { batchedSession.read(batch: k, into: v, statuses: $0) }
          }
        }
        for i in 0..<batchSize {
          var value: UInt64 = 0
          expected[i] = singleSession.read(keys[i], into: &value)
          if expected[i] == .ok { #expect(got[i] == value, "seed \(seed): key \(keys[i])") }
        }
      }
      #expect(statuses == expected, "seed \(seed), round \(round)")
    }
    #expect(batchedSession.serialNumber == singleSession.serialNumber, "one serial number per key")
    for key: UInt64 in 0..<40 {
      var a: UInt64 = 0
      var b: UInt64 = 0
      #expect(batchedSession.read(key, into: &a) == singleSession.read(key, into: &b))
      #expect(a == b)
    }
  }

  @Test func batchedReadsOfEvictedKeysGoPendingAndComplete() throws {
    let directory = TemporaryDirectory("batch-pending")
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    for key: UInt64 in 0..<20_000 { _ = session.upsert(key, key + 1) }
    let keys: [UInt64] = [0, 1, 19_999, 2, 19_998]
    var values = [UInt64](repeating: 0, count: keys.count)
    var statuses = [OperationStatus](repeating: .ok, count: keys.count)
    keys.withUnsafeBufferPointer { k in
      values.withUnsafeMutableBufferPointer { v in
        statuses.withUnsafeMutableBufferPointer { session.read(batch: k, into: v, statuses: $0) }
      }
    }
    #expect(statuses == [.pending, .pending, .ok, .pending, .ok])
    #expect(values[2] == 20_000 && values[4] == 19_999)
    let completed = session.completePendingWithResults(wait: true)
    #expect(completed.count == 3)
    // Serial numbers 20 001... are the batch's keys in order.
    for result in completed {
      let key = keys[Int(result.serialNumber) - 20_001]
      #expect(result.status == .ok && result.value == key + 1, "key \(key)")
    }
  }
}
