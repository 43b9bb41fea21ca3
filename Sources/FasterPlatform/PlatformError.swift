#if canImport(Glibc)
  import Glibc
#endif

/// An operating failure of a platform call (allocation, pinning), with a message a person can act on.
///
/// Programmer errors (negative worker indexes, duplicate CPUs in a topology) are preconditions and
/// crash instead; this type is for what the machine refuses at run time.
///
/// Thread safety: a value type, safe to share and send between threads.
public struct PlatformError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What failed, what the values were, and what to try next.
  public let message: String
  /// The `errno` value the failing call reported, if it reported one.
  public let errorNumber: Int32?

  /// Creates an error with a ready message and, optionally, the `errno` that caused it.
  public init(_ message: String, errorNumber: Int32? = nil) {
    self.message = message
    self.errorNumber = errorNumber
  }

  public var description: String { message }

  /// `"EINVAL (Invalid argument)"` style text for an `errno` value.
  static func describe(errorNumber: Int32) -> String {
    let name = errorNumberNames[errorNumber] ?? "errno \(errorNumber)"
    guard let text = strerror(errorNumber) else { return name }
    return "\(name) (\(String(cString: text)))"
  }

  private static let errorNumberNames: [Int32: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO", ENOMEM: "ENOMEM",
    EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", EINVAL: "EINVAL", ENOSYS: "ENOSYS",
    EAGAIN: "EAGAIN", EOVERFLOW: "EOVERFLOW",
  ]
}
