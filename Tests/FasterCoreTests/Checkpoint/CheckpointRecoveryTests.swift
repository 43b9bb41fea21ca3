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
  @Test(arguments: TestDevice.allCases, [CheckpointKind.foldOver, .snapshot])
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
      #expect(info.kind == checkpoint)
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
    #expect(
      throws: CheckpointError.invalidRequest(
        "incremental snapshots are not implemented: use .snapshot or .foldOver")
    ) {
      _ = try store.checkpointAndWait(CheckpointRequest(kind: .incrementalSnapshot))
    }
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
}
