/// A percentile-bootstrap confidence interval of the ratio of medians (candidate / baseline), or,
/// for paired runs, of the median pairwise ratio. Seeded, so the same files give the same
/// interval.
///
/// With very few repetitions the bootstrap interval is too narrow (with five values it cannot
/// reach beyond the sample's extremes); it is shown as the size of the noise, while the verdict
/// rests on the rank test and the threshold.
public struct MedianRatioBootstrap: Sendable, Equatable {
  /// The point estimate: median(candidate) / median(baseline), or the median pairwise ratio.
  public let ratio: Double
  public let lower: Double
  public let upper: Double
  /// The confidence level, e.g. 0.95.
  public let level: Double

  /// The default resample count and seed.
  public static let defaultResamples = 2000
  public static let defaultSeed: UInt64 = 0x5EED_FA57_E2B3_0001

  /// Unpaired: resamples each side independently.
  public init(
    candidate: [Double], baseline: [Double], level: Double = 0.95, resamples: Int = defaultResamples,
    seed: UInt64 = defaultSeed
  ) {
    precondition(level > 0 && level < 1, "confidence level must be in (0, 1)")
    self.level = level
    ratio = SampleStatistics.median(candidate) / SampleStatistics.median(baseline)
    guard candidate.count >= 2, baseline.count >= 2, resamples > 0 else {
      lower = ratio
      upper = ratio
      return
    }
    var generator = SeededGenerator(seed: seed)
    var ratios: [Double] = []
    ratios.reserveCapacity(resamples)
    for _ in 0..<resamples {
      let candidateMedian = SampleStatistics.median(Self.resample(candidate, using: &generator))
      let baselineMedian = SampleStatistics.median(Self.resample(baseline, using: &generator))
      ratios.append(candidateMedian / baselineMedian)
    }
    ratios.sort()
    lower = SampleStatistics.quantile(sorted: ratios, (1 - level) / 2)
    upper = SampleStatistics.quantile(sorted: ratios, 1 - (1 - level) / 2)
  }

  /// Paired: resamples the pairwise ratios.
  public init(
    pairwiseRatios: [Double], level: Double = 0.95, resamples: Int = defaultResamples,
    seed: UInt64 = defaultSeed
  ) {
    precondition(level > 0 && level < 1, "confidence level must be in (0, 1)")
    self.level = level
    ratio = SampleStatistics.median(pairwiseRatios)
    guard pairwiseRatios.count >= 2, resamples > 0 else {
      lower = ratio
      upper = ratio
      return
    }
    var generator = SeededGenerator(seed: seed)
    var medians: [Double] = []
    medians.reserveCapacity(resamples)
    for _ in 0..<resamples {
      medians.append(SampleStatistics.median(Self.resample(pairwiseRatios, using: &generator)))
    }
    medians.sort()
    lower = SampleStatistics.quantile(sorted: medians, (1 - level) / 2)
    upper = SampleStatistics.quantile(sorted: medians, 1 - (1 - level) / 2)
  }

  private static func resample(_ values: [Double], using generator: inout SeededGenerator) -> [Double] {
    (0..<values.count).map { _ in values[Int(generator.next() % UInt64(values.count))] }
  }
}
