import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

@Suite struct SectorSharingFlushTests {
  /// Two flushes that end and start mid-sector share that sector. If the device ran the
  /// older write last, its stale copy of the sector would overwrite the newer records
  /// below `flushedUntil`. The log must not let both be in flight at once.
  @Test func flushesSharingASectorAreWrittenInOrder() throws {
    let directory = TemporaryDirectory("sector-sharing")
    var deviceOptions = DeviceOptions(directory: directory.path)
    deviceOptions.segmentSizeBytes = 1 << 20
    let device = HeldWritesDevice(inner: try FileDevice(options: deviceOptions))
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: smallOptions(logBytes: 1 << 16, pageBytes: 1 << 12), device: device)
    let session = try store.newSession()
    for key: UInt64 in 0..<10 { #expect(session.upsert(key, key + 100) == .ok) }
    makeEverythingReadOnly(store, session: session)  // first flush, ends mid-sector
    for key: UInt64 in 10..<20 { #expect(session.upsert(key, key + 100) == .ok) }
    makeEverythingReadOnly(store, session: session)  // second flush, starts in that sector
    let tail = store.tailAddress.rawValue
    #expect(tail % UInt64(device.alignment) != 0, "the test needs flushes that end mid-sector")
    #expect(device.heldCount == 1, "the second write waits for the first")
    var rounds = 0
    while store.flushedUntilAddress.rawValue < tail && rounds < 10 {
      device.performNewest()  // a racing device runs the newest write first
      rounds += 1
    }
    #expect(store.flushedUntilAddress.rawValue >= tail)
    session.end()
    // The file must hold exactly what memory holds below the tail.
    let onDisk = UnsafeMutableRawBufferPointer.allocate(
      byteCount: device.alignment, alignment: device.alignment)
    defer { onDisk.deallocate() }
    let done = DispatchSemaphore(value: 0)
    device.read(into: onDisk, at: 0) { _ in done.signal() }
    done.wait()
    let start = Int(Address.firstValid.rawValue)
    let inMemory = UnsafeRawBufferPointer(
      start: store.log.pointer(Address.firstValid), count: Int(tail) - start)
    #expect(
      Array(onDisk[start..<Int(tail)]) == Array(inMemory), "the device has the newest bytes of the sector")
  }
}
