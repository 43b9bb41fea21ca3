import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Checkpoint and recovery of byte-string records (the index is rebuilt from their keys),
/// with deletes: a key deleted before the checkpoint stays deleted, later writes are gone.
@Suite struct VariableLengthCheckpointTests {
  @Test(arguments: CheckpointKind.allCases)
  func byteRecordsAndDeletesAreRecovered(kind: CheckpointKind) throws {
    let directory = TemporaryDirectory("cpr-bytes")
    let options = checkpointOptions(directory)
    func value(_ key: Int, _ round: Int) -> [UInt8] {
      Array("v\(round)-\(key)-".utf8) + [UInt8](repeating: UInt8(key & 0xFF), count: key % 40)
    }
    func upsert(_ session: FasterSession<VariableLengthRecord>, _ key: Int, _ round: Int) -> OperationStatus {
      TestBytes.key(key).withUnsafeBytes { k in
        value(key, round).withUnsafeBytes { session.upsert(key: k, value: $0) }
      }
    }
    func read(_ session: FasterSession<VariableLengthRecord>, _ key: Int) -> [UInt8]? {
      var buffer = [UInt8](repeating: 0, count: 4096)
      var length = 0
      let status = TestBytes.key(key).withUnsafeBytes { k in
        buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
      }
      if status == .pending {
        let result = session.completePendingWithResults(wait: true).first
        return result?.status == .ok ? result?.value : nil
      }
      return status == .ok ? Array(buffer[0..<length]) : nil
    }
    do {
      let device = try TestDevice.file.open(directory)
      let store = try VariableLengthStore(options: options, device: device)
      let session = try store.newSession(name: "bytes")
      for key in 0..<1_500 { #expect(upsert(session, key, 1) == .ok) }
      if kind == .incrementalSnapshot {
        // The snapshot the incremental one is a delta of: the deletes and the in-place
        // rewrites below reach the recovered store only through the delta.
        session.suspend()
        #expect(try store.checkpointAndWait(CheckpointRequest(kind: kind)).kind == .snapshot)
      }
      // Same-length values: rewritten in place.
      for key in stride(from: 0, to: 1_500, by: 5) { #expect(upsert(session, key, 3) == .ok) }
      for key in stride(from: 0, to: 1_500, by: 7) {
        #expect(TestBytes.key(key).withUnsafeBytes { session.delete(key: $0) } == .ok)
      }
      session.suspend()
      #expect(try store.checkpointAndWait(CheckpointRequest(kind: kind)).kind == kind)
      for key in 0..<1_500 { _ = upsert(session, key, 2) }
      session.end()
      device.close()
    }
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try VariableLengthStore(recoveringWith: options, device: device)
    let session = try store.newSession()
    for key in 0..<1_500 {
      let expected: [UInt8]? = key % 7 == 0 ? nil : value(key, key % 5 == 0 ? 3 : 1)
      #expect(read(session, key) == expected, "key \(key)")
    }
    session.end()
  }
}
