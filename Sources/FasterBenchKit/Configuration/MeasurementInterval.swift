/// YCSB's `measurement.interval`: which latency is recorded for each operation.
///
/// - `op`: from the operation's actual start (YCSB's default).
/// - `intended`: from its intended start under `-target` throttling, reported under the plain
///   operation name.
/// - `both`: both; the intended figures are reported as `[Intended-READ]` and so on, YCSB's own
///   spelling.
///
/// Without `-target` the intended start is the actual start, so both figures agree.
public enum MeasurementInterval: String, Sendable, Codable, CaseIterable {
  case op, intended, both

  var recordsActual: Bool { self != .intended }
  var recordsIntended: Bool { self != .op }
}
