import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// An update-heavy store on a filesystem far smaller than the log it writes: with automatic
/// compaction the log on the device stays bounded and every update succeeds; without it,
/// the store fails cleanly with a disk-full error (a status, a message naming the file),
/// never a crash. A tmpfs needs root: skipped elsewhere (`scripts/compaction-proof.sh` is
/// the benchmark-sized version).
@Suite(.enabled(if: ScratchMount.isAvailable, "mount -t tmpfs was refused here (needs root / CAP_SYS_ADMIN)"))
struct CompactionDiskFullTests {
  static let diskBytes = 4 << 20
  static let keys: UInt64 = 20_000  // 480 KB of records over a 64 KB log
  static let updates = 400_000  // ~10 MB of appended records: 2.5 times the disk

  /// Runs the updates; returns the first failed status (nil: all succeeded) and the
  /// largest device log seen.
  static func run(_ store: FixedSizeStore<UInt64, UInt64>, backPressure: Bool) throws -> (
    OperationStatus?, UInt64
  ) {
    let session = try store.newSession()
    defer { session.end() }
    var random = TestRandom(seed: 7)
    var largest: UInt64 = 0
    for count in 0..<updates {
      let key = random.next() % keys
      var status = session.upsert(key, UInt64(count))
      if status == .pending { status = session.completePendingWithResults(wait: true).first?.status ?? .ok }
      if status != .ok { return (status, largest) }
      if count % 4_096 == 0 {
        largest = Swift.max(largest, store.deviceLogBytes)
        // Back-pressure as a service would apply it: give the compactor a moment when the
        // log nears the disk's size (never more than 5 s per step).
        var waited = 0
        while backPressure && store.deviceLogBytes > UInt64(diskBytes) * 5 / 8 && waited < 500 {
          session.suspend()
          usleep(10_000)
          waited += 1
        }
      }
    }
    largest = Swift.max(largest, store.deviceLogBytes)
    return (nil, largest)
  }

  static func options(autoCompaction: Bool) -> FasterKVOptions {
    var options = diskOptions()
    if autoCompaction {
      var policy = AutoCompactionPolicy(maxDeviceLogBytes: 1 << 20)
      policy.checkIntervalMilliseconds = 5
      policy.method = .scan
      options.autoCompaction = policy
    }
    return options
  }

  static func openDevice(_ mount: ScratchMount) throws -> any StorageDevice {
    var deviceOptions = DeviceOptions(directory: mount.path + "/log")
    deviceOptions.segmentSizeBytes = 1 << 18
    return try Devices.open(.file, options: deviceOptions, forceFileDevice: false, log: { print($0) })
  }

  @Test func withAutomaticCompactionTheLogStaysWithinTheDisk() throws {
    let mount = try ScratchMount(sizeBytes: Self.diskBytes)
    defer { mount.remove() }
    let device = try Self.openDevice(mount)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: Self.options(autoCompaction: true), device: device)
    let (failure, largest) = try Self.run(store, backPressure: true)
    #expect(failure == nil, "an update failed: \(String(describing: store.lastDeviceError))")
    #expect(largest < UInt64(Self.diskBytes), "device log reached \(largest) bytes")
    let statistics = store.compactionStatistics
    #expect(statistics.automaticCompactions > 0)
    #expect(statistics.bytesReclaimed > UInt64(Self.diskBytes), "reclaimed more than the disk holds")
    print("auto compaction: largest device log \(largest) bytes, \(statistics.automaticCompactions) runs")
  }

  @Test func withoutCompactionTheStoreFailsCleanlyWithDiskFull() throws {
    let mount = try ScratchMount(sizeBytes: Self.diskBytes)
    defer { mount.remove() }
    let device = try Self.openDevice(mount)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: Self.options(autoCompaction: false), device: device)
    let (failure, _) = try Self.run(store, backPressure: false)
    #expect(failure != nil, "10 MB of log fitted on a 4 MB disk")
    let error = try #require(store.lastDeviceError)
    #expect(error.kind == .diskFull)
    #expect(error.message.hasPrefix("disk full writing \(mount.path)/log/log."), "\(error.message)")
  }
}
