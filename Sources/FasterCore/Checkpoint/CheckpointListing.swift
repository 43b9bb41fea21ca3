/// One checkpoint found in a directory by `CheckpointCatalog.list()`, valid or not.
public struct CheckpointListing: Sendable, Equatable {
  /// The parsed metadata; nil when it could not be read.
  public var info: CheckpointInfo?
  /// The token from the file name (nil when the name is not a token).
  public var token: CheckpointToken?
  /// Empty when every file of the checkpoint validated.
  public var problems: [CheckpointProblem]
  /// Bytes of the checkpoint's own files.
  public var sizeBytes: UInt64
  /// The checkpoint's own files (paths); a log-only checkpoint's index file belongs to the
  /// checkpoint that wrote it.
  public var files: [String]

  public var isValid: Bool { problems.isEmpty && info != nil }
}
