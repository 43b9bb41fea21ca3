import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Damaged checkpoint files: every flipped byte and every truncation of each kind of file is
/// detected and reported (file, offset, what), never accepted, never a crash; recovery
/// falls back to the previous valid checkpoint, and a damaged checkpoint asked for by token
/// fails with its problem.
@Suite struct CheckpointCorruptionTests {
  /// Makes a store with two full checkpoints (the second a snapshot) and returns their infos.
  /// With `incremental`, the first is a snapshot and the second a delta on top of it.
  func twoCheckpoints(_ directory: TemporaryDirectory, incremental: Bool = false) throws -> (
    CheckpointInfo, CheckpointInfo
  ) {
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: checkpointOptions(directory), device: device)
    let session = try store.newSession(name: "w")
    for key in 0..<1_000 { _ = session.upsert(UInt64(key), 1) }
    session.suspend()
    let first = try store.checkpointAndWait(CheckpointRequest(kind: incremental ? .snapshot : .foldOver))
    for key in 0..<1_000 { _ = session.upsert(UInt64(key), 2) }
    session.suspend()
    let second = try store.checkpointAndWait(
      CheckpointRequest(kind: incremental ? .incrementalSnapshot : .snapshot))
    #expect(second.kind == (incremental ? .incrementalSnapshot : .snapshot))
    session.end()
    return (first, second)
  }

  func mutate(_ path: String, _ body: (inout [UInt8]) -> Void) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    body(&bytes)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  @Test(arguments: ["meta", "index", "snapshot", "delta", "delta.meta"])
  func everyFlippedByteAndTruncationIsDetected(file: String) throws {
    // "delta.meta": the metadata of an incremental checkpoint.
    let suffix = file == "delta.meta" ? "meta" : file
    let directory = TemporaryDirectory("cpr-corrupt")
    let (_, second) = try twoCheckpoints(directory, incremental: file.hasPrefix("delta"))
    let path = "\(directory.path)/checkpoints/\(second.token).\(suffix)"
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let parse: (UnsafeRawBufferPointer) throws(CheckpointError) -> Void = { bytes throws(CheckpointError) in
      switch suffix {
      case "meta": _ = try CheckpointFormats.parseMetadata(bytes)
      case "index": try CheckpointFormats.validateIndexFile(bytes)
      case "delta": try CheckpointFormats.validateDeltaFile(bytes)
      default: try CheckpointFormats.validateSnapshotFile(bytes)
      }
    }
    // Byte flips: every header byte, then a stride through the rest.
    var positions = Array(0..<Swift.min(original.count, 80))
    positions += Array(stride(from: 80, to: original.count, by: Swift.max(1, original.count / 300)))
    for position in positions {
      var damaged = original
      damaged[position] ^= 0x5A
      let outcome: CheckpointError? = damaged.withUnsafeBytes { raw in
        do throws(CheckpointError) {
          try parse(raw)
          return nil
        } catch { return error }
      }
      guard case .corrupt = outcome else {
        Issue.record("flipping byte \(position) of the \(suffix) file was accepted")
        continue
      }
    }
    for length in [0, 1, 63, 64, 65, original.count / 2, original.count - 1] where length < original.count {
      let outcome: CheckpointError? = Array(original[0..<length]).withUnsafeBytes { raw in
        do throws(CheckpointError) {
          try parse(raw)
          return nil
        } catch { return error }
      }
      guard case .corrupt = outcome else {
        Issue.record("the \(suffix) file cut to \(length) bytes was accepted")
        continue
      }
    }
    // Recovery skips the damaged checkpoint, reports it, and uses the previous one.
    try mutate(path) { $0[$0.count - 3] ^= 0xFF }
    let problems = CheckpointCatalog(directory: directory.path + "/checkpoints").validate(second.token)
    #expect(problems.count == 1 && problems[0].file == path, "\(problems)")
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let options = checkpointOptions(directory)
    let store = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device)
    #expect(store.recoveredCheckpoint?.token != second.token)
    #expect(store.recoveryReport?.skipped.first?.file == path)
    let reader = try store.newSession()
    #expect(readValueWaiting(reader, 5) == 1, "the first checkpoint's value")
    reader.end()
    // Asked for by token, the damaged checkpoint fails with its problem.
    do {
      _ = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: device, token: second.token)
      Issue.record("the damaged checkpoint was accepted when asked for")
    } catch {
      guard case .corrupt(let file, _, _) = error else {
        Issue.record("expected .corrupt, got \(error)")
        return
      }
      #expect(file == path)
    }
  }

  @Test func aMissingMetadataFileLeavesAnIncompleteCheckpointThatIsNeverChosen() throws {
    let directory = TemporaryDirectory("cpr-incomplete")
    let (first, second) = try twoCheckpoints(directory)
    let checkpoints = directory.path + "/checkpoints"
    try FileManager.default.removeItem(atPath: "\(checkpoints)/\(second.token).meta")
    let listings = CheckpointCatalog(directory: checkpoints).list()
    #expect(listings.first?.token == first.token && listings.first?.isValid == true)
    #expect(listings.contains { $0.token == second.token && $0.info == nil && !$0.problems.isEmpty })
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      recoveringWith: checkpointOptions(directory), device: device)
    #expect(store.recoveredCheckpoint?.token == first.token)
    #expect(throws: CheckpointError.self) {
      _ = try FixedSizeStore<UInt64, UInt64>(
        recoveringWith: checkpointOptions(directory), device: device, token: second.token)
    }
  }

  /// A delta needs its whole chain: a damaged snapshot underneath invalidates every delta
  /// on top of it (reported with the damaged file), and recovery falls back past them.
  @Test func aDamagedBaseSnapshotInvalidatesTheDeltasOnTopOfIt() throws {
    let directory = TemporaryDirectory("cpr-corrupt-chain")
    let checkpoints = directory.path + "/checkpoints"
    var infos: [CheckpointInfo] = []
    var options = checkpointOptions(directory)
    options.checkpointsToKeep = 10
    do {
      let device = try TestDevice.file.open(directory)
      defer { device.close() }
      let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
      let session = try store.newSession(name: "w")
      for (round, kind) in [CheckpointKind.foldOver, .snapshot, .incrementalSnapshot, .incrementalSnapshot]
        .enumerated()
      {
        for key in 0..<300 { _ = session.upsert(UInt64(key), UInt64(round + 1)) }
        session.suspend()
        infos.append(try store.checkpointAndWait(CheckpointRequest(kind: kind)))
      }
      session.end()
    }
    #expect(infos.map(\.kind) == [.foldOver, .snapshot, .incrementalSnapshot, .incrementalSnapshot])
    let snapshotPath = "\(checkpoints)/\(infos[1].token).snapshot"
    try mutate(snapshotPath) { $0[100] ^= 0x01 }
    let catalog = CheckpointCatalog(directory: checkpoints)
    for info in infos[1...] {
      let problems = catalog.validate(info.token)
      #expect(problems.map(\.file) == [snapshotPath], "\(info.token): \(problems)")
    }
    // A missing delta in the middle: the newest says which file its chain lacks.
    try FileManager.default.removeItem(atPath: "\(checkpoints)/\(infos[2].token).meta")
    #expect(catalog.validate(infos[3].token).map(\.file) == ["\(checkpoints)/\(infos[2].token).meta"])
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      recoveringWith: checkpointOptions(directory), device: device)
    #expect(store.recoveredCheckpoint?.token == infos[0].token)
    #expect(store.recoveryReport?.skipped.isEmpty == false)
    let reader = try store.newSession()
    #expect(readValueWaiting(reader, 7) == 1, "the fold-over's value")
    reader.end()
    do {
      _ = try FixedSizeStore<UInt64, UInt64>(
        recoveringWith: checkpointOptions(directory), device: device, token: infos[3].token)
      Issue.record("a delta whose chain is broken was accepted when asked for")
    } catch {
      guard case .corrupt(let file, _, let reason) = error else {
        Issue.record("expected .corrupt, got \(error)")
        return
      }
      #expect(file == "\(checkpoints)/\(infos[2].token).meta", "\(reason)")
    }
  }
}
