import Foundation
import FasterStorage
import Testing

@testable import FasterCore

/// A fresh directory for one test's log files, removed when the test ends.
final class TemporaryDirectory {
  let path: String

  init(_ name: String) {
    path = NSTemporaryDirectory() + "swift-faster-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The device kinds every disk-tier test runs over: io_uring, the pread/pwrite file
/// device, and io_uring's fallback forced (as it happens where io_uring is refused).
enum TestDevice: String, CaseIterable, CustomTestStringConvertible {
  case uring, file, uringFallback

  var testDescription: String { rawValue }

  func open(_ directory: TemporaryDirectory, segmentSize: UInt64 = 1 << 20) throws -> any StorageDevice {
    var options = DeviceOptions(directory: directory.path)
    options.segmentSizeBytes = segmentSize
    switch self {
    case .uring: return try Devices.open(.uring, options: options, forceFileDevice: false, log: { print($0) })
    case .file: return try Devices.open(.file, options: options, forceFileDevice: false, log: { print($0) })
    case .uringFallback: return try Devices.open(.uring, options: options, forceFileDevice: true, log: { print($0) })
    }
  }
}

/// Options for a log far smaller than the data: 16 pages of 4 KiB.
func diskOptions(logBytes: Int = 1 << 16, mutableFraction: Double = 0.5) -> FasterKVOptions {
  smallOptions(indexBytes: 1 << 14, logBytes: logBytes, pageBytes: 1 << 12, mutableFraction: mutableFraction)
}

@Suite struct DiskTierTests {
  @Test(arguments: TestDevice.allCases)
  func evictedRecordsAreReadBackFromTheDevice(device kind: TestDevice) throws {
    let directory = TemporaryDirectory("evicted")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    let keys: UInt64 = 20_000  // 480 KB of records over a 64 KB log
    for key in 0..<keys { #expect(session.upsert(key, key &* 3) == .ok) }
    #expect(store.headAddress > Address.firstValid, "the head moved: records were evicted")
    var pendingReads = 0
    for key in 0..<keys {
      var value: UInt64 = 0
      let status = session.read(key, into: &value)
      if status == .pending {
        pendingReads += 1
        let results = session.completePendingWithResults(wait: true)
        #expect(results.count == 1)
        #expect(results.first?.status == .ok)
        #expect(results.first?.value == key &* 3)
      } else {
        #expect(status == .ok && value == key &* 3)
      }
    }
    #expect(pendingReads > 10_000)
    #expect((device.statistics.bytesWritten) > 400_000)
  }

  @Test(arguments: TestDevice.allCases)
  func fixedSizeStoreMatchesADictionaryOnDisk(device kind: TestDevice) throws {
    var random = TestRandom(seed: testSeed("fixedSizeStoreMatchesADictionaryOnDisk(\(kind))"))
    let directory = TemporaryDirectory("model-fixed")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    var model: [UInt64: UInt64] = [:]
    let keySpace = 6_000
    for step in 0..<40_000 {
      let key = UInt64(random.next(below: keySpace))
      switch random.next(below: 10) {
      case 0..<3:
        var value: UInt64 = 0
        var status = session.read(key, into: &value)
        if status == .pending {
          let results = session.completePendingWithResults(wait: true)
          status = results.first?.status ?? .deviceError
          value = results.first?.value ?? 0
        }
        if let expected = model[key] {
          #expect(status == .ok && value == expected, "step \(step): read \(key) -> \(status)")
        } else {
          #expect(status == .notFound, "step \(step): read \(key) -> \(status)")
        }
      case 3..<6:
        let value = random.next()
        #expect(session.upsert(key, value) == .ok)
        model[key] = value
      case 6..<9:
        let delta = UInt64(random.next(below: 100))
        let status = session.rmw(key, AddUpdate(delta: delta))
        if status == .pending {
          let results = session.completePendingWithResults(wait: true)
          #expect(results.first?.status == .ok, "step \(step): rmw \(key)")
        } else {
          #expect(status == .ok, "step \(step): rmw \(key) -> \(status)")
        }
        model[key] = (model[key] ?? 0) &+ delta
      default:
        _ = session.delete(key)
        model[key] = nil
      }
    }
    #expect(store.headAddress > Address.firstValid)
    for key in 0..<UInt64(keySpace) {
      var value: UInt64 = 0
      var status = session.read(key, into: &value)
      if status == .pending {
        let result = session.completePendingWithResults(wait: true).first
        status = result?.status ?? .deviceError
        value = result?.value ?? 0
      }
      if let expected = model[key] {
        #expect(status == .ok && value == expected, "final read \(key)")
      } else {
        #expect(status == .notFound, "final read \(key)")
      }
    }
  }
}
