/// Decides whether a concurrent history of a key-value store is linearizable.
///
/// Every operation records a start and an end ticket from one global, sequentially consistent
/// counter, so tickets order operations as real time does: an operation that ended before
/// another started must take effect before it.
///
/// The check is exact, not a per-read approximation:
/// - **P-compositionality** (Herlihy & Wing: linearizability is local). A store's history is
///   linearizable iff the sub-history of every key is, so each key is checked alone.
/// - **Wing & Gong's search with Lowe's memoization** (WGL, as Knossos and Porcupine do it), per
///   key (`LinearizabilitySearch`): operations are linearized one at a time, always one whose
///   call precedes every pending return, backtracking when none fits the sequential model;
///   every (set of linearized operations, model state) configuration is visited at most once.
///
/// Two sequential models, chosen per key:
/// - **Register** (`RegisterModel`): `.write` (upsert) of a value, `.delete`, and `.read` that
///   returns the current value or nil (not found). Written values must be unique per key for
///   the search to stay small (the tests write `thread << 40 | step`); a read of a value no
///   write produced (a torn read, reported as a value never written) is never linearizable.
/// - **Counter** (`CounterModel`): `.increment` (RMW +1 from absent) and `.read`: nil while no
///   increment has taken effect, else exactly the number of increments that have.
///
/// **Bounds.** The search is exponential in the number of operations that overlap in time on
/// one key, and linear-ish in the history's length when that overlap is small, as in the
/// concurrency tests (2–8 threads over 24 register and 8 counter keys, at most ~1 500
/// operations per key, overlap rarely above the thread count). `searchBudget` bounds the
/// configurations visited per key; a key whose search exceeds it is reported as *undecided*,
/// which `violations` counts as a problem: a history is never accepted unchecked. If a test
/// reaches the bound, split its history (fewer operations or more keys), don't raise it blindly.
///
/// Thread safety: stateless; safe from any thread.
public enum LinearizabilityChecker {
  public enum Kind: Sendable, Equatable {
    case read, write, delete, increment
  }

  /// One completed operation on one key.
  public struct Event: Sendable, Equatable, CustomStringConvertible {
    public var key: Int
    public var kind: Kind
    /// Written value, or read result (nil = not found). Unused for deletes and increments.
    public var value: UInt64?
    /// Ticket taken just before the operation was invoked.
    public var start: UInt64
    /// Ticket taken just after it returned (greater than `start`).
    public var end: UInt64

    public init(key: Int, kind: Kind, value: UInt64?, start: UInt64, end: UInt64) {
      self.key = key
      self.kind = kind
      self.value = value
      self.start = start
      self.end = end
    }

    public var description: String {
      let shown = value.map(String.init) ?? "absent"
      switch kind {
      case .read: return "read→\(shown)[\(start),\(end)]"
      case .write: return "write(\(shown))[\(start),\(end)]"
      case .delete: return "delete[\(start),\(end)]"
      case .increment: return "increment[\(start),\(end)]"
      }
    }
  }

  /// The outcome for one key.
  public enum Verdict: Sendable, Equatable {
    case linearizable
    /// No order of the operations fits the model; says where the search got stuck.
    case violation(String)
    /// The search exceeded its budget: neither accepted nor refuted.
    case undecided(String)
  }

  /// Configurations one key's search may visit before it gives up (see Bounds above).
  public static let defaultSearchBudget = 4_000_000

  /// Checks every key's history; `finalState` adds, per key, a read after every operation
  /// (nil = not found). Returns a description of each key that is not linearizable or could
  /// not be decided (empty when the whole history is linearizable).
  public static func violations(
    in events: [Event], finalState: [Int: UInt64?], counterKeys: Set<Int>,
    searchBudget: Int = defaultSearchBudget
  ) -> [String] {
    var byKey: [Int: [Event]] = [:]
    for event in events { byKey[event.key, default: []].append(event) }
    let afterEverything = (events.map(\.end).max() ?? 0) + 1
    for (key, final) in finalState {
      byKey[key, default: []].append(
        Event(key: key, kind: .read, value: final, start: afterEverything, end: afterEverything + 1))
    }
    var problems: [String] = []
    for key in byKey.keys.sorted() {
      let history = byKey[key]!
      let verdict =
        counterKeys.contains(key)
        ? check(history, model: CounterModel.self, budget: searchBudget)
        : check(history, model: RegisterModel.self, budget: searchBudget)
      switch verdict {
      case .linearizable: break
      case .violation(let reason): problems.append("key \(key) (\(history.count) operations): \(reason)")
      case .undecided(let reason):
        problems.append("key \(key) (\(history.count) operations): undecided, \(reason)")
      }
    }
    return problems
  }

  /// Checks one key's history against `model`.
  public static func check<Model: SequentialModel>(
    _ history: [Event], model: Model.Type, budget: Int = defaultSearchBudget
  ) -> Verdict {
    if let bad = history.first(where: { !Model.accepts($0.kind) }) {
      return .violation("\(bad) is not an operation of the \(Model.name) model")
    }
    if let bad = history.first(where: { $0.end <= $0.start }) {
      return .violation("\(bad) ends before it starts")
    }
    var search = LinearizabilitySearch<Model>(history)
    return search.run(budget: budget)
  }
}
