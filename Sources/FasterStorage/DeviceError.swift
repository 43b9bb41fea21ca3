import FasterPlatform

#if canImport(Glibc)
  import Glibc
#endif

/// A storage-device failure, with a message that names the file and offset and says what to do.
///
/// Devices never crash on an operating error (disk full, permission denied, a removed file) and never
/// return silently wrong data: every failure reaches the caller's completion or a `throws` as one of
/// these. Programmer errors on internal invariants are preconditions instead.
///
/// Thread safety: a value type, safe to share and send between threads.
public struct DeviceError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What went wrong, coarse enough for a caller to act on.
  public enum Kind: Sendable {
    /// `ENOSPC` / `EDQUOT`: the filesystem holding the segment files is full.
    case diskFull
    /// `EACCES` / `EPERM` / `EROFS`: the process may not create, open or write a segment file.
    case permissionDenied
    /// `ENOENT`, or an offset below the truncation point: the segment file is gone.
    case fileMissing
    /// Any other failure of the operating system or the hardware (`EIO`, ...).
    case ioError
    /// A read reached the end of a segment file before the requested length (`pread` returned 0).
    case shortTransfer
    /// Bytes read back fail validation: a record or header whose sizes or checksum cannot
    /// be right (a corrupt or foreign file). The message names the address and what is wrong.
    case corruptData
    /// A failure injected by `FaultInjectingDevice`.
    case injected
    /// The device was closed (or crashed by `FaultInjectingDevice.simulateCrash`) before the I/O ran.
    case closed
    /// Misaligned buffer, offset or length, an I/O spanning two segments, or a bad option.
    case invalidArgument
  }

  /// The class of failure.
  public let kind: Kind
  /// The `errno` value of the failing system call, if there was one.
  public let errorNumber: Int32?
  /// Names the file and offset, the system call and errno, and what a person can do about it.
  public let message: String

  /// Creates an error from its parts; `message` should name the file and offset and a remedy.
  public init(_ kind: Kind, errorNumber: Int32? = nil, message: String) {
    self.kind = kind
    self.errorNumber = errorNumber
    self.message = message
  }

  public var description: String { message }
}

extension DeviceError {
  /// Maps a failed system call on a segment file to an error a person can act on.
  ///
  /// - Parameters:
  ///   - errorNumber: the `errno` value (positive).
  ///   - operation: what was being done, e.g. `"writing"`, `"reading"`, `"opening"`, `"syncing"`.
  ///   - path: the file involved.
  ///   - offset: the byte offset in that file, if the call had one.
  static func fromSystemCall(
    errorNumber: Int32, operation: String, path: String, offset: UInt64? = nil
  ) -> DeviceError {
    let at = offset.map { " at offset \($0)" } ?? ""
    let cause = describe(errorNumber: errorNumber)
    switch errorNumber {
    case ENOSPC, EDQUOT:
      return DeviceError(
        .diskFull, errorNumber: errorNumber,
        message:
          "disk full \(operation) \(path)\(at) [\(cause)]: free space or point DeviceOptions.directory elsewhere"
      )
    case EACCES, EPERM, EROFS:
      return DeviceError(
        .permissionDenied, errorNumber: errorNumber,
        message: "permission denied \(operation) \(path)\(at) [\(cause)]: make the directory writable "
          + "by this user (and its filesystem read-write) or point DeviceOptions.directory elsewhere")
    case ENOENT:
      return DeviceError(
        .fileMissing, errorNumber: errorNumber,
        message: "\(path) is missing while \(operation)\(at) [\(cause)]: the segment was truncated, "
          + "never written, or removed by something other than FASTER")
    case ENOTDIR:
      return DeviceError(
        .invalidArgument, errorNumber: errorNumber,
        message: "\(operation) \(path) failed [\(cause)]: a component of the path is a regular file; "
          + "point DeviceOptions.directory at a directory")
    case EINVAL:
      return DeviceError(
        .invalidArgument, errorNumber: errorNumber,
        message: "\(operation) \(path)\(at) was refused [\(cause)]: with O_DIRECT the buffer address, "
          + "offset and length must be multiples of the device alignment")
    default:
      return DeviceError(
        .ioError, errorNumber: errorNumber,
        message: "\(operation) \(path)\(at) failed [\(cause)]: check the disk and the kernel log (dmesg)")
    }
  }

  /// `"ENOSPC (No space left on device)"` style text for an `errno` value.
  static func describe(errorNumber: Int32) -> String { ErrorNumber.describe(errorNumber) }
}
