import FasterStorage
import FasterTestSupport
import Foundation

/// A device whose writes complete only when the test says, in the order and on the
/// threads the test picks; reads fail. It never touches a file: for tests of the
/// hybrid log's flush bookkeeping, where only the completion order matters.
final class ManualCompletionDevice: StorageDevice, @unchecked Sendable {
  // @unchecked Sendable: `submitted` is guarded by `lock`; the rest is immutable.
  struct SubmittedWrite {
    let offset: UInt64
    let byteCount: Int
    let completion: IOCompletion

    /// Completes the write in full.
    func succeed() { completion(.success(byteCount)) }
  }

  let alignment: Int
  private let lock = NSLock()
  private var submitted: [SubmittedWrite] = []

  init(alignment: Int = 512) { self.alignment = alignment }

  var name: String { "manual" }
  var segmentSizeBytes: UInt64 { 1 << 30 }
  var statistics: DeviceStatistics { DeviceStatistics() }

  /// Writes submitted and not yet taken, in submission order.
  var pendingWrites: [SubmittedWrite] { lock.withLock { submitted } }

  /// Removes and returns the submitted write whose device range starts at `offset`.
  func take(at offset: UInt64) -> SubmittedWrite? {
    lock.withLock {
      guard let index = submitted.firstIndex(where: { $0.offset == offset }) else { return nil }
      return submitted.remove(at: index)
    }
  }

  /// Removes and returns every submitted write.
  func takeAll() -> [SubmittedWrite] {
    lock.withLock {
      defer { submitted.removeAll() }
      return submitted
    }
  }

  func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    lock.withLock {
      submitted.append(SubmittedWrite(offset: offset, byteCount: buffer.count, completion: completion))
    }
  }

  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion)
  {
    completion(.failure(DeviceError(.invalidArgument, message: "ManualCompletionDevice does not read")))
  }

  func flush() throws(DeviceError) {}
  func truncate(before offset: UInt64) throws(DeviceError) {}
  func close() {}
}
