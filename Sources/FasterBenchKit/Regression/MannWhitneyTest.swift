/// The Mann–Whitney U test (Wilcoxon rank-sum) of two independent samples: does one tend to be
/// larger than the other? It assumes nothing about the distributions' shape, which suits
/// benchmark samples (skewed, with the odd slow outlier).
///
/// The p-value uses the normal approximation with the tie correction and a continuity
/// correction of 0.5; no exact small-sample table. With five values per side and no overlap at
/// all, the two-sided p-value is 0.012 (the exact test gives 0.008); with four per side it cannot
/// go below 0.03, so gate with at least five repetitions at the default alpha of 0.05.
public struct MannWhitneyTest: Sendable, Equatable {
  /// U of the first sample: the number of pairs (x, y) with x > y, ties counting one half.
  public let u: Double
  /// The standard normal deviate after the tie and continuity corrections (0 when the combined
  /// sample has no spread).
  public let z: Double
  /// Two-sided p-value.
  public let pValue: Double

  /// Tests `first` against `second`. Needs at least one value on each side; with fewer than two
  /// per side the p-value is 1.
  public init(_ first: [Double], _ second: [Double]) {
    let n1 = Double(first.count)
    let n2 = Double(second.count)
    guard first.count >= 2, second.count >= 2 else {
      u = n1 * n2 / 2
      z = 0
      pValue = 1
      return
    }
    // Mid-ranks of the combined sample; tie groups feed the variance correction.
    let combined = (first.map { ($0, true) } + second.map { ($0, false) }).sorted { $0.0 < $1.0 }
    var rankSumFirst = 0.0
    var tieTerm = 0.0
    var start = 0
    while start < combined.count {
      var end = start
      while end + 1 < combined.count && combined[end + 1].0 == combined[start].0 { end += 1 }
      let midRank = Double(start + end + 2) / 2
      let groupSize = Double(end - start + 1)
      tieTerm += groupSize * groupSize * groupSize - groupSize
      for index in start...end where combined[index].1 { rankSumFirst += midRank }
      start = end + 1
    }
    u = rankSumFirst - n1 * (n1 + 1) / 2
    let total = n1 + n2
    let mean = n1 * n2 / 2
    let variance = n1 * n2 / 12 * ((total + 1) - tieTerm / (total * (total - 1)))
    guard variance > 0 else {
      z = 0
      pValue = 1
      return
    }
    let distance = max(0, abs(u - mean) - 0.5)
    z = (u >= mean ? 1 : -1) * distance / variance.squareRoot()
    pValue = SampleStatistics.twoSidedNormalPValue(z)
  }
}
