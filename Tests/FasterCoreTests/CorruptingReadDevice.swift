import FasterStorage
import FasterTestSupport
import Foundation

/// A device that hands out corrupted bytes: reads pass through to a real device, then the
/// 8-byte words the test chose are overwritten in the read buffer, as if the file had
/// been damaged at those log addresses. Writes and everything else pass through.
final class CorruptingReadDevice: StorageDevice, @unchecked Sendable {
  // @unchecked Sendable: `corruptWords` is guarded by `lock`; the rest is immutable.
  let inner: any StorageDevice
  private let lock = NSLock()
  private var corruptWords: [UInt64: UInt64] = [:]

  init(inner: any StorageDevice) { self.inner = inner }

  /// From now on, reads covering log address `address` (8-byte aligned) see `word` there.
  func corrupt(at address: UInt64, with word: UInt64) {
    lock.withLock { corruptWords[address] = word }
  }

  var name: String { "corrupting(\(inner.name))" }
  var alignment: Int { inner.alignment }
  var segmentSizeBytes: UInt64 { inner.segmentSizeBytes }
  var statistics: DeviceStatistics { inner.statistics }

  func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    inner.write(buffer, at: offset, completion: completion)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion)
  {
    let words = lock.withLock { corruptWords }
    nonisolated(unsafe) let target = buffer
    inner.read(into: buffer, at: offset) { result in
      if case .success(let count) = result {
        for (address, word) in words where address >= offset && address + 8 <= offset + UInt64(count) {
          target.storeBytes(of: word, toByteOffset: Int(address - offset), as: UInt64.self)
        }
      }
      completion(result)
    }
  }

  func flush() throws(DeviceError) { try inner.flush() }
  func truncate(before offset: UInt64) throws(DeviceError) { try inner.truncate(before: offset) }
  func close() { inner.close() }
}
