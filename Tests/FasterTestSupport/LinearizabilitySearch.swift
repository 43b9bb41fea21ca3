/// Wing & Gong's linearizability search with Lowe's memoization, over one key's history
/// (the algorithm of Porcupine's `checkSingle`).
///
/// The history is a doubly linked list of call and return entries in time order (a call
/// before a return at an equal time, so ties count as overlapping). The search walks it from
/// the front: at a call, it tries to linearize that operation next (the model must accept its
/// result in the current state, and the configuration must be new), and on success removes the
/// call and its return from the list ("lift") and starts again from the front; at a return it
/// has found an operation that must already have taken effect but could not, so it undoes the
/// last choice and tries the next candidate. The history is linearizable when the list empties,
/// and not when a return is reached with nothing left to undo.
///
/// Thread safety: a value used by one thread.
struct LinearizabilitySearch<Model: SequentialModel> {
  typealias Event = LinearizabilityChecker.Event

  /// A set of linearized operations with the model state they lead to.
  struct Configuration: Hashable {
    var linearized: [UInt64]
    var state: Model.State
  }

  let events: [Event]
  // Nodes: 0 is the head sentinel, 1...2n the entries in time order, 2n + 1 the tail sentinel.
  private var next: [Int]
  private var previous: [Int]
  /// The operation (index into `events`) of each entry node.
  private let operation: [Int]
  /// For a call entry, its return entry's node; -1 for a return entry and the sentinels.
  private let match: [Int]
  private var tail: Int { next.count - 1 }

  init(_ history: [Event]) {
    events = history
    var entries: [(time: UInt64, isReturn: Bool, operation: Int)] = []
    entries.reserveCapacity(2 * history.count)
    for (index, event) in history.enumerated() {
      entries.append((event.start, false, index))
      entries.append((event.end, true, index))
    }
    entries.sort { ($0.time, $0.isReturn ? 1 : 0) < ($1.time, $1.isReturn ? 1 : 0) }
    let count = entries.count + 2
    next = Array(1...count)
    previous = Array(-1..<(count - 1))
    var operation = [Int](repeating: -1, count: count)
    var match = [Int](repeating: -1, count: count)
    var returnNode = [Int](repeating: 0, count: history.count)
    for (position, entry) in entries.enumerated() where entry.isReturn {
      returnNode[entry.operation] = position + 1
    }
    for (position, entry) in entries.enumerated() {
      operation[position + 1] = entry.operation
      if !entry.isReturn { match[position + 1] = returnNode[entry.operation] }
    }
    self.operation = operation
    self.match = match
  }

  /// Removes a call entry and its return from the list.
  private mutating func lift(_ call: Int) {
    for node in [call, match[call]] {
      next[previous[node]] = next[node]
      previous[next[node]] = previous[node]
    }
  }

  /// Puts back what `lift(call)` removed (in the reverse order of lifting).
  private mutating func unlift(_ call: Int) {
    for node in [match[call], call] {
      next[previous[node]] = node
      previous[next[node]] = node
    }
  }

  mutating func run(budget: Int) -> LinearizabilityChecker.Verdict {
    let wordCount = (events.count + 63) / 64
    var linearized = [UInt64](repeating: 0, count: wordCount)
    var visited = Set<Configuration>()
    var calls: [(node: Int, state: Model.State)] = []
    var state = Model.initial
    var node = next[0]
    var steps = 0
    // Where the search got deepest, for the message.
    var deepest = -1
    var stuck = (operation: 0, state: Model.initial, before: [Int]())
    while next[0] != tail {
      steps += 1
      if steps > budget {
        return .undecided(
          "the search visited \(budget) configurations (\(visited.count) distinct) without an answer; "
            + "the deepest linearization held \(deepest) of \(events.count) operations")
      }
      if match[node] >= 0 {
        let candidate = operation[node]
        var newState = state
        if Model.apply(events[candidate], to: &newState) {
          var bits = linearized
          bits[candidate / 64] |= 1 << UInt64(candidate % 64)
          if visited.insert(Configuration(linearized: bits, state: newState)).inserted {
            calls.append((node, state))
            state = newState
            linearized = bits
            lift(node)
            node = next[0]
            continue
          }
        }
        node = next[node]
      } else {
        if calls.count > deepest {
          deepest = calls.count
          stuck = (operation[node], state, calls.suffix(3).map { operation[$0.node] })
        }
        guard let last = calls.popLast() else {
          return .violation(describe(deepest: deepest, stuck: stuck))
        }
        let undone = operation[last.node]
        linearized[undone / 64] &= ~(1 << UInt64(undone % 64))
        state = last.state
        unlift(last.node)
        node = next[last.node]
      }
    }
    return .linearizable
  }

  private func describe(deepest: Int, stuck: (operation: Int, state: Model.State, before: [Int])) -> String {
    let blocked = events[stuck.operation]
    var text =
      "no linearization: at most \(deepest) of \(events.count) operations take effect in order, "
      + "then \(blocked) cannot (\(Model.name) state \(Model.describe(stuck.state))"
    if !stuck.before.isEmpty {
      text += " after " + stuck.before.map { events[$0].description }.joined(separator: ", ")
    }
    text += ")"
    let overlapping = events.filter { $0.start < blocked.end && $0.end > blocked.start && $0 != blocked }
    if !overlapping.isEmpty {
      text += "; overlapping it: " + overlapping.prefix(8).map(\.description).joined(separator: ", ")
      if overlapping.count > 8 { text += " and \(overlapping.count - 8) more" }
    }
    if events.count <= 12 {
      text += "; history: " + events.sorted { $0.start < $1.start }.map(\.description).joined(separator: ", ")
    }
    return text
  }
}
