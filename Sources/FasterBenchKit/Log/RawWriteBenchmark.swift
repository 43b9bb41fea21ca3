import FasterCore
import FasterPlatform
import FasterStorage
import Foundation
import Histogram

/// The device's own sequential write bandwidth, measured the way the log writes: through a
/// `StorageDevice` of the same kind (io_uring or file, O_DIRECT) in the same directory,
/// large aligned sequential writes with a few in flight, and a device sync (fdatasync) at
/// the cadence of the log's commit policy. The log's MB/s over this figure is how close
/// the log comes to the physical limit.
///
/// Cadence per policy: `everyMilliseconds(T)` syncs T ms after the previous sync started;
/// `everyBytes(N)` after N bytes; `onPageFull` after a page's worth; `manual` (a committer
/// looping on `commit(wait: true)`) after every write.
///
/// Thread safety: `run` blocks the caller; completions arrive on device threads.
public struct RawWriteBenchmark: Sendable {
  /// Bytes per write (a multiple of the device's alignment).
  public var writeBytes: Int = 1 << 20
  /// Writes in flight at once.
  public var depth: Int = 4
  public var seconds: Double
  public var device: DeviceKind
  /// Emptied first, removed after.
  public var directory: String
  public var commitPolicy: LogCommitPolicy
  /// The log's page size (the `onPageFull` cadence).
  public var pageSizeBytes: Int

  public init(
    directory: String, device: DeviceKind, seconds: Double, commitPolicy: LogCommitPolicy, pageSizeBytes: Int
  ) {
    self.directory = directory
    self.device = device
    self.seconds = seconds
    self.commitPolicy = commitPolicy
    self.pageSizeBytes = pageSizeBytes
  }

  public struct Result: Sendable {
    public var bytes: UInt64
    public var seconds: Double
    public var syncs: UInt64
    /// Each device sync (fdatasync), nanoseconds.
    public var syncLatency: Histogram<UInt64>
    public var megabytesPerSecond: Double { Double(bytes) / seconds / 1_000_000 }
  }

  /// - Throws: ``BindingError`` when the device cannot be opened or a write or sync fails.
  public func run() throws(BindingError) -> Result {
    try? FileManager.default.removeItem(atPath: directory)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw BindingError("raw writer: creating \(directory) failed: \(error.localizedDescription)")
    }
    var options = DeviceOptions(directory: directory)
    options.fileNamePrefix = "raw"
    options.segmentSizeBytes = 1 << 30
    let storage: any StorageDevice
    do { storage = try Devices.open(device, options: options, log: { _ in }) } catch {
      throw BindingError(
        "raw writer: opening a \(device.rawValue) device in \(directory) failed: \(error.message)")
    }
    defer { storage.close() }
    guard writeBytes > 0, writeBytes % storage.alignment == 0 else {
      throw BindingError("raw writer: write size \(writeBytes) is not a multiple of \(storage.alignment)")
    }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: writeBytes, alignment: 4096)
    defer { buffer.deallocate() }
    buffer.initializeMemory(as: UInt8.self, repeating: 0xA5, count: writeBytes)
    let slots = DispatchSemaphore(value: depth)
    let failure = ControlLock<DeviceError?>(nil)
    var syncLatency = OperationMeasurements.makeHistogram()
    let clock = ContinuousClock()
    let started = clock.now
    let deadline = started + .nanoseconds(Int64(seconds * 1e9))
    var lastSync = started
    var offset: UInt64 = 0
    var sinceSync: UInt64 = 0
    var syncs: UInt64 = 0
    let everyNanoseconds: Int64
    let everyBytes: UInt64
    switch commitPolicy {
    case .everyMilliseconds(let milliseconds):
      (everyNanoseconds, everyBytes) = (Int64(milliseconds) * 1_000_000, 0)
    case .everyBytes(let bytes): (everyNanoseconds, everyBytes) = (0, UInt64(bytes))
    case .onPageFull: (everyNanoseconds, everyBytes) = (0, UInt64(pageSizeBytes))
    case .manual: (everyNanoseconds, everyBytes) = (0, 1)
    }
    let segment = storage.segmentSizeBytes
    func drain() {
      for _ in 0..<depth { slots.wait() }
      for _ in 0..<depth { slots.signal() }
    }
    while clock.now < deadline {
      slots.wait()
      if offset % segment + UInt64(writeBytes) > segment { offset += segment - offset % segment }
      storage.write(UnsafeRawBufferPointer(start: buffer, count: writeBytes), at: offset) { result in
        if case .failure(let error) = result { failure.withLock { $0 = $0 ?? error } }
        slots.signal()
      }
      offset += UInt64(writeBytes)
      sinceSync += UInt64(writeBytes)
      let now = clock.now
      let due =
        everyNanoseconds > 0
        ? now - lastSync >= .nanoseconds(everyNanoseconds) : sinceSync >= everyBytes
      if due {
        // As a commit does: everything written so far completes, then one sync covers it.
        drain()
        let syncStart = clock.now
        do { try storage.flush() } catch { failure.withLock { $0 = $0 ?? error } }
        lastSync = syncStart
        let elapsed = clock.now - syncStart
        _ = syncLatency.record(UInt64(max(0, Self.nanoseconds(elapsed))))
        syncs += 1
        sinceSync = 0
      }
      if let error = failure.withLock({ $0 }) {
        throw BindingError("raw writer: \(error.message)")
      }
    }
    drain()
    do { try storage.flush() } catch {
      throw BindingError("raw writer: the final sync failed: \(error.message)")
    }
    syncs += 1
    let elapsed = clock.now - started
    if let error = failure.withLock({ $0 }) { throw BindingError("raw writer: \(error.message)") }
    return Result(
      bytes: offset, seconds: Double(Self.nanoseconds(elapsed)) / 1e9, syncs: syncs, syncLatency: syncLatency)
  }

  static func nanoseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
  }
}
