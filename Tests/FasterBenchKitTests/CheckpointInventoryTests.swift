import FasterCore
import FasterStorage
import Foundation
import Testing

@testable import FasterBenchKit

/// `fasterbench checkpoints list|validate` over real checkpoints: what it prints and its
/// exit status for valid, corrupt and missing checkpoints.
@Suite struct CheckpointInventoryTests {
  /// A store in `directory` with a full fold-over checkpoint of one named session.
  func checkpointedStore(_ directory: URL) throws -> CheckpointInfo {
    var options = FasterKVOptions()
    options.indexSizeBytes = 1 << 14
    options.logMemoryBytes = 1 << 16
    options.pageSizeBytes = 1 << 12
    options.hugePages = .off
    options.checkpointDirectory = directory.appendingPathComponent("checkpoints").path
    let device = try Devices.open(.file, options: DeviceOptions(directory: directory.path)) { _ in }
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
    let session = try store.newSession(name: "loader")
    for key in UInt64(0)..<100 { _ = session.upsert(key, key) }
    session.suspend()
    let info = try store.checkpointAndWait(CheckpointRequest(kind: .foldOver, includeIndex: true))
    _ = session.end()
    return info
  }

  @Test func listAndValidateAValidCheckpoint() throws {
    let directory = try TestSupport.temporaryDirectory()
    let info = try checkpointedStore(directory)
    let checkpoints = directory.appendingPathComponent("checkpoints").path
    let listed = CheckpointInventory.list(directory: checkpoints)
    #expect(listed.status == .valid, "\(listed.text)")
    #expect(
      listed.text.contains(info.token.description) && listed.text.contains("foldover"), "\(listed.text)")
    #expect(
      listed.text.contains("session loader: commit point serial \(info.commitPoints["loader"]!.serial)"))
    let validated = CheckpointInventory.validate(directory: checkpoints, token: info.token.description)
    #expect(validated.status == .valid && validated.text.hasSuffix("verdict: valid"), "\(validated.text)")
  }

  @Test func aFlippedByteIsNamedAndFailsValidation() throws {
    let directory = try TestSupport.temporaryDirectory()
    let info = try checkpointedStore(directory)
    let checkpoints = directory.appendingPathComponent("checkpoints").path
    let index = checkpoints + "/\(info.token).index"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: index))
    bytes[bytes.count / 2] ^= 0x40
    try bytes.write(to: URL(fileURLWithPath: index))
    let validated = CheckpointInventory.validate(directory: checkpoints, token: nil)
    #expect(validated.status == .invalid, "\(validated.text)")
    #expect(validated.text.contains("INVALID") && validated.text.contains(".index"), "\(validated.text)")
  }

  @Test func missingDirectoriesTokensAndBadTokensHaveTheirOwnStatus() throws {
    let directory = try TestSupport.temporaryDirectory()
    #expect(CheckpointInventory.list(directory: directory.path + "/none").status == .notFound)
    #expect(CheckpointInventory.validate(directory: directory.path, token: "not-a-token").status == .usage)
    let unknown = CheckpointToken.random().description
    #expect(CheckpointInventory.validate(directory: directory.path, token: unknown).status == .notFound)
  }
}
