import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// The hybrid log's record-agnostic scan, over memory and the device.
@Suite struct HybridLogScanTests {
  typealias Layout = FixedSizeRecord<UInt64, UInt64>

  /// Every record of the log, as (key, value) pairs in address order, valid ones only.
  func scannedPairs(_ store: FixedSizeStore<UInt64, UInt64>) throws -> [(UInt64, UInt64)] {
    var pairs: [(UInt64, UInt64)] = []
    var lastAddress: UInt64 = 0
    try store.log.scan(from: store.log.beginAddress, until: store.tailAddress, format: Layout.self) {
      address, record, size in
      #expect(size == Layout.size)
      #expect(address.rawValue > lastAddress || lastAddress == 0)
      lastAddress = address.rawValue
      if !RecordInfo(rawValue: record.load(as: UInt64.self)).isInvalid {
        pairs.append((record.load(fromByteOffset: 8, as: UInt64.self), Layout.value(ofDeviceRecord: record)))
      }
      return true
    }
    return pairs
  }

  @Test func aMemoryOnlyLogScansEveryRecordInOrder() throws {
    let store = try FixedSizeStore<UInt64, UInt64>(options: smallOptions())
    let session = try store.newSession()
    for key: UInt64 in 0..<1_000 { #expect(session.upsert(key, key * 2) == .ok) }
    session.end()
    let pairs = try scannedPairs(store)
    #expect(pairs.map(\.0) == Array(0..<1_000))
    #expect(pairs.allSatisfy { $0.1 == $0.0 * 2 })
  }

  @Test(arguments: TestDevice.allCases)
  func aScanReadsEvictedPagesFromTheDevice(device kind: TestDevice) throws {
    let directory = TemporaryDirectory("scan")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    for key: UInt64 in 0..<10_000 { #expect(session.upsert(key, key + 7) == .ok) }
    session.suspend()
    #expect(store.headAddress > Address.firstValid, "part of the log is on the device only")
    let pairs = try scannedPairs(store)
    #expect(pairs.count == 10_000)
    #expect(pairs.map(\.0) == Array(0..<10_000))
    #expect(pairs.allSatisfy { $0.1 == $0.0 + 7 })
    session.end()
  }

  @Test func aScanStopsWhenTheBodySaysSo() throws {
    let store = try FixedSizeStore<UInt64, UInt64>(options: smallOptions())
    let session = try store.newSession()
    for key: UInt64 in 0..<100 { _ = session.upsert(key, key) }
    session.end()
    var seen = 0
    try store.log.scan(from: store.log.beginAddress, until: store.tailAddress, format: Layout.self) {
      _, _, _ in
      seen += 1
      return seen < 10
    }
    #expect(seen == 10)
  }

  @Test func aCorruptRecordOnTheDeviceIsReportedNotWalkedPast() throws {
    let directory = TemporaryDirectory("scan-corrupt")
    let device = CorruptingReadDevice(inner: try TestDevice.file.open(directory))
    defer { device.close() }
    let store = try VariableLengthStore(options: diskOptions(), device: device)
    let session = try store.newSession()
    let first = store.tailAddress.rawValue
    for number in 0..<4_000 {
      let status = Array("key\(number)".utf8).withUnsafeBytes { key in
        Array("value".utf8).withUnsafeBytes { session.upsert(key: key, value: $0) }
      }
      #expect(status == .ok)
    }
    session.end()
    device.corrupt(at: first + 8, with: 16 << 32 | 4040)  // runs past its page
    #expect(throws: DeviceError.self) {
      try store.log.scan(
        from: store.log.beginAddress, until: store.tailAddress, format: VariableLengthRecord.self
      ) {
        _, _, _ in true
      }
    }
  }
}
