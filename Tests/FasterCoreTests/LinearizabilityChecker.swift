/// Checks a concurrent history against what a linearizable store could return.
///
/// Every operation records a start and an end ticket from one global atomic counter, so
/// tickets order operations the way real time does. Two kinds of keys:
/// - Register keys (upsert unique values, delete, read). A read that returned value v
///   (or absent) is valid iff some write of v (or a delete, or the initial absent state)
///   started before the read ended and no other write or delete of the key lies wholly
///   between that write and the read.
/// - Counter keys (RMW +1, read). A read that returned c is valid iff c is at least the
///   RMWs that ended before it started and at most those that started before it ended.
struct LinearizabilityChecker {
  enum Kind { case read, write, delete, increment }

  struct Event {
    var key: Int
    var kind: Kind
    /// Written value, or read result (nil = not found).
    var value: UInt64?
    var start: UInt64
    var end: UInt64
  }

  /// Returns a description of each invalid read (empty when the history is valid).
  static func violations(in events: [Event], finalState: [Int: UInt64?], counterKeys: Set<Int>) -> [String] {
    var byKey: [Int: [Event]] = [:]
    for event in events { byKey[event.key, default: []].append(event) }
    var problems: [String] = []
    let afterEverything = (events.map(\.end).max() ?? 0) + 1
    for (key, final) in finalState {
      byKey[key, default: []].append(
        Event(key: key, kind: .read, value: final, start: afterEverything, end: afterEverything + 1))
    }
    for (key, keyEvents) in byKey {
      let mutations = keyEvents.filter { $0.kind != .read }
      for read in keyEvents where read.kind == .read {
        if counterKeys.contains(key) {
          let value = read.value ?? 0
          let completed = mutations.filter { $0.end < read.start }.count
          let started = mutations.filter { $0.start < read.end }.count
          if value < UInt64(completed) || value > UInt64(started) {
            problems.append(
              "counter key \(key): read \(value) at [\(read.start), \(read.end)] but \(completed)...\(started) increments possible"
            )
          }
          continue
        }
        let candidates: [Event?] =
          read.value == nil
          ? [nil] + mutations.filter { $0.kind == .delete }
          : mutations.filter { $0.kind == .write && $0.value == read.value }
        let valid = candidates.contains { candidate in
          let candidateEnd = candidate?.end ?? 0
          if let candidate, candidate.start >= read.end { return false }
          return !mutations.contains { other in
            other.start > candidateEnd && other.end < read.start
          }
        }
        if !valid {
          problems.append(
            "key \(key): read \(read.value.map(String.init) ?? "absent") at [\(read.start), \(read.end)] matches no linearization"
          )
        }
      }
    }
    return problems
  }
}
