/// A gate command that cannot give a verdict: what went wrong and the exit code that says so.
public struct GateError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// A missing, unreadable, truncated or corrupt file (exit 1).
    case input
    /// The two sides cannot be compared: different machine, build configuration or workload
    /// (exit 3; `--force` overrides).
    case notComparable
    /// A malformed argument (exit 64, as ArgumentParser's own usage errors).
    case usage
  }

  public let kind: Kind
  public let description: String

  public init(_ kind: Kind, _ description: String) {
    self.kind = kind
    self.description = description
  }

  /// The process exit code for this error.
  public var exitCode: GateExitCode {
    switch kind {
    case .input: .inputError
    case .notComparable: .notComparable
    case .usage: .usage
    }
  }
}
