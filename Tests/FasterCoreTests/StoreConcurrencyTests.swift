import FasterTestSupport
import Foundation
import Synchronization
import Testing

@testable import FasterCore

/// Threads on overlapping keys; every read and the final state are checked against what
/// a linearizable store could return (`LinearizabilityChecker`). One thread keeps making
/// the whole log read-only so copy-updates (RCU), the fuzzy region and sealing race with
/// in-place updates. These suites also run under the thread sanitizer (scripts/test.sh).
@Suite struct StoreConcurrencyTests {
  static let registerKeys = 0..<24
  static let counterKeys = 100..<108

  static var operationsPerThread: Int {
    ProcessInfo.processInfo.environment["FASTER_TSAN"] == nil ? 6_000 : 1_500
  }

  @Test(arguments: [2, 4, 8])
  func fixedSizeStoreIsLinearizable(threads: Int) throws {
    let seed = testSeed("fixedSizeStoreIsLinearizable(\(threads))")
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: smallOptions(indexBytes: 128, logBytes: 1 << 24, pageBytes: 1 << 12, mutableFraction: 0.5))
    let ticket = SharedCounter(1)
    let histories = Shared<[[LinearizabilityChecker.Event]]>([])
    let perThread = Self.operationsPerThread
    runThreads(threads) { thread in
      var random = TestRandom(seed: seed &+ UInt64(thread) &* 0x9E37_79B9)
      let session = try! store.newSession()
      var events: [LinearizabilityChecker.Event] = []
      events.reserveCapacity(perThread)
      for i in 0..<perThread {
        if thread == 0 && i % 300 == 0 {
          store.shiftReadOnlyAddress(to: store.tailAddress)
        }
        let isCounter = random.next(below: 4) == 0
        let key =
          isCounter
          ? Self.counterKeys.lowerBound + random.next(below: Self.counterKeys.count)
          : random.next(below: Self.registerKeys.count)
        let start = ticket.add()
        var event = LinearizabilityChecker.Event(key: key, kind: .read, value: nil, start: start, end: 0)
        let choice = random.next(below: 10)
        if choice < 4 {
          var value: UInt64 = 0
          let status = session.read(UInt64(key), into: &value)
          precondition(status == .ok || status == .notFound, "read returned \(status)")
          event.value = status == .ok ? value : nil
        } else if isCounter {
          event.kind = .increment
          let status = session.rmw(UInt64(key), AddUpdate(delta: 1))
          precondition(status == .ok, "rmw returned \(status)")
        } else if choice < 9 {
          event.kind = .write
          let value = UInt64(thread + 1) << 40 | UInt64(i)
          event.value = value
          let status = session.upsert(UInt64(key), value)
          precondition(status == .ok, "upsert returned \(status)")
        } else {
          event.kind = .delete
          _ = session.delete(UInt64(key))
        }
        event.end = ticket.add()
        events.append(event)
      }
      session.end()
      histories.withLock { $0.append(events) }
    }
    let session = try store.newSession()
    var finalState: [Int: UInt64?] = [:]
    for key in Array(Self.registerKeys) + Array(Self.counterKeys) {
      var value: UInt64 = 0
      finalState[key] = session.read(UInt64(key), into: &value) == .ok ? value : nil
    }
    let problems = LinearizabilityChecker.violations(
      in: histories.withLock { $0.flatMap { $0 } }, finalState: finalState, counterKeys: Set(Self.counterKeys)
    )
    #expect(problems.isEmpty, "\(problems.prefix(5)) (seed \(seed))")
  }

  @Test(arguments: [2, 4, 8])
  func variableLengthStoreIsLinearizable(threads: Int) throws {
    let seed = testSeed("variableLengthStoreIsLinearizable(\(threads))")
    let store = try VariableLengthStore(
      options: smallOptions(indexBytes: 128, logBytes: 1 << 24, pageBytes: 1 << 12, mutableFraction: 0.5))
    let ticket = SharedCounter(1)
    let histories = Shared<[[LinearizabilityChecker.Event]]>([])
    let tornReads = SharedCounter()
    let perThread = Self.operationsPerThread
    runThreads(threads) { thread in
      var random = TestRandom(seed: seed &+ UInt64(thread) &* 0x9E37_79B9)
      let session = try! store.newSession()
      var events: [LinearizabilityChecker.Event] = []
      var buffer = [UInt8](repeating: 0, count: 256)
      for i in 0..<perThread {
        if thread == 0 && i % 300 == 0 {
          store.shiftReadOnlyAddress(to: store.tailAddress)
        }
        let isCounter = random.next(below: 4) == 0
        let key =
          isCounter
          ? Self.counterKeys.lowerBound + random.next(below: Self.counterKeys.count)
          : random.next(below: Self.registerKeys.count)
        let keyBytes = TestBytes.key(key)
        let start = ticket.add()
        var event = LinearizabilityChecker.Event(key: key, kind: .read, value: nil, start: start, end: 0)
        let choice = random.next(below: 10)
        if choice < 4 {
          var length = 0
          let status = keyBytes.withUnsafeBytes { k in
            buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
          }
          precondition(status == .ok || status == .notFound, "read returned \(status)")
          if status == .ok {
            let decoded = buffer.withUnsafeBytes { bytes in
              let value = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
              return isCounter ? CounterBytesUpdate.decode(value) : TestBytes.decode(value)
            }
            if decoded == nil { tornReads.add() }
            event.value = decoded ?? UInt64.max
          }
        } else if isCounter {
          event.kind = .increment
          let status = keyBytes.withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) }
          precondition(status == .ok, "rmw returned \(status)")
        } else if choice < 9 {
          event.kind = .write
          let id = UInt64(thread + 1) << 40 | UInt64(i)
          event.value = id
          let value = TestBytes.make(id)
          let status = keyBytes.withUnsafeBytes { k in
            value.withUnsafeBytes { session.upsert(key: k, value: $0) }
          }
          precondition(status == .ok, "upsert returned \(status)")
        } else {
          event.kind = .delete
          _ = keyBytes.withUnsafeBytes { session.delete(key: $0) }
        }
        event.end = ticket.add()
        events.append(event)
      }
      session.end()
      histories.withLock { $0.append(events) }
    }
    #expect(tornReads.current == 0, "reads saw torn or mixed values (seed \(seed))")
    let session = try store.newSession()
    var finalState: [Int: UInt64?] = [:]
    var buffer = [UInt8](repeating: 0, count: 256)
    for key in Array(Self.registerKeys) + Array(Self.counterKeys) {
      var length = 0
      let status = TestBytes.key(key).withUnsafeBytes { k in
        buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
      }
      finalState[key] =
        status == .ok
        ? buffer.withUnsafeBytes { bytes in
          let value = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
          return Self.counterKeys.contains(key) ? CounterBytesUpdate.decode(value) : TestBytes.decode(value)
        } : nil
    }
    let problems = LinearizabilityChecker.violations(
      in: histories.withLock { $0.flatMap { $0 } }, finalState: finalState, counterKeys: Set(Self.counterKeys)
    )
    #expect(problems.isEmpty, "\(problems.prefix(5)) (seed \(seed))")
  }
}
