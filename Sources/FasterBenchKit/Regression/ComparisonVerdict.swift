/// The verdict on one row of a comparison.
public enum ComparisonVerdict: String, Sendable, Codable {
  /// Significantly worse, and by more than the threshold.
  case regression
  /// Significantly better, and by more than the threshold.
  case improvement
  /// Within the threshold (significant or not).
  case unchanged
  /// Beyond the threshold but not significant: the noise is too large to tell.
  case noisy
  /// Too few repetitions on a side (fewer than two) or no figure to compare.
  case insufficient
  /// Beyond the threshold and not significant, with so few repetitions that no result could
  /// be significant: more repetitions are needed to tell (the row says how many).
  case underpowered

  /// The word in tables.
  public var label: String {
    switch self {
    case .regression: "REGRESSION"
    case .improvement: "improvement"
    case .unchanged: "ok"
    case .noisy: "noisy"
    case .insufficient: "n/a"
    case .underpowered: "too few reps"
    }
  }
}
