import FasterStorage
import Logging

/// How a FasterLog is laid out and behaves: where its commit records live, the size of
/// its hybrid log, its commit policy, and where its notices go.
///
/// `validate()` rejects values out of range with a message naming the field.
///
/// Thread safety: a value type.
public struct FasterLogSettings: Sendable {
  /// The directory of the commit records (`commit.<sequence>` files); created if missing.
  /// `FasterLog.open(directory:...)` keeps the segment files here too.
  public var directory: String
  /// The hybrid log's page size and memory. Defaults follow FASTER C#'s FasterLog: 4 MiB
  /// pages, 8 MiB of memory. An entry's payload is at most `pageSizeBytes - 72` bytes.
  public var log: HybridLogSettings = HybridLogSettings(pageSizeBytes: 1 << 22, memoryBytes: 1 << 23)
  /// When the log commits on its own.
  public var commitPolicy: LogCommitPolicy = .manual
  /// The most threads that can be inside `enqueue` (or reading from memory) at once; more
  /// wait for a free epoch entry.
  public var maxConcurrentThreads: Int = 128
  /// Commit records kept on disk (the newest and older ones to fall back to if the newest
  /// is found corrupt); at least 1.
  public var retainedCommitRecords: Int = 2
  /// Where the log reports what a person should know (swift-log): recovery cutting a torn
  /// tail (error), a corrupt commit record skipped and a segment file that could not be
  /// deleted (warning), a failed commit (error), the log opened (info), each commit
  /// (debug). The library never prints; the default, `FasterLogging.disabled`, drops them.
  public var logger: Logger = FasterLogging.disabled

  /// Settings for a log whose commit records live in `directory`.
  public init(directory: String) {
    self.directory = directory
  }

  /// Throws `FasterLogError.invalidConfiguration` naming the first bad field.
  public func validate() throws(FasterLogError) {
    guard !directory.isEmpty else {
      throw .invalidConfiguration(
        "FasterLogSettings.directory is empty: give a directory for the commit records")
    }
    do { try log.validate() } catch { throw .invalidConfiguration(error.description) }
    switch commitPolicy {
    case .everyBytes(let bytes) where bytes <= 0:
      throw .invalidConfiguration("LogCommitPolicy.everyBytes(\(bytes)): must be positive, e.g. 1048576")
    case .everyMilliseconds(let milliseconds) where milliseconds <= 0:
      throw .invalidConfiguration(
        "LogCommitPolicy.everyMilliseconds(\(milliseconds)): must be positive, e.g. 5")
    default: break
    }
    guard (1...4096).contains(maxConcurrentThreads) else {
      throw .invalidConfiguration(
        "FasterLogSettings.maxConcurrentThreads = \(maxConcurrentThreads): must be in 1...4096, e.g. 128")
    }
    guard (1...64).contains(retainedCommitRecords) else {
      throw .invalidConfiguration(
        "FasterLogSettings.retainedCommitRecords = \(retainedCommitRecords): must be in 1...64, e.g. 2")
    }
  }
}
