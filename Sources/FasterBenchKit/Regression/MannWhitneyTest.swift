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
  /// One-sided p-value that the first sample tends to be larger than the second.
  public let pValueFirstLarger: Double
  /// One-sided p-value that the first sample tends to be smaller than the second.
  public let pValueFirstSmaller: Double

  /// Tests `first` against `second`. Needs at least one value on each side; with fewer than two
  /// per side the p-value is 1.
  public init(_ first: [Double], _ second: [Double]) {
    let n1 = Double(first.count)
    let n2 = Double(second.count)
    guard first.count >= 2, second.count >= 2 else {
      u = n1 * n2 / 2
      z = 0
      pValue = 1
      pValueFirstLarger = 1
      pValueFirstSmaller = 1
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
      pValueFirstLarger = 1
      pValueFirstSmaller = 1
      return
    }
    let distance = max(0, abs(u - mean) - 0.5)
    z = (u >= mean ? 1 : -1) * distance / variance.squareRoot()
    pValue = SampleStatistics.twoSidedNormalPValue(z)
    // Small samples without ties: the exact distribution of U (the normal approximation is
    // too generous there: 3 against 3 with no overlap is p = 0.05 exactly, not 0.04).
    if tieTerm == 0, let exact = Self.exactUpperTail(n1: first.count, n2: second.count) {
      let largest = Int(n1 * n2)
      let rounded = Int(u.rounded())
      pValueFirstLarger = exact[rounded]
      pValueFirstSmaller = exact[largest - rounded]
    } else {
      // One-sided: continuity-corrected deviate in each direction.
      let deviation = variance.squareRoot()
      pValueFirstLarger = SampleStatistics.upperNormalTail((u - mean - 0.5) / deviation)
      pValueFirstSmaller = SampleStatistics.upperNormalTail((mean - u - 0.5) / deviation)
    }
  }

  /// One-sided p-value of "the candidate is worse", given the metric's direction: for a
  /// throughput (higher is better) that is the candidate being smaller.
  public func pValueCandidateWorse(higherIsBetter: Bool) -> Double {
    higherIsBetter ? pValueFirstSmaller : pValueFirstLarger
  }

  /// The smallest one-sided p-value samples of these sizes can reach (no overlap at all, no
  /// ties): 1 / C(n1 + n2, n1) exactly for small samples. 3 against 3 gives 0.05, so they can
  /// never be significant at alpha 0.05; 4 against 4 gives 0.014.
  public static func smallestOneSidedPValue(_ n1: Int, _ n2: Int) -> Double {
    guard n1 >= 2, n2 >= 2 else { return 1 }
    let first = (0..<n1).map(Double.init)
    let second = (n1..<(n1 + n2)).map(Double.init)
    return MannWhitneyTest(first, second).pValueFirstSmaller
  }

  /// Exact P(U >= u) for u in 0...n1*n2 under the null hypothesis, when the samples are small
  /// enough to count (n1 + n2 <= 40); nil otherwise.
  static func exactUpperTail(n1: Int, n2: Int) -> [Double]? {
    guard n1 + n2 <= 40 else { return nil }
    // counts[j][u]: arrangements of i first-sample values and j second-sample values with this
    // U, built up one first-sample value (i) at a time.
    let largest = n1 * n2
    var previous = [[Double]](repeating: [Double](repeating: 0, count: largest + 1), count: n2 + 1)
    for j in 0...n2 { previous[j][0] = 1 }  // i = 0: U is 0
    if n1 > 0 {
      for _ in 1...n1 {
        var current = [[Double]](repeating: [Double](repeating: 0, count: largest + 1), count: n2 + 1)
        for j in 0...n2 {
          for u in 0...largest {
            // The largest value is from the first sample (it beats all j others) or the second.
            var count = u >= j ? previous[j][u - j] : 0
            if j > 0 { count += current[j - 1][u] }
            current[j][u] = count
          }
        }
        previous = current
      }
    }
    let distribution = previous[n2]
    let total = distribution.reduce(0, +)
    var tail = [Double](repeating: 0, count: largest + 1)
    var running = 0.0
    for u in stride(from: largest, through: 0, by: -1) {
      running += distribution[u]
      tail[u] = min(1, running / total)
    }
    return tail
  }
}
