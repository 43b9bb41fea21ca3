import FasterCore
import YCSB

extension EngineKnobs {
  /// The longest `faster.checkpoint.interval` accepted (one year, as `maxexecutiontime`).
  public static let maximumCheckpointIntervalSeconds: Double = 31_536_000

  /// The checkpoint kinds this engine can take, by knob value: the one place that maps
  /// `faster.checkpoint.kind` to the engine.
  public static let checkpointKinds: [(name: String, kind: CheckpointKind)] = [
    ("foldover", .foldOver), ("snapshot", .snapshot), ("incremental", .incrementalSnapshot),
  ]

  static var checkpointKindsAcceptedForm: String {
    let names = checkpointKinds.map(\.name)
    return names.dropLast().joined(separator: ", ") + " or " + names.last!
  }

  /// The engine's kind for a `faster.checkpoint.kind` value, or an error naming the value
  /// and the kinds accepted.
  static func checkpointKind(named text: String) throws(ConfigurationError) -> CheckpointKind {
    let name = text.trimmingCharacters(in: .whitespaces).lowercased()
    if let match = checkpointKinds.first(where: { $0.name == name }) { return match.kind }
    throw .malformed("faster.checkpoint.kind", text, expected: checkpointKindsAcceptedForm)
  }

  /// The `faster.checkpoint.*` knobs. The others need `faster.checkpoint.interval` > 0 (or an
  /// explicit 0, which keeps them unused), so a forgotten interval never silently runs
  /// without checkpoints; an interval needs a disk tier (a checkpoint flushes the log to it).
  mutating func parseCheckpointKnobs(_ properties: Properties, form: (String) -> String)
    throws(ConfigurationError)
  {
    if let text = properties["faster.checkpoint.interval"] {
      guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0,
        value <= Self.maximumCheckpointIntervalSeconds
      else {
        throw .malformed("faster.checkpoint.interval", text, expected: form("faster.checkpoint.interval"))
      }
      checkpointIntervalSeconds = value
    }
    if let text = properties["faster.checkpoint.kind"] {
      checkpointKind = try Self.checkpointKind(named: text)
    }
    if let text = properties["faster.checkpoint.index"] {
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
        throw .malformed("faster.checkpoint.index", text, expected: form("faster.checkpoint.index"))
      }
      checkpointIndexEvery = value
    }
    if let text = properties["faster.checkpoint.dir"] {
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else {
        throw .malformed("faster.checkpoint.dir", text, expected: form("faster.checkpoint.dir"))
      }
      checkpointDirectory = trimmed
    }
    if let text = properties["faster.checkpoint.keep"] {
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 1 else {
        throw .malformed("faster.checkpoint.keep", text, expected: form("faster.checkpoint.keep"))
      }
      checkpointsToKeep = value
    }
    let others = properties.names.filter {
      $0.hasPrefix("faster.checkpoint.") && $0 != "faster.checkpoint.interval"
    }
    .sorted()
    if properties["faster.checkpoint.interval"] == nil && !others.isEmpty {
      throw ConfigurationError(
        "\(others.joined(separator: ", ")) set but faster.checkpoint.interval is not: add faster.checkpoint.interval=<seconds> (e.g. 5)"
      )
    }
    if checkpointIntervalSeconds > 0 && device == nil {
      throw ConfigurationError(
        "faster.checkpoint.interval=\(properties["faster.checkpoint.interval"]!) needs a disk tier: set faster.device (uring or file); a checkpoint flushes the log to it"
      )
    }
  }

  /// Whether the `index`-th checkpoint of a run (1-based) also checkpoints the index: the
  /// first always does (a log-only checkpoint needs an index checkpoint of this run to
  /// build on), then every `checkpointIndexEvery`-th after it.
  func checkpointIncludesIndex(_ index: Int) -> Bool {
    if index <= 1 { return true }
    guard checkpointIndexEvery > 0 else { return false }
    return (index - 1) % checkpointIndexEvery == 0
  }
}
