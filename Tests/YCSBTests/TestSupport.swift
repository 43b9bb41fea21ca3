import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Statistics {
  /// Pearson's chi-square statistic of observed counts against expected counts.
  static func chiSquare(observed: [Int], expected: [Double]) -> Double {
    zip(observed, expected).reduce(0) { sum, pair in
      let difference = Double(pair.0) - pair.1
      return sum + difference * difference / pair.1
    }
  }

  /// A generous upper bound for a chi-square with `degreesOfFreedom`: mean + 6 standard deviations
  /// (false alarm well under 1e-4 for the sizes used here).
  static func chiSquareBound(degreesOfFreedom: Int) -> Double {
    Double(degreesOfFreedom) + 6 * (2 * Double(degreesOfFreedom)).squareRoot()
  }

  /// |observed - expected| in standard deviations of a binomial(n, p).
  static func sigmas(count: Int, trials: Int, probability: Double) -> Double {
    let mean = Double(trials) * probability
    let deviation = (Double(trials) * probability * (1 - probability)).squareRoot()
    return abs(Double(count) - mean) / deviation
  }
}

enum TestPaths {
  /// The repository's workloads folder, found from this file's path.
  static var workloadsDirectory: String {
    var components = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    components.removeLast(3)  // Tests/YCSBTests/TestSupport.swift
    return components.joined(separator: "/") + "/workloads"
  }

  /// The YCSB CoreWorkload files of the workloads folder (FasterLog workloads, marked
  /// `workload=fasterlog`, are fasterbench's own and are left out).
  static func workloadFiles() -> [String] {
    allWorkloadFiles().filter { name in
      let text = (try? String(contentsOfFile: workloadsDirectory + "/" + name, encoding: .utf8)) ?? ""
      return !text.split(separator: "\n").contains {
        $0.trimmingCharacters(in: .whitespaces) == "workload=fasterlog"
      }
    }
  }

  static func allWorkloadFiles() -> [String] {
    guard let directory = opendir(workloadsDirectory) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if !name.hasPrefix(".") { names.append(name) }
    }
    return names.sorted()
  }
}

func monotonicSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
