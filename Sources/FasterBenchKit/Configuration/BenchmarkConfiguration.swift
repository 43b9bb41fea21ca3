import Foundation
import YCSB

/// Everything one `fasterbench` invocation runs with: merged properties, the parsed YCSB
/// workload, the engine knobs and the runner's settings.
///
/// Precedence, lowest first: the `--config` TOML file, then each `-P` workload file in order
/// (later files win, as in YCSB), then each `-p name=value` in order, then the dedicated
/// command-line options (`-threads`, `-target`, `--seed`, ...), which are `-p` properties by
/// another name.
///
/// Unknown `faster.*` names and malformed values throw; any other property that neither
/// CoreWorkload, the runner nor the engine reads produces one line in ``warnings``.
public struct BenchmarkConfiguration: Sendable {
  /// Every property after merging, in first-seen order: recorded in the results file.
  public let properties: Properties
  public let workload: CoreWorkload
  public var knobs: EngineKnobs
  /// The `rocksdb.*` and `lmdb.*` properties (used by those bindings only).
  public let rocksDB: RocksDBKnobs
  public let lmdb: LMDBKnobs
  /// Mutable so the command line can set what is not a property (`-s`).
  public var runner: RunnerSettings
  /// One line per property nobody reads, for stderr.
  public let warnings: [String]

  /// Where the properties come from.
  public struct Sources: Sendable {
    public var configFile: String?
    public var workloadFiles: [String]
    /// `-p` arguments, each `name=value`.
    public var overrides: [String]
    /// The dedicated command-line options, already as properties (`threadcount`, `target`, ...).
    public var commandLine: Properties

    public init(
      configFile: String? = nil, workloadFiles: [String] = [], overrides: [String] = [],
      commandLine: Properties = Properties()
    ) {
      self.configFile = configFile
      self.workloadFiles = workloadFiles
      self.overrides = overrides
      self.commandLine = commandLine
    }
  }

  /// Loads and validates the configuration.
  ///
  /// - Throws: ``ConfigurationError`` naming the file or property at fault.
  public init(sources: Sources) throws(ConfigurationError) {
    var merged = Properties()
    if let path = sources.configFile {
      merged = try ConfigurationFile.load(path: path)
    }
    for path in sources.workloadFiles {
      do {
        merged = merged.merging(try Properties.load(path: path))
      } catch {
        throw ConfigurationError(error.description)
      }
    }
    merged = merged.merging(try Self.parseOverrides(sources.overrides))
    merged = merged.merging(sources.commandLine)
    try self.init(properties: merged)
  }

  /// Validates already merged properties (tests and the `keys` command use this directly).
  public init(properties: Properties) throws(ConfigurationError) {
    self.properties = properties
    do {
      workload = try CoreWorkload(properties: properties)
    } catch {
      throw ConfigurationError(error.description)
    }
    knobs = try EngineKnobs(properties: properties)
    rocksDB = try RocksDBKnobs(properties: properties)
    lmdb = try LMDBKnobs(properties: properties)
    try WorkloadLimits.check(workload, record: knobs.record)
    runner = try RunnerSettings(properties: properties)
    if runner.pregeneratedOperations > 0 && workload.insertProportion > 0 {
      throw ConfigurationError(
        "property pregenerate=\(runner.pregeneratedOperations) needs a workload without inserts "
          + "(insertproportion=\(workload.insertProportion)): a stream drawn in advance cannot follow the insert counter"
      )
    }
    if knobs.batchSize > 1 && runner.targetOperationsPerSecond > 0 {
      throw ConfigurationError(
        "property faster.batch=\(knobs.batchSize) cannot be combined with target=\(Int(runner.targetOperationsPerSecond)): "
          + "a batch runs its operations together, not at their scheduled instants; use faster.batch=1 with -target"
      )
    }
    let known = workload.knownPropertyNames.union(RunnerSettings.knownNames).union(EngineKnobs.knownNames)
      .union(RocksDBKnobs.knownNames).union(LMDBKnobs.knownNames)
    var warnings = properties.names.filter { !known.contains($0) }.map {
      "fasterbench: warning: property \($0) is not used by fasterbench (ignored)"
    }
    warnings += runner.warnings
    let processors = ProcessInfo.processInfo.activeProcessorCount
    if runner.threadCount > 4 * processors {
      warnings.append(
        "fasterbench: warning: \(runner.threadCount) threads on \(processors) CPUs: the threads take turns, so "
          + "starting them takes a while and latencies include time spent waiting for a CPU")
    }
    self.warnings = warnings
  }

  /// Parses `-p` arguments (`name=value`; the first `=` splits, so values may contain `=`).
  public static func parseOverrides(_ overrides: [String]) throws(ConfigurationError) -> Properties {
    var properties = Properties()
    for override in overrides {
      guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
        throw ConfigurationError("-p \(override) is malformed: expected name=value, e.g. -p recordcount=1000")
      }
      let name = override[..<equals].trimmingCharacters(in: .whitespaces)
      properties[name] = String(override[override.index(after: equals)...])
    }
    return properties
  }

  /// The records the load phase inserts plus those the run phase may add: sizes the index and log
  /// when their knobs are unset.
  public var expectedRecordCount: Int {
    let runInserts = Double(workload.operationCount) * workload.insertProportion
    return max(1, workload.recordCount + Int(runInserts.rounded(.up)))
  }
}
