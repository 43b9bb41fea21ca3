import YCSB

/// The payload size of the FasterLog workload's entries: one fixed size (`N`) or drawn
/// uniformly from an inclusive range for each entry (`uniform:MIN-MAX`), from a seeded
/// per-producer stream so a run's sizes are reproducible.
///
/// Thread safety: a value type.
public enum LogEntrySize: Sendable, Equatable {
  case fixed(Int)
  /// Invariant (``parse(_:)`` checks it): `0 <= minimum <= maximum`.
  case uniform(minimum: Int, maximum: Int)

  /// The accepted forms, for error messages and help.
  public static let forms = "N (fixed payload bytes, e.g. 4096) or uniform:MIN-MAX (e.g. uniform:64-4096)"

  /// Parses `N` or `uniform:MIN-MAX`; the error says what is wrong and what is accepted.
  public static func parse(_ text: String) -> Result<LogEntrySize, BindingError> {
    if let bytes = Int(text) {
      guard bytes >= 0 else { return .failure(BindingError("entry size \(text): must be >= 0 bytes")) }
      return .success(.fixed(bytes))
    }
    let prefix = "uniform:"
    guard text.hasPrefix(prefix) else {
      return .failure(BindingError("entry size \(text): use \(forms)"))
    }
    let bounds = text.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
    guard bounds.count == 2, let minimum = Int(bounds[0]), let maximum = Int(bounds[1]), minimum >= 0 else {
      return .failure(
        BindingError(
          "entry size \(text): use uniform:MIN-MAX with whole numbers 0 <= MIN <= MAX (e.g. uniform:64-4096)")
      )
    }
    guard minimum <= maximum else {
      return .failure(
        BindingError(
          "entry size \(text): MIN \(minimum) is larger than MAX \(maximum); write uniform:\(maximum)-\(minimum)"
        ))
    }
    return .success(.uniform(minimum: minimum, maximum: maximum))
  }

  /// The form `parse` reads.
  public var name: String {
    switch self {
    case .fixed(let bytes): return String(bytes)
    case .uniform(let minimum, let maximum): return "uniform:\(minimum)-\(maximum)"
    }
  }

  public var minimumBytes: Int {
    switch self {
    case .fixed(let bytes): return bytes
    case .uniform(let minimum, _): return minimum
    }
  }

  public var maximumBytes: Int {
    switch self {
    case .fixed(let bytes): return bytes
    case .uniform(_, let maximum): return maximum
    }
  }

  /// The next entry's size. Allocation-free (a producer calls it per entry).
  @inline(__always)
  func draw(_ random: inout RandomSource) -> Int {
    switch self {
    case .fixed(let bytes): return bytes
    case .uniform(let minimum, let maximum):
      // The high word of a 64x64 product: uniform over the range without a division.
      let span = UInt64(maximum - minimum + 1)
      return minimum + Int(truncatingIfNeeded: random.next().multipliedFullWidth(by: span).high)
    }
  }
}
