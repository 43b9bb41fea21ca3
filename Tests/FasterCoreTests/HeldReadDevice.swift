import FasterStorage
import Foundation

/// A real device whose next read, once armed, is held back until the test releases it
/// (the read then runs on the inner device). Everything else passes through.
final class HeldReadDevice: StorageDevice, @unchecked Sendable {
  // @unchecked Sendable: `armed` and `held` are guarded by `lock`.
  private let inner: any StorageDevice
  private let lock = NSLock()
  private var armed = false
  private var held: [() -> Void] = []

  init(_ inner: any StorageDevice) { self.inner = inner }

  var name: String { "held(\(inner.name))" }
  var alignment: Int { inner.alignment }
  var segmentSizeBytes: UInt64 { inner.segmentSizeBytes }
  var statistics: DeviceStatistics { inner.statistics }

  /// Holds the next read until `releaseHeldReads()`.
  func holdNextRead() { lock.withLock { armed = true } }

  var heldReadCount: Int { lock.withLock { held.count } }

  /// Runs the held reads on the inner device.
  func releaseHeldReads() {
    let reads = lock.withLock {
      defer { held.removeAll() }
      return held
    }
    for read in reads { read() }
  }

  func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    inner.write(buffer, at: offset, completion: completion)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion)
  {
    nonisolated(unsafe) let target = buffer
    let hold = lock.withLock {
      defer { armed = false }
      if armed { held.append { [inner] in inner.read(into: target, at: offset, completion: completion) } }
      return armed
    }
    if !hold { inner.read(into: buffer, at: offset, completion: completion) }
  }

  func flush() throws(DeviceError) { try inner.flush() }
  func truncate(before offset: UInt64) throws(DeviceError) { try inner.truncate(before: offset) }
  func close() { inner.close() }
}
