import Foundation

/// The Wilcoxon signed-rank test of paired differences: are the pairs' differences centred on
/// zero? Used on the logarithms of A/B pairwise ratios, so a pair that ran while the machine was
/// busy (both sides slow) cancels out.
///
/// Normal approximation with the tie correction and a continuity correction of 0.5; zero
/// differences are dropped (Wilcoxon's convention). Five pairs all in one direction give a
/// two-sided p-value of 0.059, six give 0.036: gate A/B runs on at least six pairs at the
/// default alpha of 0.05 (the A/B script defaults to eight).
public struct SignedRankTest: Sendable, Equatable {
  /// The sum of the ranks of the positive differences.
  public let positiveRankSum: Double
  /// Non-zero differences that were ranked.
  public let rankedCount: Int
  public let z: Double
  /// Two-sided p-value (1 with fewer than two non-zero differences).
  public let pValue: Double
  /// One-sided p-value that the differences tend to be positive (the candidate larger).
  public let pValuePositive: Double
  /// One-sided p-value that the differences tend to be negative (the candidate smaller).
  public let pValueNegative: Double

  public init(differences: [Double]) {
    let nonZero = differences.filter { $0 != 0 && $0.isFinite }.sorted { abs($0) < abs($1) }
    rankedCount = nonZero.count
    guard nonZero.count >= 2 else {
      positiveRankSum = 0
      z = 0
      pValue = 1
      pValuePositive = 1
      pValueNegative = 1
      return
    }
    var positive = 0.0
    var tieTerm = 0.0
    var start = 0
    while start < nonZero.count {
      var end = start
      while end + 1 < nonZero.count && abs(nonZero[end + 1]) == abs(nonZero[start]) { end += 1 }
      let midRank = Double(start + end + 2) / 2
      let groupSize = Double(end - start + 1)
      tieTerm += groupSize * groupSize * groupSize - groupSize
      for index in start...end where nonZero[index] > 0 { positive += midRank }
      start = end + 1
    }
    positiveRankSum = positive
    let n = Double(nonZero.count)
    let mean = n * (n + 1) / 4
    let variance = n * (n + 1) * (2 * n + 1) / 24 - tieTerm / 48
    guard variance > 0 else {
      z = 0
      pValue = 1
      pValuePositive = 1
      pValueNegative = 1
      return
    }
    let distance = max(0, abs(positive - mean) - 0.5)
    z = (positive >= mean ? 1 : -1) * distance / variance.squareRoot()
    pValue = SampleStatistics.twoSidedNormalPValue(z)
    let deviation = variance.squareRoot()
    pValuePositive = SampleStatistics.upperNormalTail((positive - mean - 0.5) / deviation)
    pValueNegative = SampleStatistics.upperNormalTail((mean - positive - 0.5) / deviation)
  }

  /// One-sided p-value of "the candidate is worse" for differences `log(candidate / baseline)`.
  public func pValueCandidateWorse(higherIsBetter: Bool) -> Double {
    higherIsBetter ? pValueNegative : pValuePositive
  }

  /// The smallest one-sided p-value `pairs` pairs can reach (all in one direction): 0.031 for 5
  /// pairs, 0.062 for 4.
  public static func smallestOneSidedPValue(_ pairs: Int) -> Double {
    SignedRankTest(differences: (1...max(1, pairs)).map { -Double($0) }).pValueNegative
  }
}
