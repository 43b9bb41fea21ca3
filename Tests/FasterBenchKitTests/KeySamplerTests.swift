import Testing
import YCSB

@testable import FasterBenchKit

@Suite struct KeySamplerTests {
  @Test func theSameSeedDrawsTheSameKeys() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")], overrides: ["recordcount=1000", "seed=42"])
    let first = KeySampler.keys(configuration: configuration, count: 500)
    let second = KeySampler.keys(configuration: configuration, count: 500)
    #expect(first == second)
    #expect(first.allSatisfy { $0 < 1000 })
    let other = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")], overrides: ["recordcount=1000", "seed=43"])
    #expect(KeySampler.keys(configuration: other, count: 500) != first)
  }

  @Test func zipfianKeysAreSkewed() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")], overrides: ["recordcount=1000", "seed=1"])
    let keys = KeySampler.keys(configuration: configuration, count: 20_000)
    var counts: [UInt64: Int] = [:]
    for key in keys { counts[key, default: 0] += 1 }
    let top = counts.values.sorted(by: >).prefix(10).reduce(0, +)
    #expect(Double(top) / Double(keys.count) > 0.1)  // uniform would give 1%
  }
}
