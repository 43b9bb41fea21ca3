import FasterStorage
import FasterTestSupport
import Foundation
import Synchronization
import Testing

@testable import FasterCore

/// A device that now and then writes nothing (reports 0 bytes) is slow, not broken:
/// only writes that keep making no progress fail the flush.
@Suite struct ZeroProgressWriteTests {
  /// Every other write reports 0 bytes written without writing; the rest go through.
  final class SometimesStuckDevice: StorageDevice, @unchecked Sendable {
    let inner: any StorageDevice
    let writes = Atomic<Int>(0)

    init(inner: any StorageDevice) { self.inner = inner }

    var name: String { "sometimes-stuck(\(inner.name))" }
    var alignment: Int { inner.alignment }
    var segmentSizeBytes: UInt64 { inner.segmentSizeBytes }
    var statistics: DeviceStatistics { inner.statistics }

    func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
      if writes.add(1, ordering: .relaxed).oldValue % 2 == 0 {
        DispatchQueue.global().async { completion(.success(0)) }
      } else {
        inner.write(buffer, at: offset, completion: completion)
      }
    }

    func read(
      into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion
    ) {
      inner.read(into: buffer, at: offset, completion: completion)
    }

    func flush() throws(DeviceError) { try inner.flush() }
    func truncate(before offset: UInt64) throws(DeviceError) { try inner.truncate(before: offset) }
    func close() { inner.close() }
  }

  @Test func occasionalZeroByteWritesNeverFailTheLog() throws {
    let directory = TemporaryDirectory("sometimes-stuck")
    let device = SometimesStuckDevice(inner: try TestDevice.file.open(directory))
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    // 20 000 records of 24 bytes: ~120 page flushes, ~120 of them first written as 0.
    for key in 0..<20_000 as Range<UInt64> { #expect(session.upsert(key, key) == .ok) }
    session.suspend()
    try store.flushLog(durable: false)
    #expect(store.lastDeviceError == nil)
    #expect(device.writes.load(ordering: .relaxed) > 2 * HybridLog.zeroProgressRetryLimit)
  }
}
