import FasterPlatform
import Foundation

/// The committed baselines: `<root>/<machine profile>/<name>.json`, e.g.
/// `results/baselines/x86-64-2cpu-1node-amd-epyc/smoke.json`.
///
/// A baseline is a results file of a release build, every repetition kept, histograms emptied
/// (see ``HistogramRetention``), pretty-printed so a change to it reads well in a diff.
public struct BaselineStore: Sendable {
  /// The folder holding one folder per machine profile (default `results/baselines`).
  public var root: String

  public init(root: String = "results/baselines") {
    self.root = root
  }

  /// The baseline file of `name` for `profile`.
  public func path(name: String, profile: String) -> String {
    ((root as NSString).appendingPathComponent(profile) as NSString).appendingPathComponent("\(name).json")
  }

  /// The profile of the machine this process runs on.
  public static var currentProfile: String { MachineInfo.current().profileName }

  /// Reads a baseline, saying which machine it was looked up for when it is missing.
  ///
  /// - Throws: ``GateError`` (input).
  public func load(name: String, profile: String) throws(GateError) -> ResultsFile {
    let path = path(name: name, profile: profile)
    guard FileManager.default.fileExists(atPath: path) else {
      let known = (try? FileManager.default.contentsOfDirectory(atPath: root))?.sorted() ?? []
      throw GateError(
        .input,
        "no baseline '\(name)' for machine profile \(profile): \(path) does not exist "
          + "(profiles with baselines: \(known.isEmpty ? "none" : known.joined(separator: ", "))); "
          + "create it with: fasterbench baseline update <results.json> --name \(name)")
    }
    return try ResultsLoader.load(path: path)
  }

  /// Writes `file` as the baseline `name` for its machine profile, after checking that it can
  /// serve as one; returns the path. Nothing is written when a check fails.
  ///
  /// - Throws: ``GateError``: mixed machines or configurations (not comparable), or a debug
  ///   build (not comparable; `force` accepts it), or the write failing (input).
  @discardableResult
  public func update(name: String, from file: ResultsFile, force: Bool) throws(GateError) -> String {
    guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
      throw GateError(.usage, "baseline name '\(name)' must be a plain file name (no '/', no leading '.')")
    }
    let profiles = Set(file.runs.map(\.machine.profileName))
    guard profiles.count == 1, let profile = profiles.first else {
      throw GateError(
        .notComparable,
        "the runs come from several machine profiles: \(profiles.sorted().joined(separator: ", "))")
    }
    let configurations = Set(file.runs.map(\.build.configuration))
    if configurations != ["release"] && !force {
      throw GateError(
        .notComparable,
        "a baseline must come from a release build; these runs are \(configurations.sorted().joined(separator: ", ")) "
          + "(build with -c release, or --force)")
    }
    for series in WorkloadSeries.group(file) {
      let rest = series.runs.dropFirst()
      if let first = series.runs.first,
        let difference = rest.lazy.compactMap({ Comparability.workloadDifferences($0, first).first }).first
      {
        throw GateError(
          .notComparable, "the repetitions of workload \(series.displayName) disagree: \(difference)")
      }
    }
    var baseline = file
    baseline.runs = HistogramRetention.none.apply(to: file.runs)
    return try GateResultsWriter.write(baseline, to: path(name: name, profile: profile), pretty: true)
  }
}
