import FasterStorage
import FasterTestSupport
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

/// The byte-string batch operations, against single operations.
@Suite struct VariableLengthBatchTests {
  @Test func aByteBatchMatchesSingleOperations() throws {
    let store = try VariableLengthStore(options: smallOptions())
    let session = try store.newSession()
    let names = ["a", "bb", "a", "ccc", "bb", "dddd"].map { Array($0.utf8) }
    let payloads = names.enumerated().map { Array(repeating: UInt8($0.offset), count: $0.offset + 1) }
    var statuses = [OperationStatus](repeating: .pending, count: names.count)
    withPointers(names) { keys in
      withPointers(payloads) { values in
        statuses.withUnsafeMutableBufferPointer { session.upsert(batch: keys, values: values, statuses: $0) }
      }
    }
    #expect(statuses.allSatisfy { $0 == .ok })
    var lengths = [Int](repeating: 0, count: names.count)
    let bufferPointers = names.map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 8)
    }
    defer { bufferPointers.forEach { $0.deallocate() } }
    withPointers(names) { keys in
      bufferPointers.withUnsafeBufferPointer { buffers in
        lengths.withUnsafeMutableBufferPointer { lengthBuffer in
          statuses.withUnsafeMutableBufferPointer {
            session.read(batch: keys, into: buffers, valueLengths: lengthBuffer, statuses: $0)
          }
        }
      }
    }
    // The last upsert of each key wins: "a" -> payload 2, "bb" -> payload 4.
    let lastPayload: [[UInt8]: [UInt8]] = Dictionary(zip(names, payloads), uniquingKeysWith: { $1 })
    for (index, name) in names.enumerated() {
      #expect(statuses[index] == .ok)
      #expect(Array(bufferPointers[index][0..<lengths[index]]) == lastPayload[name])
    }
    withPointers(names) { keys in
      statuses.withUnsafeMutableBufferPointer { session.delete(batch: keys, statuses: $0) }
    }
    var length = 0
    let status = names[0].withUnsafeBytes {
      session.read(key: $0, into: bufferPointers[0], valueLength: &length)
    }
    #expect(status == .notFound)
  }

  /// Calls `body` with a buffer of raw pointers to each array's bytes.
  func withPointers<R>(_ arrays: [[UInt8]], _ body: (UnsafeBufferPointer<UnsafeRawBufferPointer>) -> R) -> R {
    let pointers = arrays.map { array -> UnsafeRawBufferPointer in
      let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: array.count, alignment: 8)
      copy.copyBytes(from: array)
      return UnsafeRawBufferPointer(copy)
    }
    defer { pointers.forEach { $0.deallocate() } }
    return pointers.withUnsafeBufferPointer(body)
  }
}
