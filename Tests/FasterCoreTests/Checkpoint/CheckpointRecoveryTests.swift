import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

func checkpointOptions(_ directory: TemporaryDirectory) -> FasterKVOptions {
  var options = diskOptions()
  options.checkpointDirectory = directory.path + "/checkpoints"
  return options
}

/// Reads `key`, waiting for the device if needed.
func readValueWaiting(_ session: FasterSession<FixedSizeRecord<UInt64, UInt64>>, _ key: UInt64) -> UInt64? {
  var value: UInt64 = 0
  switch session.read(key, into: &value) {
  case .ok: return value
  case .pending:
    let result = session.completePendingWithResults(wait: true).first
    return result?.status == .ok ? result?.value : nil
  default: return nil
  }
}

@Suite struct CheckpointRecoveryTests {
  @Test(arguments: TestDevice.allCases, CheckpointKind.allCases)
  func recoveryRestoresTheCheckpointAndDropsLaterWrites(device kind: TestDevice, checkpoint: CheckpointKind)
    throws
  {
    let directory = TemporaryDirectory("cpr-basic")
    let options = checkpointOptions(directory)
    let keys: UInt64 = 3_000
    var info: CheckpointInfo
    do {
      let device = try kind.open(directory)
      let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
      let session = try store.newSession(name: "writer")
      for key in 0..<keys { #expect(session.upsert(key, key &* 3) == .ok) }
      session.suspend()
      info = try store.checkpointAndWait(CheckpointRequest(kind: checkpoint))
      #expect(info.commitPoints["writer"]?.serial == keys)
      // An incremental snapshot with nothing to build on is a full one.
      #expect(info.kind == (checkpoint == .incrementalSnapshot ? .snapshot : checkpoint))
      // After the checkpoint: new keys and overwrites (version v + 1), some reaching the
      // device through eviction; the crash loses them from the recovered state.
      for key in 0..<keys { #expect(session.upsert(key, 999) == .ok) }
      for key in keys..<(keys + 500) { #expect(session.upsert(key, 1) == .ok) }
      session.end()
      device.close()  // a crash: no flush of the rest, no checkpoint
    }
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device)
    #expect(store.recoveredCheckpoint?.token == info.token)
    #expect(store.recoveryReport?.skipped == [])
    let (session, point) = try store.continueSession(name: "writer")
    #expect(point.serial == keys)
    #expect(session.serialNumber == keys)
    for key in 0..<keys { #expect(readValueWaiting(session, key) == key &* 3, "key \(key)") }
    for key in keys..<(keys + 500) {
      #expect(readValueWaiting(session, key) == nil, "key \(key) was written after")
    }
    // The recovered store keeps working: writes, a second checkpoint, a second recovery.
    for key in 0..<100 { #expect(session.upsert(UInt64(key), 7) == .ok) }
    session.suspend()
    let second = try store.checkpointAndWait(CheckpointRequest(kind: checkpoint, includeIndex: false))
    #expect(second.version == info.version + 1)
    // Reads count as operations too: the commit point is the serial of the last one.
    #expect(second.commitPoints["writer"]?.serial == session.serialNumber)
    session.end()
    let device2 = try kind.open(directory)
    defer { device2.close() }
    let again = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device2)
    #expect(again.recoveredCheckpoint?.token == second.token)
    let reader = try again.newSession()
    for key in 0..<keys { #expect(readValueWaiting(reader, key) == (key < 100 ? 7 : key &* 3), "key \(key)") }
    reader.end()
  }

  @Test func secondCheckpointWhileOneRunsIsRefusedAndUnconfiguredStoresSaySo() throws {
    let directory = TemporaryDirectory("cpr-config")
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let plain = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    #expect(throws: CheckpointError.self) { _ = try plain.checkpointAndWait() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: checkpointOptions(directory), device: device)
    store.checkpoints.running.store(true, ordering: .relaxed)
    #expect(throws: CheckpointError.alreadyRunning) { _ = try store.checkpointAndWait() }
    store.checkpoints.running.store(false, ordering: .relaxed)
    _ = try store.checkpointAndWait()
  }

  @Test func retentionKeepsTheNewestCheckpoints() throws {
    let directory = TemporaryDirectory("cpr-retention")
    var options = checkpointOptions(directory)
    options.checkpointsToKeep = 2
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
    let session = try store.newSession(name: "s")
    var tokens: [CheckpointToken] = []
    for round in 0..<4 {
      for key in 0..<200 { _ = session.upsert(UInt64(key), UInt64(round)) }
      session.suspend()
      tokens.append(try store.checkpointAndWait(CheckpointRequest(includeIndex: round % 2 == 0)).token)
    }
    session.end()
    let listed = CheckpointCatalog(directory: options.checkpointDirectory!).list()
    #expect(listed.map(\.token) == [tokens[3], tokens[2]])
    #expect(listed.allSatisfy { $0.isValid })
  }

  /// A full snapshot, then deltas with a few in-place changes (upsert, RMW, delete) and a few
  /// new keys each, then writes the crash loses. Every checkpoint of the chain recovers
  /// (from its own copy of the directory: recovery rewrites the device) to exactly its
  /// state. The small log flushes and evicts between checkpoints (the deltas then start
  /// higher than the snapshot); with the large one nothing leaves memory and a delta is a
  /// few pages.
  @Test(arguments: TestDevice.allCases, [1 << 16, 1 << 20])
  func everyCheckpointOfAnIncrementalChainRecovers(device kind: TestDevice, logBytes: Int) throws {
    let directory = TemporaryDirectory("cpr-incremental")
    var options = diskOptions(logBytes: logBytes)
    options.checkpointDirectory = directory.path + "/checkpoints"
    options.checkpointsToKeep = 10
    let keys: UInt64 = 3_000
    var expected: [UInt64: UInt64] = [:]
    var chain: [(info: CheckpointInfo, values: [UInt64: UInt64])] = []
    do {
      let device = try kind.open(directory)
      let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
      let session = try store.newSession(name: "writer")
      for key in 0..<keys {
        #expect(session.upsert(key, key) == .ok)
        expected[key] = key
      }
      session.suspend()
      let base = try store.checkpointAndWait(CheckpointRequest(kind: .incrementalSnapshot))
      #expect(base.kind == .snapshot, "nothing to build on: a full snapshot")
      #expect(base.previousToken == nil)
      chain.append((base, expected))
      for round in UInt64(1)...4 {
        for change in UInt64(0)..<6 {
          let key = (change * 577 + round * 31) % keys
          switch change % 3 {
          case 0:
            #expect(session.upsert(key, round * 1_000 + change) == .ok)
            expected[key] = round * 1_000 + change
          case 1:
            let status = session.rmw(key, AddUpdate(delta: 5))
            if status == .pending { session.completePending(wait: true) }
            expected[key] = expected[key].map { $0 &+ 5 } ?? 5
          default:
            _ = session.delete(key)
            expected[key] = nil
          }
        }
        for key in (keys + round * 100)..<(keys + round * 100 + 20) {
          #expect(session.upsert(key, key) == .ok)
          expected[key] = key
        }
        session.suspend()
        let info = try store.checkpointAndWait(
          CheckpointRequest(kind: .incrementalSnapshot, includeIndex: round == 2))
        #expect(info.kind == .incrementalSnapshot)
        #expect(info.previousToken == chain.last!.info.token)
        if logBytes == 1 << 20 {
          // Only the changed pages (at most one per change) and the new log (at most two
          // pages), each with its 16-byte chunk header; the snapshot had all 18 pages.
          let files = options.checkpointDirectory! + "/"
          let deltaBytes = try #require(
            FileManager.default.attributesOfItem(atPath: files + "\(info.token).delta")[.size] as? Int)
          let snapshotBytes = try #require(
            FileManager.default.attributesOfItem(atPath: files + "\(base.token).snapshot")[.size] as? Int)
          #expect(deltaBytes <= 64 + (6 + 2) * (4096 + 16), "delta \(deltaBytes) bytes")
          #expect(snapshotBytes >= 17 * 4096, "snapshot \(snapshotBytes) bytes")
        }
        chain.append((info, expected))
      }
      for key in 0..<keys { #expect(session.upsert(key, 999_999) == .ok) }
      session.end()
      device.close()  // a crash
    }
    let catalog = CheckpointCatalog(directory: options.checkpointDirectory!)
    for (info, _) in chain { #expect(catalog.validate(info.token) == [], "\(info.token)") }
    #expect(catalog.list().filter(\.isValid).count == chain.count)
    for (position, (info, values)) in chain.enumerated() {
      let copy = TemporaryDirectory("cpr-incremental-copy")
      for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
        try FileManager.default.copyItem(atPath: directory.path + "/" + name, toPath: copy.path + "/" + name)
      }
      var copyOptions = options
      copyOptions.checkpointDirectory = copy.path + "/checkpoints"
      let device = try kind.open(copy)
      defer { device.close() }
      // The newest is chosen by itself; the others are asked for by token.
      let store = try FixedSizeStore<UInt64, UInt64>(
        recoveringWith: copyOptions, device: device, token: position == chain.count - 1 ? nil : info.token)
      #expect(store.recoveredCheckpoint?.token == info.token)
      let (session, _) = try store.continueSession(name: "writer")
      for key in 0..<(keys + 500) {
        #expect(readValueWaiting(session, key) == values[key], "checkpoint \(position), key \(key)")
      }
      session.end()
    }
  }

  /// Retention keeps every checkpoint a kept delta needs (its chain back to the snapshot),
  /// and deletes a chain once nothing kept depends on it.
  @Test func retentionKeepsTheDeltaChainOfKeptCheckpoints() throws {
    let directory = TemporaryDirectory("cpr-incremental-retention")
    var options = checkpointOptions(directory)
    options.checkpointsToKeep = 2
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
    let session = try store.newSession(name: "s")
    var infos: [CheckpointInfo] = []
    for round in 0..<5 {
      for key in 0..<200 { _ = session.upsert(UInt64(key), UInt64(round)) }
      session.suspend()
      infos.append(try store.checkpointAndWait(CheckpointRequest(kind: .incrementalSnapshot)))
    }
    let catalog = CheckpointCatalog(directory: options.checkpointDirectory!)
    #expect(infos.map(\.kind) == [.snapshot] + Array(repeating: .incrementalSnapshot, count: 4))
    #expect(Set(catalog.list().compactMap(\.token)) == Set(infos.map(\.token)), "the whole chain stays")
    // A fold-over ends the chain: the next incremental is a full snapshot, and once two
    // newer checkpoints are kept, the old chain goes.
    _ = try store.checkpointAndWait(CheckpointRequest(kind: .foldOver))
    let restart = try store.checkpointAndWait(CheckpointRequest(kind: .incrementalSnapshot))
    #expect(restart.kind == .snapshot)
    session.end()
    let files = try FileManager.default.contentsOfDirectory(atPath: options.checkpointDirectory!)
    #expect(catalog.list().count == 2)
    #expect(!files.contains { $0.hasSuffix(".delta") }, "\(files)")
  }
}
