import FasterTestSupport
import Testing

/// The checker the concurrency tests rely on: histories it must accept and histories it must
/// reject (each rejected one is a behaviour a buggy store could show and a per-read check
/// could miss). Times are tickets: [start, end].
@Suite struct LinearizabilityCheckerTests {
  typealias E = LinearizabilityChecker.Event

  static func write(_ value: UInt64, _ start: UInt64, _ end: UInt64, key: Int = 1) -> E {
    E(key: key, kind: .write, value: value, start: start, end: end)
  }
  static func read(_ value: UInt64?, _ start: UInt64, _ end: UInt64, key: Int = 1) -> E {
    E(key: key, kind: .read, value: value, start: start, end: end)
  }
  static func delete(_ start: UInt64, _ end: UInt64, key: Int = 1) -> E {
    E(key: key, kind: .delete, value: nil, start: start, end: end)
  }
  static func increment(_ start: UInt64, _ end: UInt64, key: Int = 2) -> E {
    E(key: key, kind: .increment, value: nil, start: start, end: end)
  }

  func problems(_ history: [E], counters: Set<Int> = [], final: [Int: UInt64?] = [:]) -> [String] {
    LinearizabilityChecker.violations(in: history, finalState: final, counterKeys: counters)
  }

  // MARK: histories it must reject

  /// W(10) W(20) then, concurrently with nothing, R→20 and later R→10: once a read has seen
  /// the newer value, a later read may not see the older one. A per-read check accepts each
  /// read alone (each has a write it could follow); no single order explains both.
  @Test func rejectsANewThenOldInversion() {
    let history = [
      Self.write(10, 1, 2), Self.write(20, 3, 10), Self.read(20, 4, 5), Self.read(10, 6, 7),
    ]
    let found = problems(history)
    #expect(found.count == 1, "\(found)")
    #expect(found.first?.contains("key 1") == true)
  }

  @Test func rejectsAStaleReadAfterACompletedWrite() {
    #expect(!problems([Self.write(10, 1, 2), Self.write(20, 3, 4), Self.read(10, 5, 6)]).isEmpty)
  }

  @Test func rejectsACounterGoingBackwards() {
    let history = [
      Self.increment(1, 2), Self.increment(3, 20), Self.read(2, 4, 5, key: 2), Self.read(1, 6, 7, key: 2),
    ]
    #expect(!problems(history, counters: [2]).isEmpty)
  }

