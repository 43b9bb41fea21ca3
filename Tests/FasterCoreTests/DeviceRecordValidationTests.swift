import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Every length and size read back from the device is checked before it is used: a
/// damaged record fails its operation with `.deviceError` (`corruptData`, counted), never
/// a crash, an over-read or an endless re-read.
@Suite struct DeviceRecordValidationTests {
  /// A variable-length store whose first record (key "victim") is on the device, with
  /// reads of it going through a corrupting device. Returns the record's log address.
  func storeWithVictimOnDevice(_ directory: TemporaryDirectory) throws -> (
    VariableLengthStore, FasterSession<VariableLengthRecord>, CorruptingReadDevice, UInt64
  ) {
    let device = CorruptingReadDevice(inner: try TestDevice.file.open(directory))
    let store = try VariableLengthStore(options: diskOptions(), device: device)
    let session = try store.newSession()
    let address = store.tailAddress.rawValue
    #expect(upsert(session, "victim", "sixteen bytes!!!") == .ok)
    for number in 0..<4_000 { #expect(upsert(session, "key\(number)", "value\(number)") == .ok) }
    #expect(store.headAddress.rawValue > address, "the victim was evicted")
    return (store, session, device, address)
  }

  func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  func upsert(_ session: FasterSession<VariableLengthRecord>, _ key: String, _ value: String)
    -> OperationStatus
  {
    bytes(key).withUnsafeBytes { k in bytes(value).withUnsafeBytes { v in session.upsert(key: k, value: v) } }
  }

  func readVictim(_ session: FasterSession<VariableLengthRecord>) -> OperationStatus {
    var value = [UInt8](repeating: 0, count: 64)
    var length = 0
    let status = bytes("victim").withUnsafeBytes { key in
      value.withUnsafeMutableBytes { session.read(key: key, into: $0, valueLength: &length) }
    }
    guard status == .pending else { return status }
    let results = session.completePendingWithResults(wait: true)
    return results.first?.status ?? .deviceError
  }

  @Test func aValueLengthPastItsCapacityIsAnErrorNotAnOverRead() throws {
    let directory = TemporaryDirectory("corrupt-length")
    let (store, session, device, address) = try storeWithVictimOnDevice(directory)
    defer { device.close() }
    #expect(readVictim(session) == .ok, "the undamaged record reads back")
    device.corrupt(at: address + 16, with: 1 << 20)  // value length 1 MiB, capacity 16
    #expect(readVictim(session) == .deviceError)
    #expect(store.statistics.corruptRecordsRead == 1)
    #expect(store.lastDeviceError?.kind == .corruptData)
    #expect(store.lastDeviceError?.message.contains("log address \(address)") == true)
  }

  @Test func aRecordClaimingToRunPastItsPageFailsInsteadOfRereadingForever() throws {
    let directory = TemporaryDirectory("corrupt-size")
    let (store, session, device, address) = try storeWithVictimOnDevice(directory)
    defer { device.close() }
    // A 4040-byte key: less than a page, but the record (at offset 64) would end past it.
    device.corrupt(at: address + 8, with: 16 << 32 | 4040)
    let readsBefore = device.statistics.reads
    #expect(readVictim(session) == .deviceError)
    #expect(device.statistics.reads - readsBefore <= UInt64(HybridLog.maximumRecordReadAttempts))
    #expect(store.statistics.corruptRecordsRead == 1)
  }

  @Test func aCorruptRecordFailsAnRMWToo() throws {
    let directory = TemporaryDirectory("corrupt-rmw")
    let (_, session, device, address) = try storeWithVictimOnDevice(directory)
    defer { device.close() }
    device.corrupt(at: address + 16, with: 0xFFFF_FFFF)  // value length 4 GiB
    let status = bytes("victim").withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) }
    #expect(status == .pending)
    #expect(session.completePendingWithResults(wait: true).first?.status == .deviceError)
  }

  /// A flush may copy a value lock that was held at that moment; on the device the lock
  /// means nothing. An RMW that copies such a record must not wait for it to be released.
  @Test func aLockedWordOnTheDeviceDoesNotHangAnRMW() throws {
    let directory = TemporaryDirectory("locked-on-device")
    let device = CorruptingReadDevice(inner: try TestDevice.file.open(directory))
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, WideValue>(options: diskOptions(), device: device)
    let session = try store.newSession()
    let address = store.tailAddress.rawValue
    #expect(session.upsert(1, WideValue(5)) == .ok)
    for key in 2..<4_000 as Range<UInt64> { #expect(session.upsert(key, WideValue(key)) == .ok) }
    #expect(store.headAddress.rawValue > address)
    let lockOffset = UInt64(FixedSizeRecord<UInt64, WideValue>.lockOffset)
    device.corrupt(at: address + lockOffset, with: RecordValueLock.lockedBit)
    #expect(session.rmw(1, AddWideUpdate()) == .pending)
    #expect(session.completePendingWithResults(wait: true).first?.status == .ok)
    var value = WideValue(0)
    #expect(session.read(1, into: &value) == .ok)
    #expect(value == WideValue(6))
  }
}
