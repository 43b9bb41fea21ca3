import Foundation

/// Descriptive statistics of a small sample (one value per repetition).
///
/// The spread is robust: `noiseFraction` is the median absolute deviation scaled by 1.4826 (so it
/// estimates the standard deviation of a normal sample) divided by the median. One slow
/// repetition on a shared machine moves it far less than it moves a standard deviation.
public enum SampleStatistics {
  /// The median; `nan` for an empty sample.
  public static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// The median absolute deviation from the median, scaled by 1.4826.
  public static func scaledMedianAbsoluteDeviation(_ values: [Double]) -> Double {
    guard values.count >= 2 else { return 0 }
    let center = median(values)
    return 1.4826 * median(values.map { abs($0 - center) })
  }

  /// The robust relative spread: scaled MAD / median (0 for fewer than two values).
  public static func noiseFraction(_ values: [Double]) -> Double {
    let center = median(values)
    guard values.count >= 2, center != 0, center.isFinite else { return 0 }
    return scaledMedianAbsoluteDeviation(values) / abs(center)
  }

  /// The `quantile` (in [0, 1]) of sorted values, by linear interpolation between order statistics.
  static func quantile(sorted: [Double], _ quantile: Double) -> Double {
    precondition(!sorted.isEmpty, "quantile of an empty sample")
    let position = quantile * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let weight = position - Double(lower)
    return sorted[lower] * (1 - weight) + sorted[upper] * weight
  }

  /// The two-sided p-value of a standard normal deviate `z`.
  static func twoSidedNormalPValue(_ z: Double) -> Double {
    min(1, erfc(abs(z) / 2.0.squareRoot()))
  }

  /// P(Z >= z) for a standard normal Z.
  static func upperNormalTail(_ z: Double) -> Double {
    min(1, max(0, erfc(z / 2.0.squareRoot()) / 2))
  }
}
