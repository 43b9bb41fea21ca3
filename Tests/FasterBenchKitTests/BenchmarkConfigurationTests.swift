import Testing
import YCSB

@testable import FasterBenchKit

@Suite struct BenchmarkConfigurationTests {
  @Test func precedenceIsConfigThenWorkloadFilesThenOverrides() throws {
    let config = try TestSupport.writeFile(
      """
      faster.log.memory = "1g"
      faster.index.size = "1m"
      faster.log.pagesize = "4m"
      recordcount = 10
      """, name: "config.toml")
    let first = try TestSupport.writeFile("faster.log.memory=512m\nrecordcount=20\nfieldcount=3\n")
    let second = try TestSupport.writeFile("faster.log.memory=256m\nrecordcount=30\n")
    let configuration = try TestSupport.configuration(
      workloads: [first, second], overrides: ["faster.log.memory=128m"], config: config)
    #expect(configuration.knobs.logMemoryBytes == 128 << 20)  // -p wins
    #expect(configuration.workload.recordCount == 30)  // the later workload file wins
    #expect(configuration.workload.fieldCount == 3)  // from the first file, not overridden
    #expect(configuration.knobs.indexSizeBytes == 1 << 20)  // only in the config file
    #expect(configuration.knobs.pageSizeBytes == 4 << 20)
  }

  @Test func commandLineOptionsWinOverOverrides() throws {
    var commandLine = Properties()
    commandLine["threadcount"] = "3"
    let workload = try TestSupport.writeFile("recordcount=10\nthreadcount=1\n")
    let configuration = try BenchmarkConfiguration(
      sources: .init(workloadFiles: [workload], overrides: ["threadcount=2"], commandLine: commandLine))
    #expect(configuration.runner.threadCount == 3)
  }

  @Test func tomlTablesAndDottedKeysAreTheSameProperty() throws {
    let tables = try ConfigurationFile.parse(
      """
      recordcount = 100
      readallfields = true
      [faster.log]
      memory = "2g"
      mutablefraction = 0.75
      [faster]
      pinning = "none"
      """, source: "tables.toml")
    #expect(tables["faster.log.memory"] == "2g")
    #expect(tables["faster.log.mutablefraction"] == "0.75")
    #expect(tables["faster.pinning"] == "none")
    #expect(tables["recordcount"] == "100")
    #expect(tables["readallfields"] == "true")
    let dotted = try ConfigurationFile.parse(
      "faster.log.memory = \"2g\"\n\"faster.pinning\" = \"none\"\n", source: "dotted.toml")
    #expect(dotted["faster.log.memory"] == "2g")
    #expect(dotted["faster.pinning"] == "none")
  }

  @Test func malformedTomlNamesTheFileAndLine() {
    #expect {
      _ = try ConfigurationFile.parse("recordcount = \n", source: "broken.toml")
    } throws: { error in
      let text = (error as? ConfigurationError)?.description ?? ""
      return text.contains("broken.toml") && text.contains("line 1")
    }
  }

  @Test func tomlArraysAreRejectedByName() {
    #expect {
      _ = try ConfigurationFile.parse("hdr = [1, 2]\n", source: "array.toml")
    } throws: { error in
      (error as? ConfigurationError)?.description.contains("hdr") == true
    }
  }

  @Test func aMissingConfigFileIsAnError() {
    #expect(throws: ConfigurationError.self) {
      _ = try TestSupport.configuration(workloads: [], config: "/nonexistent/fasterbench.toml")
    }
  }

  @Test func unknownPropertiesGetOneWarningEachAndKnownOnesNone() throws {
    let workload = try TestSupport.writeFile(
      "recordcount=10\nmongodb.url=mongodb://localhost\nthreadcount=1\ncassandra.hosts=x\nzipfianconstant=0.99\n"
    )
    let configuration = try TestSupport.configuration(
      workloads: [workload], overrides: ["faster.record=compact", "status.interval=5"])
    #expect(configuration.warnings.count == 2)
    #expect(configuration.warnings.contains { $0.contains("mongodb.url") })
    #expect(configuration.warnings.contains { $0.contains("cassandra.hosts") })
  }

  @Test func malformedOverrideIsAnError() {
    #expect(throws: ConfigurationError.self) {
      _ = try BenchmarkConfiguration.parseOverrides(["recordcount"])
    }
    #expect(throws: ConfigurationError.self) {
      _ = try BenchmarkConfiguration.parseOverrides(["=5"])
    }
  }

  @Test func overrideValuesMayContainEquals() throws {
    let properties = try BenchmarkConfiguration.parseOverrides(["label=a=b"])
    #expect(properties["label"] == "a=b")
  }

  @Test(arguments: [
    "requestdistribution=gaussian", "readproportion=-0.5", "recordcount=-5", "fieldcount=abc",
  ])
  func badWorkloadPropertiesAreErrors(line: String) throws {
    let workload = try TestSupport.writeFile("recordcount=10\n\(line)\n")
    #expect(throws: ConfigurationError.self) {
      _ = try TestSupport.configuration(workloads: [workload])
    }
  }

  @Test func aMissingWorkloadFileNamesIt() {
    #expect {
      _ = try TestSupport.configuration(workloads: ["/nonexistent/workloadz"])
    } throws: { error in
      (error as? ConfigurationError)?.description.contains("/nonexistent/workloadz") == true
    }
  }

  @Test(arguments: [
    ("threadcount", "0"), ("target", "fast"), ("status.interval", "0"), ("measurement.interval", "sometimes"),
    ("measurementtype", "tachometer"), ("hdrhistogram.percentiles", "50,101"), ("seed", "-1"),
    ("warmup", "-2"),
  ])
  func malformedRunnerPropertiesAreErrors(name: String, value: String) throws {
    var properties = Properties()
    properties["recordcount"] = "10"
    properties[name] = value
    #expect {
      _ = try RunnerSettings(properties: properties)
    } throws: { error in
      (error as? ConfigurationError)?.description.contains(name) == true
    }
  }

  @Test func throttlingDefaultsToBothMeasurements() throws {
    var properties = Properties()
    properties["target"] = "1000"
    #expect(try RunnerSettings(properties: properties).measurementInterval == .both)
    properties["target"] = "0"
    #expect(try RunnerSettings(properties: properties).measurementInterval == .op)
  }
}
