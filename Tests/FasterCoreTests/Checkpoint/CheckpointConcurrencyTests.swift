import FasterStorage
import FasterTestSupport
import Foundation
import Synchronization
import Testing

@testable import FasterCore

/// Checkpoints under a running multi-threaded workload, a simulated crash (the
/// fault-injecting device drops every write not flushed), recovery, and the CPR check:
/// for every session, the recovered state holds exactly its operations with serial <= its
/// commit point (minus the pending ones), and none after.
@Suite struct CheckpointConcurrencyTests {
  @Test(arguments: [1, 2, 4], CheckpointKind.allCases)
  func recoveredStateIsEachSessionsPrefix(threads: Int, kind: CheckpointKind) throws {
    let seed = testSeed("CheckpointConcurrencyTests.prefix.\(threads).\(kind)")
    print("CheckpointConcurrencyTests threads=\(threads) kind=\(kind) seed=\(seed)")
    let directory = TemporaryDirectory("cpr-prefix")
    let options = checkpointOptions(directory)
    var deviceOptions = DeviceOptions(directory: directory.path)
    deviceOptions.segmentSizeBytes = 1 << 20
    let inner = try Devices.open(.file, options: deviceOptions, forceFileDevice: false, log: { print($0) })
    let device = FaultInjectingDevice(wrapping: inner, seed: seed)
    defer { device.close() }
    let keysPerThread: UInt64 = 400
    let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
    let stop = Atomic<Bool>(false)
    // Each thread's operations, by serial: (key, delta). Written by its thread, read after join.
    let logs = (0..<threads).map { _ in Shared<[(UInt64, UInt64)]>([]) }
    let checkpointsTaken = Atomic<Int>(0)
    let checkpointer = TestThread {
      var random = TestRandom(seed: seed)
      // Incremental: a full snapshot, then deltas (the crash recovers the last delta).
      for _ in 0..<(kind == .incrementalSnapshot ? 4 : 3) {
        usleep(UInt32(2_000 + random.next(below: 20_000)))
        let request = CheckpointRequest(kind: kind, includeIndex: random.next(below: 2) == 0)
        do { _ = try store.checkpointAndWait(request) } catch { Issue.record("checkpoint failed: \(error)") }
        checkpointsTaken.add(1, ordering: .relaxed)
      }
      stop.store(true, ordering: .releasing)
    }
    checkpointer.start()
    runThreads(threads) { thread in
      var random = TestRandom(seed: seed &+ UInt64(thread) &* 7919)
      guard let session = try? store.newSession(name: "t\(thread)") else { return }
      var log: [(UInt64, UInt64)] = []
      while !stop.load(ordering: .acquiring) {
        let key = UInt64(thread) * 1_000_000 + UInt64(random.next(below: Int(keysPerThread)))
        let delta = UInt64(1 + random.next(below: 9))
        log.append((key, delta))
        let status = session.rmw(key, AddUpdate(delta: delta))
        if status == .pending {
          if random.next(below: 4) == 0 { session.completePending(wait: true) }
        } else if status != .ok {
          Issue.record("rmw returned \(status)")
        }
      }
      session.completePending(wait: true)
      session.end()
      logs[thread].withLock { $0 = log }
    }
    checkpointer.join()
    #expect(checkpointsTaken.load(ordering: .relaxed) == (kind == .incrementalSnapshot ? 4 : 3))
    device.simulateCrash(tearingLastWriteAt: nil)
    device.reopen()
    let recovered = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device)
    let info = try #require(recovered.recoveredCheckpoint)
    if kind == .incrementalSnapshot {
      #expect(info.kind == .incrementalSnapshot && info.previousToken != nil, "recovered \(info.kind)")
    }
    let reader = try recovered.newSession()
    for thread in 0..<threads {
      let point = try #require(info.commitPoints["t\(thread)"], "no commit point for t\(thread)")
      let excluded = Set(point.pendingSerials)
      var expected: [UInt64: UInt64] = [:]
      for (index, (key, delta)) in logs[thread].withLock { $0 }.enumerated() {
        let serial = UInt64(index + 1)
        guard serial <= point.serial, !excluded.contains(serial) else { continue }
        expected[key, default: 0] &+= delta
      }
      for offset in 0..<keysPerThread {
        let key = UInt64(thread) * 1_000_000 + offset
        let value = readValueWaiting(reader, key)
        #expect(value == expected[key], "seed \(seed) thread \(thread) key \(key) commit \(point.serial)")
      }
    }
    reader.end()
  }
}
