/// Whether a candidate and a baseline may be compared, and if not, what differs.
///
/// Refused (each difference named): another machine profile, another build configuration
/// (debug/release), and per workload another binding, record mode, thread count, throttle,
/// measurement interval, warm-up, time bound, property or knob. Runs of one side that disagree
/// among themselves are refused too. The seed and the status interval may differ. A different
/// compiler version is only noted: catching a compiler's regression is part of the job.
public struct Comparability: Sendable {
  /// One line per difference that refuses the comparison.
  public var differences: [String] = []
  /// Differences worth a line that do not refuse it.
  public var notes: [String] = []

  /// FasterLog runs set against key-value runs (whole files, or one workload label): never
  /// comparable, not even with `--force`.
  public var kindMismatches: [String] = []

  public var isComparable: Bool { differences.isEmpty && kindMismatches.isEmpty }

  public init(candidate: ResultsFile, baseline: ResultsFile) {
    for (side, file) in [("candidate", candidate), ("baseline", baseline)] {
      let profiles = Set(file.runs.map(\.machine.profileName))
      if profiles.count > 1 {
        differences.append("the \(side) mixes machine profiles: \(profiles.sorted().joined(separator: ", "))")
      }
      let configurations = Set(file.runs.map(\.build.configuration))
      if configurations.count > 1 {
        differences.append(
          "the \(side) mixes build configurations: \(configurations.sorted().joined(separator: ", "))")
      }
    }
    compare(
      "machine profile", candidate.runs.first!.machine.profileName, baseline.runs.first!.machine.profileName)
    compare(
      "build configuration", candidate.runs.first!.build.configuration,
      baseline.runs.first!.build.configuration)
    let candidateSwift = candidate.runs.first!.build.swiftVersion
    let baselineSwift = baseline.runs.first!.build.swiftVersion
    if candidateSwift != baselineSwift {
      notes.append("Swift version differs: candidate \(candidateSwift), baseline \(baselineSwift)")
    }
    func kinds(_ file: ResultsFile) -> Set<Bool> { Set(file.runs.map(\.isLogRun)) }
    func describe(_ isLog: Bool) -> String { isLog ? "FasterLog runs (command log)" : "key-value runs" }
    let (candidateKinds, baselineKinds) = (kinds(candidate), kinds(baseline))
    if candidateKinds.count == 1, baselineKinds.count == 1, candidateKinds != baselineKinds {
      kindMismatches.append(
        "the candidate holds only \(describe(candidateKinds.first!)), the baseline only "
          + "\(describe(baselineKinds.first!))")
    } else {
      let baselineKindByLabel = Dictionary(
        baseline.runs.compactMap { run in run.workload.map { ($0, run.isLogRun) } },
        uniquingKeysWith: { first, _ in first })
      for run in candidate.runs {
        guard let label = run.workload, let other = baselineKindByLabel[label], other != run.isLogRun,
          !kindMismatches.contains(where: { $0.hasPrefix("workload \(label):") })
        else { continue }
        kindMismatches.append(
          "workload \(label): the candidate's are \(describe(run.isLogRun)), the baseline's \(describe(other))"
        )
      }
    }
    let baselineSeries = Dictionary(
      WorkloadSeries.group(baseline).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    for series in WorkloadSeries.group(candidate) {
      checkConsistency(series, side: "candidate")
      guard let other = baselineSeries[series.key] else { continue }
      checkConsistency(other, side: "baseline")
      compareWorkload(series.displayName, series.runs.first!, other.runs.first!)
    }
  }

  private mutating func compare(_ what: String, _ candidate: String, _ baseline: String) {
    if candidate != baseline {
      differences.append("\(what) differs: candidate \(candidate), baseline \(baseline)")
    }
  }

  private mutating func checkConsistency(_ series: WorkloadSeries, side: String) {
    let first = series.runs.first!
    for run in series.runs.dropFirst() {
      let found = Self.workloadDifferences(run, first)
      if let difference = found.first {
        differences.append(
          "the \(side)'s repetitions of workload \(series.displayName) disagree: \(difference) "
            + "(between repetitions, the first shown first)")
        return
      }
    }
  }

  private mutating func compareWorkload(_ name: String, _ candidate: RunRecord, _ baseline: RunRecord) {
    for difference in Self.workloadDifferences(candidate, baseline) {
      differences.append("workload \(name): \(difference) (candidate first, then baseline)")
    }
  }

  /// The differences between two runs that make them different workloads, as "what: a vs b".
  static func workloadDifferences(_ first: RunRecord, _ second: RunRecord) -> [String] {
    var found: [String] = []
    func check(_ what: String, _ one: String, _ two: String) {
      if one != two { found.append("\(what) \(one) vs \(two)") }
    }
    check("binding", first.binding, second.binding)
    check("record mode", first.recordMode, second.recordMode)
    check("threads", String(first.threads), String(second.threads))
    check("target", String(first.targetOperationsPerSecond), String(second.targetOperationsPerSecond))
    check("measurement interval", first.measurementInterval, second.measurementInterval)
    check("warm-up seconds", String(first.warmupSeconds), String(second.warmupSeconds))
    check("maxexecutiontime", String(first.maxExecutionTimeSeconds), String(second.maxExecutionTimeSeconds))
    let names = Set(first.properties.keys).union(second.properties.keys)
      .subtracting(WorkloadSeries.ignoredPropertyNames).sorted()
    for name in names where first.properties[name] != second.properties[name] {
      found.append(
        "property \(name) \(first.properties[name] ?? "(unset)") vs \(second.properties[name] ?? "(unset)")")
    }
    // The knobs come from faster.* properties; named separately only if those agree.
    if first.knobs != second.knobs && !found.contains(where: { $0.hasPrefix("property faster.") }) {
      found.append("knobs \(describe(first.knobs)) vs \(describe(second.knobs))")
    }
    return found
  }

  private static func describe(_ knobs: KnobsRecord) -> String {
    var parts: [String] = []
    if let value = knobs.indexSizeBytes { parts.append("index \(value)") }
    if let value = knobs.logMemoryBytes { parts.append("log \(value)") }
    if let value = knobs.pageSizeBytes { parts.append("page \(value)") }
    if let value = knobs.mutableFraction { parts.append("mutable \(value)") }
    if let value = knobs.refreshInterval { parts.append("refresh \(value)") }
    if let value = knobs.batchSize { parts.append("batch \(value)") }
    if let value = knobs.compaction { parts.append("compaction \(value)") }
    if let value = knobs.readCache { parts.append("readcache \(value)") }
    parts += [
      "pinning \(knobs.pinning)", "hugepages \(knobs.hugePages)", "record \(knobs.record)",
      "pending \(knobs.completePendingInterval)",
    ]
    return "{" + parts.joined(separator: ", ") + "}"
  }
}
