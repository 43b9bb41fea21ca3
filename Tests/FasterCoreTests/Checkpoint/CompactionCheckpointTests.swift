import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// The log segment files (`log.N`) of a device directory.
private func logSegments(_ directory: TemporaryDirectory) -> Set<String> {
  Set(segmentFileNames(directory).filter { $0.hasPrefix("log.") })
}

/// Compaction with checkpoints on: a retained checkpoint stays recoverable, because the
/// segments compaction frees are deleted only when checkpoint retention retires the last
/// checkpoint that reads them.
@Suite struct CompactionCheckpointTests {
  @Test(arguments: [CheckpointKind.foldOver, .snapshot])
  func aRetainedCheckpointStaysRecoverableAfterCompaction(kind: CheckpointKind) throws {
    let directory = TemporaryDirectory("cpr-compaction")
    var options = checkpointOptions(directory)
    options.checkpointsToKeep = 1
    let keys: UInt64 = 2_000
    var first: CheckpointInfo
    do {
      let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
      let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
      let session = try store.newSession(name: "writer")
      for key in 0..<keys { #expect(session.upsert(key, key &* 3) == .ok) }
      session.suspend()
      first = try store.checkpointAndWait(CheckpointRequest(kind: kind))
      // Rewrites of the same values: the first copies become garbage, pushed to the device.
      for _ in 0..<6 { for key in 0..<keys { #expect(session.upsert(key, key &* 3) == .ok) } }
      session.suspend()
      let segmentsBefore = logSegments(directory)
      let report = try store.compact(until: store.headAddress)
      #expect(report.beginAfter.rawValue > first.indexStartAddress, "compaction moved past the checkpoint")
      #expect(
        logSegments(directory).isSuperset(of: segmentsBefore),
        "segments the retained checkpoint reads must stay until it is retired")
      session.end()
      device.close()  // a crash: the compacted begin is not in any checkpoint yet
    }
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device)
    #expect(store.recoveredCheckpoint?.token == first.token)
    let reader = try store.newSession()
    for key in 0..<keys { #expect(readValueWaiting(reader, key) == key &* 3, "key \(key)") }
    reader.end()
  }

  @Test func retentionDeletesTheSegmentsCompactionFreedOnceNoCheckpointNeedsThem() throws {
    let directory = TemporaryDirectory("cpr-compaction-retention")
    var options = checkpointOptions(directory)
    options.checkpointsToKeep = 1
    let keys: UInt64 = 2_000
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
    let session = try store.newSession(name: "writer")
    for key in 0..<keys { #expect(session.upsert(key, key) == .ok) }
    session.suspend()
    _ = try store.checkpointAndWait()
    for round in 1...6 as ClosedRange<UInt64> {
      for key in 0..<keys { #expect(session.upsert(key, key &+ round) == .ok) }
    }
    session.suspend()
    let report = try store.compact(until: store.headAddress)
    let segmentsAfterCompaction = logSegments(directory)
    // A full checkpoint of the compacted log retires the old one (keep 1): now the
    // segments below the new begin go.
    let second = try store.checkpointAndWait()
    #expect(second.beginAddress == report.beginAfter.rawValue)
    let remaining = logSegments(directory)
    #expect(remaining.count < segmentsAfterCompaction.count, "retention deleted the freed segments")
    for key in 0..<keys { #expect(readWaiting(session, key).0 == .ok) }
    session.end()
    // And that checkpoint recovers.
    let device2 = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device2.close() }
    let recovered = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device2)
    #expect(recovered.recoveredCheckpoint?.token == second.token)
    let reader = try recovered.newSession()
    for key in 0..<keys { #expect(readValueWaiting(reader, key) == key &+ 6, "key \(key)") }
    reader.end()
  }

  /// A log-only checkpoint taken after a compaction reuses the index checkpoint from
  /// before it: its begin is above that index's replay start. Recovery must accept it
  /// (replaying from the index start, whose segments retention keeps) instead of taking it
  /// for damaged and falling back to an older checkpoint (found by the crash campaign).
  @Test func aLogOnlyCheckpointAfterCompactionRecovers() throws {
    let directory = TemporaryDirectory("cpr-compaction-log-only")
    var options = checkpointOptions(directory)
    options.checkpointsToKeep = 2
    let keys: UInt64 = 2_000
    var second: CheckpointInfo
    do {
      let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
      let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
      let session = try store.newSession(name: "writer")
      for key in 0..<keys { #expect(session.upsert(key, key) == .ok) }
      session.suspend()
      let first = try store.checkpointAndWait(CheckpointRequest(kind: .foldOver, includeIndex: true))
      for round in 1...6 as ClosedRange<UInt64> {
        for key in 0..<keys where key % 7 != 0 { #expect(session.upsert(key, key &+ round) == .ok) }
      }
      for key in 0..<keys where key % 7 == 0 { #expect(session.delete(key) == .ok) }
      session.suspend()
      let report = try store.compact(until: store.headAddress)
      #expect(report.beginAfter.rawValue > first.indexStartAddress, "compaction moved past the index start")
      second = try store.checkpointAndWait(CheckpointRequest(kind: .foldOver, includeIndex: false))
      #expect(second.indexToken == first.indexToken)
      #expect(second.beginAddress > second.indexStartAddress)
      session.end()
      device.close()
    }
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device)
    #expect(store.recoveredCheckpoint?.token == second.token)
    #expect(
      store.recoveryReport?.skipped.isEmpty ?? true, "\(String(describing: store.recoveryReport?.skipped))")
    let reader = try store.newSession()
    for key in 0..<keys {
      if key % 7 == 0 {
        #expect(readWaiting(reader, key).0 == .notFound, "deleted key \(key) came back")
      } else {
        #expect(readValueWaiting(reader, key) == key &+ 6, "key \(key)")
      }
    }
    reader.end()
  }
}
