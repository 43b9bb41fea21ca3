/// The exit codes of `fasterbench compare` (and of the scripts built on it), for CI to act on.
///
/// | code | meaning |
/// |---|---|
/// | 0 | no regression and no improvement beyond the thresholds |
/// | 1 | an input could not be read: missing file, corrupt or truncated JSON, bad thresholds file |
/// | 2 | at least one regression (improvements may be present too) |
/// | 3 | refused: the results are not comparable (machine, build configuration, workload); `--force` overrides |
/// | 4 | improvements only: consider updating the baseline |
/// | 5 | operations returned ERROR: a `load`/`run` beyond its allowed error rate, or a candidate with error returns |
/// | 6 | too few repetitions: a change beyond the threshold that these repetition counts can never show significant |
/// | 64 | command-line usage error |
public enum GateExitCode: Int32, Sendable, CaseIterable {
  case success = 0
  case inputError = 1
  case regression = 2
  case notComparable = 3
  case improvementOnly = 4
  case operationErrors = 5
  case tooFewRepetitions = 6
  case usage = 64
}
