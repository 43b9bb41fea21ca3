import Foundation
import Testing

@testable import FasterBenchKit

/// The gate's statistics on synthetic samples. Randomized cases print their seed
/// (FASTER_TEST_SEED replays one).
@Suite struct RegressionStatisticsTests {
  @Test func medianAndNoiseOfSmallSamples() {
    #expect(SampleStatistics.median([3, 1, 2]) == 2)
    #expect(SampleStatistics.median([4, 1, 2, 3]) == 2.5)
    #expect(SampleStatistics.noiseFraction([5]) == 0)
    #expect(SampleStatistics.noiseFraction([100, 100, 100]) == 0)
    // MAD of [90, 100, 110] is 10: 1.4826 * 10 / 100.
    #expect(abs(SampleStatistics.noiseFraction([90, 100, 110]) - 0.14826) < 1e-9)
  }

  @Test func mannWhitneyCompleteSeparationOfFiveAgainstFive() {
    let test = MannWhitneyTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    #expect(test.u == 0)
    // Normal approximation with continuity correction: z = -(12.5 - 0.5) / 4.787.
    #expect(abs(test.pValue - 0.0122) < 0.0005)
  }

  @Test func mannWhitneyIdenticalSamplesGivePValueOne() {
    let test = MannWhitneyTest([5, 5, 5, 5], [5, 5, 5, 5])
    #expect(test.pValue == 1)
    #expect(MannWhitneyTest([1, 2, 3], [1, 2, 3]).pValue > 0.9)
  }

  @Test func mannWhitneyTiesReduceTheVariance() {
    // Ties are common in HdrHistogram percentiles (3 significant digits).
    let test = MannWhitneyTest([600, 600, 600, 610, 610], [620, 620, 630, 630, 630])
    #expect(test.u == 0)
    #expect(test.pValue < 0.012)
  }

  @Test func signedRankNeedsSixPairsAtAlphaFivePercent() {
    #expect(SignedRankTest(differences: [0.1, 0.2, 0.3, 0.4, 0.5]).pValue > 0.05)
    #expect(SignedRankTest(differences: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]).pValue < 0.05)
    #expect(SignedRankTest(differences: [0, 0, 0]).pValue == 1)
  }

  @Test func bootstrapIsSeededAndBracketsTheRatio() {
    let candidate = [90.0, 92, 95, 91, 93]
    let baseline = [100.0, 101, 99, 102, 98]
    let first = MedianRatioBootstrap(candidate: candidate, baseline: baseline)
    let second = MedianRatioBootstrap(candidate: candidate, baseline: baseline)
    #expect(first == second)
    #expect(first.lower <= first.ratio && first.ratio <= first.upper)
    #expect(abs(first.ratio - 0.92) < 1e-9)
    #expect(first.upper < 1)
  }

  @Test func identicalDistributionsDoNotFlag() {
    let seed = TestSupport.seed(0x1D_E471CA1)
    var generator = SeededGenerator(seed: seed)
    var alarms = 0
    let trials = 400
    for _ in 0..<trials {
      let baseline = RegressionFixtures.normalSamples(
        count: 5, mean: 1_000_000, noiseFraction: 0.03, using: &generator)
      let candidate = RegressionFixtures.normalSamples(
        count: 5, mean: 1_000_000, noiseFraction: 0.03, using: &generator)
      let row = Comparison.row(
        workload: "w", label: "w", operation: "ALL", metric: .throughput, candidate: candidate,
        baseline: baseline,
        thresholds: GateThresholds(), mode: .unpaired)
      if row.verdict == .regression { alarms += 1 }
    }
    // 3% noise against a 5% threshold and a one-sided alpha of 0.05: an alarm needs both;
    // about 1% of trials.
    #expect(alarms <= trials * 3 / 200, "false alarms: \(alarms) of \(trials)")
  }

  @Test func tenPercentShiftWithFiveRepetitionsFlags() {
    let seed = TestSupport.seed(0x7E_05A1F7)
    var generator = SeededGenerator(seed: seed)
    var caught = 0
    let trials = 400
    for _ in 0..<trials {
      let baseline = RegressionFixtures.normalSamples(
        count: 5, mean: 1_000_000, noiseFraction: 0.02, using: &generator)
      let candidate = RegressionFixtures.normalSamples(
        count: 5, mean: 900_000, noiseFraction: 0.02, using: &generator)
      let row = Comparison.row(
        workload: "w", label: "w", operation: "ALL", metric: .throughput, candidate: candidate,
        baseline: baseline,
        thresholds: GateThresholds(), mode: .unpaired)
      if row.verdict == .regression { caught += 1 }
    }
    #expect(caught >= trials * 95 / 100, "caught \(caught) of \(trials)")
  }

  @Test func tenPercentShiftInEightPairsFlagsPaired() {
    let seed = TestSupport.seed(0xAB_5E1F)
    var generator = SeededGenerator(seed: seed)
    // Drift shared by both runs of a pair (up to 30%) cancels in the pairwise ratios.
    let drift = RegressionFixtures.normalSamples(count: 8, mean: 1, noiseFraction: 0.15, using: &generator)
    let baseline = drift.map { $0 * 1_000_000 }
    let candidate = drift.map { $0 * 900_000 }
    let row = Comparison.row(
      workload: "w", label: "w", operation: "ALL", metric: .throughput, candidate: candidate,
      baseline: baseline,
      thresholds: GateThresholds(), mode: .paired)
    #expect(row.verdict == .regression)
    let unpaired = Comparison.row(
      workload: "w", label: "w", operation: "ALL", metric: .throughput, candidate: candidate,
      baseline: baseline,
      thresholds: GateThresholds(), mode: .unpaired)
    #expect(unpaired.verdict != .regression)
  }

  @Test func latencyGoingUpIsARegressionAndDownAnImprovement() {
    let base = [1000.0, 1010, 990, 1005, 995]
    let slower = base.map { $0 * 1.2 }
    let faster = base.map { $0 * 0.8 }
    for (candidate, verdict) in [(slower, ComparisonVerdict.regression), (faster, .improvement)] {
      let row = Comparison.row(
        workload: "w", label: "w", operation: "READ", metric: .p99, candidate: candidate, baseline: base,
        thresholds: GateThresholds(), mode: .unpaired)
      #expect(row.verdict == verdict)
    }
  }

  @Test func aSignificantChangeWithinTheThresholdIsUnchanged() {
    let base = [100.0, 100.1, 99.9, 100.05, 99.95]
    let row = Comparison.row(
      workload: "w", label: "w", operation: "ALL", metric: .throughput, candidate: base.map { $0 * 0.97 },
      baseline: base, thresholds: GateThresholds(), mode: .unpaired)
    #expect(row.pValue < 0.05)
    #expect(row.verdict == .unchanged)
  }

  @Test func aLargeChangeThatIsNotSignificantIsNoisy() {
    let row = Comparison.row(
      workload: "w", label: "w", operation: "ALL", metric: .throughput, candidate: [80, 130, 70, 120],
      baseline: [100, 60, 140, 110], thresholds: GateThresholds(), mode: .unpaired)
    #expect(row.verdict == .noisy || row.verdict == .unchanged)
  }

  @Test func oneRepetitionIsInsufficient() {
    let row = Comparison.row(
      workload: "w", label: "w", operation: "ALL", metric: .throughput, candidate: [50], baseline: [100],
      thresholds: GateThresholds(), mode: .unpaired)
    #expect(row.verdict == .insufficient)
  }
}
