import Testing

@testable import YCSB

@Suite struct CoreWorkloadTests {
  func workload(_ text: String) throws(WorkloadError) -> CoreWorkload {
    try CoreWorkload(properties: Properties(parsing: text, source: "bad.properties"))
  }

  /// Expects `text` to be rejected with an error naming `property`, and each of `fragments`.
  func expectRejected(_ text: String, property: String, mentioning fragments: [String] = []) {
    do {
      _ = try workload(text)
      Issue.record("expected \(property) to be rejected")
    } catch {
      #expect(error.property == property)
      for fragment in fragments {
        #expect(error.description.contains(fragment), "\(error.description) lacks \(fragment)")
      }
    }
  }

  @Test func defaultsAreYCSBs() throws {
    let workload = try workload("")
    #expect(workload.table == "usertable")
    #expect(workload.recordCount == Int(Int32.max))
    #expect(workload.operationCount == 0)
    #expect(workload.fieldCount == 10)
    #expect(workload.fieldLength == 100)
    #expect(workload.fieldLengthDistribution == .constant)
    #expect(workload.readAllFields)
    #expect(!workload.writeAllFields)
    #expect(workload.readProportion == 0.95)
    #expect(workload.updateProportion == 0.05)
    #expect(workload.requestDistribution == .uniform)
    #expect(workload.zipfianConstant == 0.99)
    #expect(workload.insertOrderHashed)
    #expect(workload.zeroPadding == 1)
    #expect(workload.minScanLength == 1)
    #expect(workload.maxScanLength == 1000)
    #expect(workload.hotspotDataFraction == 0.2)
    #expect(workload.hotspotOperationFraction == 0.8)
    #expect(workload.exponentialPercentile == 95)
    #expect(workload.exponentialFraction == 0.8571428571)
    #expect(workload.threadCount == 1)
    #expect(workload.fieldNamePrefix == "field")
    #expect(workload.seed == nil)
  }

  @Test func insertCountDefaultsToRecordCountMinusStart() throws {
    let workload = try workload("recordcount=100\ninsertstart=30\n")
    #expect(workload.insertCount == 70)
  }

  @Test func expectedNewKeysUsesRawInsertProportion() throws {
    let workload = try workload("recordcount=10\noperationcount=1000\ninsertproportion=0.05\n")
    #expect(workload.expectedNewKeys == 100)
  }

  @Test func everyWorkloadFileParses() throws {
    let names = TestPaths.workloadFiles()
    #expect(names.count >= 12, "found \(names) in \(TestPaths.workloadsDirectory)")
    for name in names {
      let workload = try CoreWorkload(path: TestPaths.workloadsDirectory + "/" + name)
      for property in workload.properties.names where !property.hasPrefix("faster.") {
        #expect(workload.knownPropertyNames.contains(property), "\(name): \(property)")
      }
    }
  }

  @Test func standardWorkloadsHaveYCSBsMix() throws {
    let directory = TestPaths.workloadsDirectory
    let a = try CoreWorkload(path: directory + "/workloada")
    #expect(a.readProportion == 0.5 && a.updateProportion == 0.5 && a.requestDistribution == .zipfian)
    #expect(a.recordCount == 1000 && a.operationCount == 1000)
    let d = try CoreWorkload(path: directory + "/workloadd")
    #expect(d.requestDistribution == .latest && d.insertProportion == 0.05)
    let e = try CoreWorkload(path: directory + "/workloade")
    #expect(e.scanProportion == 0.95 && e.maxScanLength == 100 && e.scanLengthDistribution == .uniform)
    let f = try CoreWorkload(path: directory + "/workloadf")
    #expect(f.readModifyWriteProportion == 0.5)
  }

  @Test func fasterWorkloadsAreCompactAndTimed() throws {
    for name in TestPaths.workloadFiles() where name.hasPrefix("faster-") {
      let workload = try CoreWorkload(path: TestPaths.workloadsDirectory + "/" + name)
      #expect(workload.properties["faster.record"] == "compact", "\(name)")
      // In-memory files load 50 M records as FASTER's benchmark; the larger-than-memory
      // (-disk) files 20 M over a 128 MB log.
      #expect(workload.recordCount == (name.hasSuffix("-disk") ? 20_000_000 : 50_000_000), "\(name)")
      #expect(workload.operationCount == 0)
      #expect(workload.maxExecutionTimeSeconds == 30)
    }
  }

  @Test func unknownRequestDistribution() {
    expectRejected(
      "requestdistribution=zipf\n", property: "requestdistribution",
      mentioning: ["zipf", "uniform, zipfian, latest, hotspot, sequential, exponential", "bad.properties:1"])
  }

