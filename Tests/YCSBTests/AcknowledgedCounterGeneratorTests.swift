import FasterTestSupport
import Synchronization
import Testing

@testable import YCSB

@Suite struct AcknowledgedCounterGeneratorTests {
  @Test func limitStartsBeforeStart() {
    let counter = AcknowledgedCounterGenerator(start: 100)
    #expect(counter.lastValue == 99)
    #expect(counter.next() == 100)
    #expect(counter.lastValue == 99)
  }

  @Test func outOfOrderAcknowledgementsWaitForTheGap() {
    let counter = AcknowledgedCounterGenerator(start: 10)
    let keys = (0..<4).map { _ in counter.next() }
    #expect(keys == [10, 11, 12, 13])
    counter.acknowledge(12)
    counter.acknowledge(11)
    #expect(counter.lastValue == 9)
    counter.acknowledge(10)
    #expect(counter.lastValue == 12)
    counter.acknowledge(13)
    #expect(counter.lastValue == 13)
  }

  @Test func limitCrossesTheWindowEdge() {
    let start = UInt64(AcknowledgedCounterGenerator.windowSize) - 3
    let counter = AcknowledgedCounterGenerator(start: start)
    let keys = (0..<6).map { _ in counter.next() }
    for key in keys.reversed() { counter.acknowledge(key) }
    #expect(counter.lastValue == Int64(start) + 5)
  }

  @Test func randomOrderReachesTheEnd() {
    let seed = TestSeed.value(for: "ackcounter.randomOrder", default: 71)
    var random = RandomSource(seed: seed)
    let counter = AcknowledgedCounterGenerator(start: 0)
    var keys = (0..<5000).map { _ in counter.next() }
    keys.shuffle(using: &random)
    var acknowledged = Set<UInt64>()
    for key in keys {
      counter.acknowledge(key)
      acknowledged.insert(key)
      // The limit is exactly the end of the contiguous acknowledged prefix.
      let limit = counter.lastValue
      #expect(limit == -1 || acknowledged.contains(UInt64(limit)))
      #expect(!acknowledged.contains(UInt64(limit + 1)) || limit + 1 == 5000)
    }
    #expect(counter.lastValue == 4999)
  }
}

@Suite struct AcknowledgedCounterConcurrencyTests {
  @Test func threadsAcknowledgingOutOfOrderReachTheEnd() async {
    let counter = AcknowledgedCounterGenerator(start: 1000)
    let threadCount = 4
    let perThread = 20_000
    await withTaskGroup(of: Void.self) { group in
      for thread in 0..<threadCount {
        group.addTask {
          var random = RandomSource(seed: 81, stream: UInt64(thread))
          var pending: [UInt64] = []
          for _ in 0..<perThread {
            pending.append(counter.next())
            if pending.count > 8 || random.nextBounded(4) == 0 {
              let index = Int(random.nextBounded(UInt64(pending.count)))
              counter.acknowledge(pending.remove(at: index))
            }
            #expect(counter.lastValue < Int64(1000 + threadCount * perThread))
          }
          for key in pending.reversed() { counter.acknowledge(key) }
        }
      }
    }
    #expect(counter.lastValue == Int64(1000 + threadCount * perThread - 1))
  }
}
