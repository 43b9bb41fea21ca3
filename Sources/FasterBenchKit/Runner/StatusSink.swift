import Foundation

/// Where the runner writes progress (status lines, warnings): stderr by default, as YCSB does.
public struct StatusSink: Sendable {
  public let write: @Sendable (String) -> Void

  public init(write: @escaping @Sendable (String) -> Void) {
    self.write = write
  }

  /// Writes each line to standard error (unbuffered).
  public static let standardError = StatusSink { line in
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