  @Test func rejectsACounterReadBelowCompletedIncrementsOrAbsentAfterOne() {
    #expect(!problems([Self.increment(1, 2), Self.read(nil, 3, 4, key: 2)], counters: [2]).isEmpty)
    #expect(
      !problems([Self.increment(1, 2), Self.increment(3, 4), Self.read(1, 5, 6, key: 2)], counters: [2])
        .isEmpty)
    #expect(!problems([Self.increment(1, 2), Self.read(2, 3, 4, key: 2)], counters: [2]).isEmpty)
  }

  @Test func rejectsAReadOfAValueNeverWritten() {
    #expect(!problems([Self.write(10, 1, 4), Self.read(11, 2, 3)]).isEmpty)
    #expect(!problems([Self.read(7, 1, 2)]).isEmpty)
    // A torn read is recorded as a value no write produced (the tests use UInt64.max).
    #expect(!problems([Self.write(10, 1, 2), Self.read(UInt64.max, 3, 4)]).isEmpty)
  }

  @Test func rejectsADeletedKeyResurrected() {
    #expect(!problems([Self.write(10, 1, 2), Self.delete(3, 4), Self.read(10, 5, 6)]).isEmpty)
    // Through the final state, and after a read that saw the delete.
    #expect(!problems([Self.write(10, 1, 2), Self.delete(3, 4)], final: [1: 10]).isEmpty)
    #expect(
      !problems([Self.write(10, 1, 2), Self.delete(3, 8), Self.read(nil, 4, 5), Self.read(10, 9, 10)]).isEmpty
    )
  }

  /// Two reads that each fit some order, but no one order: the writes overlap each other and
  /// both reads, and the reads see them in opposite orders while not overlapping each other.
  @Test func rejectsReadsThatDisagreeOnTheOrderOfConcurrentWrites() {
    let history = [
      Self.write(1, 1, 20), Self.write(2, 2, 20),
      Self.read(1, 3, 4), Self.read(2, 5, 6), Self.read(1, 7, 8),
    ]
    #expect(!problems(history).isEmpty)
  }

  @Test func rejectsFinalStateThatIsNotTheLastWrite() {
    #expect(!problems([Self.write(10, 1, 2), Self.write(20, 3, 4)], final: [1: 10]).isEmpty)
  }

  @Test func rejectsOperationsOfTheWrongModelAndBackwardsIntervals() {
    #expect(!problems([Self.write(5, 1, 2, key: 2)], counters: [2]).isEmpty)
    #expect(!problems([Self.increment(1, 2, key: 1)]).isEmpty)
    #expect(!problems([Self.write(5, 3, 3)]).isEmpty)
  }

  /// One violation among many keys is found, and the message names the key and the operation.
  @Test func aViolationAmongManyKeysNamesItsKey() {
    var history: [E] = []
    var time: UInt64 = 1
    for key in 0..<20 {
      history.append(Self.write(UInt64(key), time, time + 1, key: key))
      history.append(Self.read(UInt64(key), time + 2, time + 3, key: key))
      time += 4
    }
    history.append(Self.read(99, time, time + 1, key: 13))
    let found = problems(history)
    #expect(found.count == 1)
    #expect(found.first?.hasPrefix("key 13 ") == true, "\(found)")
    #expect(found.first?.contains("read→99") == true, "\(found)")
  }

  // MARK: histories it must accept

  @Test func acceptsAReadConcurrentWithAWriteSeeingEitherValue() {
    #expect(problems([Self.write(10, 1, 2), Self.write(20, 3, 8), Self.read(10, 5, 6)]).isEmpty)
    #expect(problems([Self.write(10, 1, 2), Self.write(20, 3, 8), Self.read(20, 5, 6)]).isEmpty)
    // The inversion is fine when the two reads overlap each other.
    let overlapping = [Self.write(10, 1, 2), Self.write(20, 3, 10), Self.read(20, 4, 7), Self.read(10, 5, 8)]
    #expect(problems(overlapping).isEmpty)
  }

  @Test func acceptsConcurrentWritesInEitherOrder() {
    let history = [
      Self.write(1, 1, 10), Self.write(2, 2, 10), Self.read(2, 11, 12), Self.read(2, 13, 14),
    ]
    #expect(problems(history).isEmpty)
    #expect(problems(history, final: [1: 2]).isEmpty)
    #expect(!problems(history, final: [1: 1]).isEmpty)
  }

  @Test func acceptsDeletesAndAbsentReads() {
    let history = [
      Self.read(nil, 1, 2), Self.write(10, 3, 4), Self.delete(5, 9), Self.read(10, 6, 7),
      Self.read(nil, 10, 11),
      Self.write(11, 12, 13),
    ]
    #expect(problems(history, final: [1: 11]).isEmpty)
  }

  @Test func acceptsCountersReadDuringIncrements() {
    let history = [
      Self.read(nil, 1, 2, key: 2), Self.increment(3, 4), Self.increment(5, 12), Self.increment(6, 12),
      Self.read(1, 7, 8, key: 2), Self.read(2, 9, 10, key: 2), Self.read(3, 13, 14, key: 2),
    ]
    #expect(problems(history, counters: [2], final: [2: 3]).isEmpty)
  }

  /// A large random history generated from a real sequential run, with overlapping intervals:
  /// linearizable by construction, and found so within the budget (the size of one key's
  /// history in the concurrency tests).
  @Test func acceptsLongLinearizableHistories() {
    var random = TestRandom(seed: testSeed("acceptsLongLinearizableHistories"))
    var history: [E] = []
    var value: UInt64? = nil
    var count: UInt64 = 0
    // Operation i takes effect at time 10 * i + 50; its interval extends randomly around that.
    for i in 0..<3_000 {
      let point = UInt64(10 * i + 50)
      let start = point - UInt64(random.next(below: 5) + 1) - (random.next(below: 20) == 0 ? 30 : 0)
      let end = point + UInt64(random.next(below: 5) + 1) + (random.next(below: 20) == 0 ? 30 : 0)
      let key = i % 2
      if key == 0 {
        switch random.next(below: 10) {
        case 0..<4: history.append(Self.read(value, start, end, key: 0))
        case 4..<9:
          value = UInt64(i)
          history.append(Self.write(UInt64(i), start, end, key: 0))
        default:
          value = nil
          history.append(Self.delete(start, end, key: 0))
        }
      } else if random.next(below: 2) == 0 {
        history.append(Self.read(count == 0 ? nil : count, start, end, key: 1))
      } else {
        count += 1
        history.append(Self.increment(start, end, key: 1))
      }
    }
    let found = problems(history.shuffled(using: &random), counters: [1], final: [0: value, 1: count])
    #expect(found.isEmpty, "\(found)")
  }

  /// A history too large to decide within the budget is reported, never accepted.
  @Test func anUndecidedSearchIsReportedNotAccepted() {
    // Many writes all overlapping each other and a read of a value never written at the end:
    // refuting it means trying every order of the writes.
    var history = (0..<40).map { Self.write(UInt64($0), UInt64($0) + 1, 100) }
    history.append(Self.read(1_000, 101, 102))
    let found = LinearizabilityChecker.violations(
      in: history, finalState: [:], counterKeys: [], searchBudget: 1_000)
    #expect(found.count == 1)
    #expect(found.first?.contains("undecided") == true, "\(found)")
  }
}
