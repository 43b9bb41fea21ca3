import FasterStorage
import Foundation

/// A device that copies each write's bytes when it is submitted (as the kernel does when
/// `pwrite` runs) but performs it on the real file device only when the test says, in
/// the order the test picks: it plays the two racing I/O threads of a real device.
final class HeldWritesDevice: StorageDevice, @unchecked Sendable {
  // @unchecked Sendable: `held` is guarded by `lock`; the rest is immutable.
  struct HeldWrite {
    let bytes: [UInt8]
    let offset: UInt64
    let completion: IOCompletion
  }

  let inner: any StorageDevice
  private let lock = NSLock()
  private var held: [HeldWrite] = []

  init(inner: any StorageDevice) { self.inner = inner }

  var name: String { "held(\(inner.name))" }
  var alignment: Int { inner.alignment }
  var segmentSizeBytes: UInt64 { inner.segmentSizeBytes }
  var statistics: DeviceStatistics { inner.statistics }
  var heldCount: Int { lock.withLock { held.count } }

  func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    lock.withLock { held.append(HeldWrite(bytes: Array(buffer), offset: offset, completion: completion)) }
  }

  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion)
  {
    inner.read(into: buffer, at: offset, completion: completion)
  }

  func flush() throws(DeviceError) { try inner.flush() }
  func truncate(before offset: UInt64) throws(DeviceError) { try inner.truncate(before: offset) }
  func close() { inner.close() }

  /// Performs the newest held write on the file (waiting for it), then completes it.
  func performNewest() {
    guard let write = lock.withLock({ held.popLast() }) else { return }
    let aligned = UnsafeMutableRawBufferPointer.allocate(byteCount: write.bytes.count, alignment: alignment)
    defer { aligned.deallocate() }
    aligned.copyBytes(from: write.bytes)
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<Int, DeviceError> = .success(0)
    inner.write(UnsafeRawBufferPointer(aligned), at: write.offset) { result in
      outcome = result
      done.signal()
    }
    done.wait()
    write.completion(outcome)
  }
}
