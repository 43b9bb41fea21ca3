import FasterCore
import FasterStorage
import Foundation

/// `faster-store-crash-child cost <directory> <keys> <changes> <rounds> <page bytes>`: what a checkpoint
/// costs when few records change between checkpoints. Loads <keys> keys (8-byte keys and
/// values) into a store whose log fits in memory, takes a full checkpoint, then <rounds>
/// times: upserts <changes> random keys and takes a log-only full snapshot, upserts
/// <changes> more and takes an incremental snapshot (a delta on that snapshot). Prints each
/// checkpoint's bytes written and duration, then the medians per kind. A delta holds whole
/// pages: the smaller the page, the fewer bytes a few scattered changes cost.
func runCheckpointCost(directory: String, keys: UInt64, changes: Int, rounds: Int, pageBytes: Int) -> Never {
  var options = FasterKVOptions()
  options.indexSizeBytes = 1 << 24
  options.pageSizeBytes = pageBytes
  options.logMemoryBytes = 1 << 27  // 128 MiB: the loaded keys stay in memory
  options.mutableFraction = 0.9
  options.hugePages = .off
  options.checkpointDirectory = directory + "/checkpoints"
  options.checkpointsToKeep = 4
  do {
    try FileManager.default.createDirectory(atPath: directory + "/log", withIntermediateDirectories: true)
    let device = try openDevice(directory)
    defer { device.close() }
    let store = try Store(options: options, device: device)
    let session = try store.newSession(name: "cost")
    for key in 0..<keys { _ = session.upsert(key, key) }
    session.suspend()
    _ = try store.checkpointAndWait(CheckpointRequest(kind: .snapshot, includeIndex: true))
    var random = Random(state: 42)
    var measured: [CheckpointKind: [(bytes: UInt64, nanoseconds: UInt64)]] = [:]
    for round in 1...rounds {
      for kind in [CheckpointKind.snapshot, .incrementalSnapshot] {
        for _ in 0..<changes {
          _ = session.upsert(random.next() % keys, UInt64(round))
        }
        session.suspend()
        let info = try store.checkpointAndWait(CheckpointRequest(kind: kind, includeIndex: false))
        guard info.kind == kind else {
          print("cost: asked for \(kind.rawValue), got \(info.kind.rawValue)")
          exit(1)
        }
        measured[kind, default: []].append((info.bytesWritten, info.durationNanoseconds))
        print(
          "round \(round) \(kind.rawValue): \(info.bytesWritten) bytes, "
            + String(format: "%.2f ms", Double(info.durationNanoseconds) / 1e6))
      }
    }
    session.end()
    func median(_ values: [UInt64]) -> UInt64 { values.sorted()[values.count / 2] }
    for kind in [CheckpointKind.snapshot, .incrementalSnapshot] {
      let rows = measured[kind] ?? []
      print(
        "median \(kind.rawValue): \(median(rows.map(\.bytes))) bytes, "
          + String(format: "%.2f ms", Double(median(rows.map(\.nanoseconds))) / 1e6)
          + " (\(rows.count) checkpoints, \(keys) keys, \(changes) upserts before each, pages of \(pageBytes) bytes)"
      )
    }
    exit(0)
  } catch {
    print("cost: \(error)")
    exit(1)
  }
}
