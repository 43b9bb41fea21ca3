import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// Values that used to crash a run (overflow traps, unbounded allocations) or silently change
/// its meaning are refused at start-up with the value and the accepted range.
@Suite struct InputLimitsTests {
  func configurationError(_ overrides: [String], workload: String = "workloada") -> String? {
    do {
      _ = try TestSupport.configuration(workloads: [TestSupport.workload(workload)], overrides: overrides)
      return nil
    } catch {
      return (error as? ConfigurationError)?.description ?? "\(error)"
    }
  }

  @Test(arguments: [
    (["recordcount=9223372036854775807"], "9223372036854775807", "1099511627776"),
    (["fieldlength=1000000000000000"], "1000000000000000", "1073741824"),
    (["operationcount=9223372036854775807", "insertproportion=0.5"], "9223372036854775807", "1099511627776"),
    (["maxscanlength=9223372036854775807"], "9223372036854775807", "1048576"),
    (["warmup=1e300"], "1e300", "31536000"),
    (["status.interval=1e300"], "1e300", "31536000"),
    (["target=1e-300"], "1e-300", "0.001"),
    (["status.interval=0.001"], "0.001", "0.1"),
    (["fieldlength=0"], "fieldlength=0", "from 1"),
  ])
  func outOfRangeValuesNameTheValueAndTheRange(overrides: [String], value: String, range: String) {
    let message = configurationError(overrides)
    #expect(message?.contains(value) == true, "\(message ?? "accepted")")
    #expect(message?.contains(range) == true, "\(message ?? "accepted")")
  }

  @Test(arguments: ["warmup", "maxexecutiontime", "target", "recordcount", "operationcount", "seed"])
  func negativeNumbersSayMustBeAtLeastZero(name: String) {
    let message = configurationError(["\(name)=-1"])
    #expect(message?.contains("must be ≥ 0") == true, "\(message ?? "accepted")")
  }

  @Test func recordCountZeroOrUnsetIsNotTwoBillionRecords() throws {
    #expect(configurationError(["recordcount=0"])?.contains("2147483647") == true)
    let file = try TestSupport.writeFile("operationcount=10\nreadproportion=1\n")
    let message: String?
    do {
      _ = try TestSupport.configuration(workloads: [file])
      message = nil
    } catch {
      message = "\(error)"
    }
    #expect(message?.contains("recordcount is not set") == true, "\(message ?? "accepted")")
  }

  @Test func fieldLengthZeroIsAcceptedOnlyWhereFieldsAreNotStored() throws {
    let compact = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")], overrides: ["fieldlength=0", "faster.record=compact"])
    #expect(compact.workload.fieldLength == 0)
  }

  @Test func aFileValueIsReportedWithItsFileAndLine() throws {
    let file = try TestSupport.writeFile("recordcount=10\nmaxscanlength=99999999999\nscanproportion=1\n")
    let message: String?
    do {
      _ = try TestSupport.configuration(workloads: [file])
      message = nil
    } catch {
      message = "\(error)"
    }
    #expect(message?.contains("\(file):2") == true, "\(message ?? "accepted")")
  }

  @Test func histogramMeasurementTypeIsAcceptedWithAWarningNamingFileAndLine() throws {
    let file = try TestSupport.writeFile("recordcount=10\noperationcount=10\nmeasurementtype=histogram\n")
    let configuration = try TestSupport.configuration(workloads: [file])
    let warning = configuration.warnings.first { $0.contains("measurementtype") }
    #expect(warning?.contains("\(file):3") == true, "\(configuration.warnings)")
    #expect(warning?.contains("hdrhistogram") == true)
  }

  @Test func theHundredthPercentileIsAccepted() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")], overrides: ["hdrhistogram.percentiles=50,99.9,100"])
    #expect(configuration.runner.reportedPercentiles == [50, 99.9, 100])
  }

  @Test func manyMoreThreadsThanCPUsWarns() throws {
    let threads = 4 * ProcessInfo.processInfo.activeProcessorCount + 1
    guard threads <= 1024 else { return }
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")], overrides: ["threadcount=\(threads)"])
    #expect(configuration.warnings.contains { $0.contains("\(threads) threads on") })
  }
}
