import FasterStorage
import Foundation
import Testing

/// Page-aligned memory for device I/O, freed on deinit.
final class AlignedBuffer: @unchecked Sendable {
  let bytes: UnsafeMutableRawBufferPointer

  init(byteCount: Int, alignment: Int = 4096) {
    bytes = .allocate(byteCount: byteCount, alignment: alignment)
    bytes.initializeMemory(as: UInt8.self, repeating: 0)
  }

  deinit { bytes.deallocate() }

  var readOnly: UnsafeRawBufferPointer { UnsafeRawBufferPointer(bytes) }

  /// Fills with a pattern that depends on `tag` and the position, so misplaced data is caught.
  func fill(tag: UInt64) {
    for index in 0..<bytes.count {
      bytes[index] = UInt8(
        truncatingIfNeeded: (tag &* 0x9E37_79B9) &+ UInt64(index / 8) &* 31 &+ UInt64(index))
    }
  }

  func matches(tag: UInt64, range: Range<Int>? = nil) -> Bool {
    for index in range ?? 0..<bytes.count
    where bytes[index]
      != UInt8(truncatingIfNeeded: (tag &* 0x9E37_79B9) &+ UInt64(index / 8) &* 31 &+ UInt64(index))
    {
      return false
    }
    return true
  }
}

extension StorageDevice {
  func writeAndWait(_ buffer: AlignedBuffer, at offset: UInt64) -> Result<Int, DeviceError> {
    let waiter = CompletionWaiter()
    write(buffer.readOnly, at: offset) { waiter.finish($0) }
    return waiter.wait()
  }

  func readAndWait(_ buffer: AlignedBuffer, at offset: UInt64) -> Result<Int, DeviceError> {
    let waiter = CompletionWaiter()
    read(into: buffer.bytes, at: offset) { waiter.finish($0) }
    return waiter.wait()
  }
}

extension Result where Failure == DeviceError {
  var error: DeviceError? {
    if case .failure(let error) = self { return error }
    return nil
  }
}

/// Every file-backed device configuration the shared suites run over.
enum DeviceUnderTest: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case file, uring, fileBuffered, faultyFile, faultyUring

  var testDescription: String { rawValue }

  static let segmentSizeBytes: UInt64 = 64 * 1024

  func options(directory: String) -> DeviceOptions {
    var options = DeviceOptions(directory: directory)
    options.segmentSizeBytes = Self.segmentSizeBytes
    options.queueDepth = 16
    options.directIO = self != .fileBuffered
    options.log = { _ in }
    return options
  }

  func open(directory: String) throws -> any StorageDevice {
    let options = options(directory: directory)
    switch self {
    case .file, .fileBuffered: return try FileDevice(options: options)
    case .uring: return try IoUringDevice(options: options)
    case .faultyFile: return FaultInjectingDevice(wrapping: try FileDevice(options: options), seed: 7)
    case .faultyUring: return FaultInjectingDevice(wrapping: try IoUringDevice(options: options), seed: 7)
    }
  }
}
