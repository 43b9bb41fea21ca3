import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// The disk-tier knobs, and larger-than-memory runs through the `faster` binding.
extension JSONValue {
  var doubleValue: Double? {
    if case .number(let value) = self { return value }
    return nil
  }
}

@Suite struct DiskTierBenchmarkTests {
  func knobs(_ pairs: [String: String]) throws(ConfigurationError) -> EngineKnobs {
    var properties = Properties()
    for (name, value) in pairs.sorted(by: { $0.key < $1.key }) { properties[name] = value }
    return try EngineKnobs(properties: properties)
  }

  @Test func diskKnobsParse() throws {
    let parsed = try knobs([
      "faster.device": "uring", "faster.path": "/tmp/x", "faster.log.segmentsize": "256m",
      "faster.device.queuedepth": "32", "faster.pendingwait": "on",
    ])
    #expect(parsed.device == .uring)
    #expect(parsed.path == "/tmp/x")
    #expect(parsed.segmentSizeBytes == 256 << 20)
    #expect(parsed.queueDepth == 32)
    #expect(parsed.waitForPending)
    #expect(try knobs([:]).device == nil, "memory only unless asked")
  }

  @Test(arguments: [
    ("faster.device", "ssd", "none (memory only), null, file or uring"),
    ("faster.log.segmentsize", "3m", "power of two"),
    ("faster.device.queuedepth", "0", "positive integer"),
    ("faster.pendingwait", "sometimes", "on or off"),
  ])
  func malformedDiskKnobsNameThePropertyAndTheAcceptedForm(name: String, value: String, form: String) {
    #expect {
      _ = try knobs([name: value])
    } throws: { error in
      let text = (error as? ConfigurationError)?.description ?? ""
      return text.contains(name) && text.contains(value) && text.contains(form)
    }
  }

  @Test(arguments: ["uring", "file"], [false, true])
  func largerThanMemoryRunReadsFromTheDevice(device: String, waitForPending: Bool) throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-c-uniform-disk")],
      overrides: [
        "recordcount=60000", "operationcount=6000", "maxexecutiontime=0", "threadcount=2", "seed=5",
        "faster.device=\(device)", "faster.log.memory=256k", "faster.log.pagesize=16k",
        "faster.log.segmentsize=1m", "faster.index.size=256k",
        "faster.pendingwait=\(waitForPending ? "on" : "off")",
      ])
    let capture = TestSupport.Capture()
    let record = try BindingCatalog.execute(
      .faster, command: .run, configuration: configuration, output: capture.output, harnessOperations: 1000)
    let run = record.phases[1]
    #expect(run.operations == 6000)
    for operation in run.operationTypes {
      #expect(operation.returnCodes.ok == operation.operations, "\(operation)")
    }
    let pending = record.storeStatistics?["pendingOperations"]
    let issued = pending?["issued"]?.doubleValue ?? 0
    #expect(issued > 1000, "most uniform reads of 60k records over a 256 KiB log go to the device")
    #expect(pending?["failed"]?.doubleValue == 0)
    #expect(pending?["notFound"]?.doubleValue == 0, "every loaded key is found on the device")
    #expect(pending?["completed"]?.doubleValue == issued)
    #expect((record.storeStatistics?["device"]?["io"]?["bytesRead"]?.doubleValue ?? 0) > 0)
  }

  @Test func unusableLogDirectoryIsAClearError() throws {
    let file = try TestSupport.writeFile("not a directory", name: "plain-file")
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-c-uniform-disk")],
      overrides: ["recordcount=100", "operationcount=100", "maxexecutiontime=0", "faster.path=\(file)/log"])
    #expect {
      _ = try BindingCatalog.execute(
        .faster, command: .run, configuration: configuration, output: TestSupport.Capture().output,
        harnessOperations: 100)
    } throws: { error in
      "\(error)".contains("faster.path")
    }
  }
}
