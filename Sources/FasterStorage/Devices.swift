import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// Opens the device the `faster.device` knob names.
///
/// Thread safety: `open` may be called from any thread.
public enum Devices {
  /// The environment variable that, set to `1`, makes `.uring` use `FileDevice` (to exercise the
  /// fallback on machines where io_uring works).
  public static let forceFileDeviceVariable = "FASTER_FORCE_FILE_DEVICE"

  /// Opens a device of `kind`. `.uring` falls back to `FileDevice`, logging ONE line through `log`,
  /// when `io_uring_queue_init` fails or `FASTER_FORCE_FILE_DEVICE=1` is set; errors that the file
  /// device would hit too (bad options, an unusable directory) are thrown.
  public static func open(
    _ kind: DeviceKind, options: DeviceOptions, log: (String) -> Void
  ) throws(DeviceError) -> any StorageDevice {
    try open(kind, options: options, forceFileDevice: forceFileDeviceRequested(), log: log)
  }

  /// Like `open(_:options:log:)`, with the fallback line logged through `logger` at warning
  /// level (with the chosen device in its metadata) instead of handed to a closure.
  public static func open(
    _ kind: DeviceKind, options: DeviceOptions, logger: Logger
  ) throws(DeviceError) -> any StorageDevice {
    try open(kind, options: options) { line in
      logger.warning(
        "\(line)", metadata: ["device.requested": "\(kind)", "device.directory": "\(options.directory)"])
    }
  }

  /// Like `open(_:options:log:)`, with the fallback forced (or not) explicitly instead of from the
  /// environment.
  public static func open(
    _ kind: DeviceKind, options: DeviceOptions, forceFileDevice: Bool, log: (String) -> Void
  ) throws(DeviceError) -> any StorageDevice {
    try open(kind, options: options, forceFileDevice: forceFileDevice, simulatedRingFailure: nil, log: log)
  }

  /// The implementation; `simulatedRingFailure` (tests only) makes io_uring setup fail with that errno.
  static func open(
    _ kind: DeviceKind, options: DeviceOptions, forceFileDevice: Bool, simulatedRingFailure: Int32?,
    log: (String) -> Void
  ) throws(DeviceError) -> any StorageDevice {
    switch kind {
    case .null:
      try options.validate()
      return NullDevice(segmentSizeBytes: options.segmentSizeBytes)
    case .file:
      return try FileDevice(options: options)
    case .uring:
      if forceFileDevice {
        let device = try FileDevice(options: options)
        log("faster: io_uring not used (\(forceFileDeviceVariable)=1); using the pread/pwrite file device")
        return device
      }
      let setUp = try IoUringDevice.setUp(options: options, simulatedRingFailure: simulatedRingFailure)
      if let device = IoUringDevice.open(setUp: setUp) { return device }
      guard case .ringUnavailable(let error) = setUp else { preconditionFailure("unreachable") }
      let device = try FileDevice(options: options)
      let reason = error.errorNumber.map { String(cString: strerror($0)) } ?? error.message
      log("faster: io_uring unavailable (io_uring_queue_init: \(reason)); using the pread/pwrite file device")
      return device
    }
  }

  /// True when the environment asks for the file device in place of io_uring.
  static func forceFileDeviceRequested() -> Bool {
    guard let value = getenv(forceFileDeviceVariable) else { return false }
    return forceFileDeviceRequested(value: String(cString: value))
  }

  /// `"1"`, `"true"`, `"yes"` (any case) force the fallback; anything else does not.
  static func forceFileDeviceRequested(value: String) -> Bool {
    ["1", "true", "yes"].contains(value.lowercased())
  }
}
