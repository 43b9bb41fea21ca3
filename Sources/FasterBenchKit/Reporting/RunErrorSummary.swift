/// The operations of a run that returned ERROR (`Return=ERROR`): how many, of how many, what
/// the first failure was, and whether that is beyond the allowed error rate (`maxerrorrate`,
/// default 0), which makes the run a failure (exit 5).
public struct RunErrorSummary: Codable, Sendable, Equatable {
  /// The first phase with errors: `load` or `run`.
  public var phase: String
  /// The first operation type with errors in that phase, YCSB's name (`INSERT`, ...).
  public var operation: String
  /// Errors of that operation type in that phase.
  public var errors: UInt64
  /// Operations of that type performed in that phase (warm-up included).
  public var operations: UInt64
  /// Errors over every phase and operation type.
  public var totalErrors: UInt64
  public var totalOperations: UInt64
  /// What the store said about its first failure (e.g. "disk full writing …"), or the status.
  public var firstError: String
  /// `maxerrorrate`: the fraction of operations allowed to fail.
  public var allowedErrorRate: Double
  /// True when the error rate is beyond `allowedErrorRate`: the run failed.
  public var failed: Bool
  /// True when errors stopped the load early (and the run phase did not run).
  public var stoppedEarly: Bool

  /// The one-line summary printed on stderr, e.g.
  /// "1300000 of 2000000 inserts failed in the load phase: disk full writing …".
  public var message: String {
    var text = "\(errors) of \(operations) \(Self.plural(operation)) failed in the \(phase) phase"
    if totalErrors != errors {
      text += " (\(totalErrors) of \(totalOperations) operations in all)"
    }
    if stoppedEarly { text += "; errors stopped the load early, so the run phase did not run" }
    return text + ": " + firstError
  }

  /// Summarizes `phases`; nil when no operation returned ERROR.
  public static func summarize(
    phases: [PhaseRecord], firstError: String?, allowedErrorRate: Double, stoppedEarly: Bool
  ) -> RunErrorSummary? {
    var first: (phase: String, operation: OperationRecord)? = nil
    var totalErrors: UInt64 = 0
    var totalOperations: UInt64 = 0
    for phase in phases {
      for operation in phase.operationTypes {
        totalErrors &+= operation.returnCodes.error
        totalOperations &+= operation.operations
        if first == nil && operation.returnCodes.error > 0 { first = (phase.name, operation) }
      }
    }
    guard let first else { return nil }
    let rate = totalOperations > 0 ? Double(totalErrors) / Double(totalOperations) : 1
    return RunErrorSummary(
      phase: first.phase, operation: first.operation.name, errors: first.operation.returnCodes.error,
      operations: first.operation.operations, totalErrors: totalErrors, totalOperations: totalOperations,
      firstError: firstError ?? "the store returned an error status (the binding gave no detail)",
      allowedErrorRate: allowedErrorRate, failed: stoppedEarly || rate > allowedErrorRate,
      stoppedEarly: stoppedEarly)
  }

  /// The gate's line for a candidate run with error returns (any at all: a gating run allows
  /// none), or nil. Reads the return codes, so files written before this field count too.
  static func gateLine(_ run: RunRecord) -> String? {
    let summary =
      run.errors
      ?? summarize(phases: run.phases, firstError: nil, allowedErrorRate: 0, stoppedEarly: false)
    guard let summary else { return nil }
    var name = run.workload ?? run.binding
    if let repetition = run.repetition { name += " repetition \(repetition)" }
    return "candidate \(name): \(summary.message)"
  }

  private static func plural(_ operation: String) -> String {
    switch operation {
    case "READ-MODIFY-WRITE": "read-modify-writes"
    default: operation.lowercased() + "s"
    }
  }
}