  @Test func unknownScanLengthDistribution() {
    expectRejected(
      "scanlengthdistribution=normal\n", property: "scanlengthdistribution", mentioning: ["normal"])
  }

  @Test func unknownFieldLengthDistribution() {
    expectRejected("fieldlengthdistribution=gaussian\n", property: "fieldlengthdistribution")
  }

  @Test func histogramFieldLengthsAreUnsupported() {
    expectRejected(
      "fieldlengthdistribution=histogram\n", property: "fieldlengthdistribution", mentioning: ["histogram"])
  }

  @Test func allProportionsZero() {
    expectRejected(
      "readproportion=0\nupdateproportion=0\n", property: "readproportion", mentioning: ["all 0"])
  }

  @Test func negativeProportion() {
    expectRejected(
      "updateproportion=-0.5\n", property: "updateproportion", mentioning: ["-0.5", "non-negative"])
  }

  @Test func nonNumericProportion() {
    expectRejected("readproportion=half\n", property: "readproportion", mentioning: ["half"])
  }

  @Test func negativeCount() {
    expectRejected("recordcount=-5\n", property: "recordcount", mentioning: ["-5", "must be ≥ 0"])
  }

  @Test func nonNumericCount() {
    expectRejected("operationcount=1e6\n", property: "operationcount", mentioning: ["1e6"])
  }

  @Test func minScanLongerThanMax() {
    expectRejected(
      "minscanlength=50\nmaxscanlength=10\n", property: "minscanlength", mentioning: ["maxscanlength"])
  }

  @Test func zipfianConstantOutOfRange() {
    expectRejected("zipfianconstant=1\n", property: "zipfianconstant", mentioning: ["(0, 1)"])
    expectRejected("zipfianconstant=0\n", property: "zipfianconstant")
    expectRejected("zipfianconstant=-0.5\n", property: "zipfianconstant")
  }

  @Test func zipfianConstantAboveOneIsAccepted() throws {
    #expect(try workload("zipfianconstant=1.2\n").zipfianConstant == 1.2)
  }

  @Test func insertRangeBeyondRecordCount() {
    expectRejected(
      "recordcount=100\ninsertstart=50\ninsertcount=60\n", property: "insertcount",
      mentioning: ["recordcount"])
  }

  @Test func booleanMustBeTrueOrFalse() {
    expectRejected("readallfields=yes\n", property: "readallfields", mentioning: ["true or false"])
  }

  @Test func hotspotFractionOutOfRange() {
    expectRejected("hotspotdatafraction=1.5\n", property: "hotspotdatafraction", mentioning: ["0 to 1"])
  }

  @Test func otherWorkloadClassIsUnsupported() {
    expectRejected("workload=site.ycsb.workloads.TimeSeriesWorkload\n", property: "workload")
  }

  @Test func missingFile() {
    #expect(throws: WorkloadError.self) { _ = try CoreWorkload(path: "/nonexistent/workloada") }
  }

  @Test func fasterPropertiesAreNotRejected() throws {
    let workload = try workload("faster.record=compact\nfaster.index.size=1048576\n")
    #expect(workload.properties["faster.record"] == "compact")
  }

  @Test func seedParses() throws {
    #expect(try workload("seed=42\n").seed == 42)
    #expect(try workload("seed=0xff\n").seed == 255)
    expectRejected("seed=abc\n", property: "seed")
  }

  @Test func operationWeightsSkipZeros() throws {
    let workload = try workload("readproportion=0.5\nupdateproportion=0\nreadmodifywriteproportion=0.5\n")
    #expect(workload.operationWeights.map(\.operation) == [.read, .readModifyWrite])
  }

  @Test func shareGivesRemainderToFirstThreads() {
    #expect((0..<3).map { CoreWorkload.share(of: 10, thread: $0, threads: 3) } == [4, 3, 3])
    #expect((0..<4).map { CoreWorkload.share(of: 2, thread: $0, threads: 4) } == [1, 1, 0, 0])
  }

  @Test func loadKeyNumbersAreContiguousShares() throws {
    let workload = try workload("recordcount=20\ninsertstart=5\ninsertcount=10\n")
    let ranges = (0..<3).map { workload.loadKeyNumbers(threadIndex: $0, threadCount: 3) }
    #expect(ranges == [5..<9, 9..<12, 12..<15])
  }

  @Test func fieldNamesUsePrefix() throws {
    let workload = try workload("fieldnameprefix=f\n")
    #expect(workload.fieldName(3) == "f3")
  }
}
