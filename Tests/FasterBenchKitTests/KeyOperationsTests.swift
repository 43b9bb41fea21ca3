import Testing

@testable import FasterBenchKit

/// `fasterbench keys --operations`: what a workload with inserts (D, `latest`) and scans (E)
/// draws, as a user would check the chooser.
@Suite struct KeyOperationsTests {
  func operations(_ workload: String, count: Int) throws -> [[Substring]] {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload(workload)], overrides: ["seed=7"])
    var lines: [String] = []
    KeySampler.writeOperations(configuration: configuration, count: count) { lines.append($0) }
    return lines.map { $0.split(separator: " ") }
  }

  @Test func workloadDInsertsInOrderAndReadsTheLatestKeys() throws {
    let lines = try operations("workloadd", count: 4000)
    let inserts = lines.filter { $0[0] == "INSERT" }.map { UInt64($0[1])! }
    #expect(!inserts.isEmpty)
    #expect(inserts == Array(1000..<(1000 + UInt64(inserts.count))))  // recordcount=1000 loaded first
    let reads = lines.filter { $0[0] == "READ" }.map { UInt64($0[1])! }
    // `latest`: the newest keys are the hottest, so reads reach the inserted ones.
    #expect(reads.contains { $0 >= 1000 })
    #expect(reads.allSatisfy { $0 < 1000 + UInt64(inserts.count) })
  }

  @Test func workloadEScansHaveLengthsWithinItsBounds() throws {
    let lines = try operations("workloade", count: 2000)
    let scans = lines.filter { $0[0] == "SCAN" }
    #expect(scans.count > 1500)
    let lengths = scans.map { Int($0[2])! }
    #expect(lengths.allSatisfy { (1...100).contains($0) })  // maxscanlength=100, uniform
    #expect(Set(lengths).count > 50)
  }
}
