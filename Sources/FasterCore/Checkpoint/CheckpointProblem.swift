/// One thing wrong with a checkpoint, as validation or recovery found it.
public struct CheckpointProblem: Sendable, Equatable, CustomStringConvertible {
  /// The file's path.
  public var file: String
  /// The byte offset in the file where the problem is (0 for a missing file).
  public var offset: Int
  public var reason: String
  /// The checkpoint never committed (its metadata file, written last, is missing): the
  /// normal trace of a crash during a checkpoint, not damage.
  public var isIncomplete: Bool

  public init(file: String, offset: Int, reason: String, isIncomplete: Bool = false) {
    self.file = file
    self.offset = offset
    self.reason = reason
    self.isIncomplete = isIncomplete
  }

  public var description: String { "\(file) at offset \(offset): \(reason)" }

  init(_ error: CheckpointError, file: String) {
    switch error {
    case .corrupt(let corruptFile, let offset, let reason):
      self.init(file: corruptFile, offset: offset, reason: reason)
    default: self.init(file: file, offset: 0, reason: error.description)
    }
  }
}
