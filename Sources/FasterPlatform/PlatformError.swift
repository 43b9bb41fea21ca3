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
  static func describe(errorNumber: Int32) -> String { ErrorNumber.describe(errorNumber) }
}
