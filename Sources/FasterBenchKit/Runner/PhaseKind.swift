/// YCSB's two phases: `load` inserts the initial records, `run` performs the operation mix.
public enum PhaseKind: String, Sendable, Codable {
  case load
  case run
}
