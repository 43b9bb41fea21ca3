/// The `faster.checkpoint.*` knobs of a run with checkpoints on (unset ones absent).
public struct CheckpointKnobsRecord: Codable, Sendable, Equatable {
  public var intervalSeconds: Double
  /// `foldover` or `snapshot`.
  public var kind: String
  /// Every Nth checkpoint also checkpoints the index (the first always does; 0 = only it).
  public var indexEvery: Int
  /// Absent for the default (`checkpoints/` in the log directory).
  public var directory: String?
  public var keep: Int?
}
