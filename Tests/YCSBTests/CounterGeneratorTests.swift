import Testing

@testable import YCSB

@Suite struct CounterGeneratorTests {
  @Test func countsFromStart() {
    let counter = CounterGenerator(start: 5)
    #expect(counter.lastValue == 4)
    #expect(counter.next() == 5)
    #expect(counter.next() == 6)
    #expect(counter.lastValue == 6)
  }

  @Test func copiesShareTheCount() {
    let counter = CounterGenerator(start: 0)
    let copy = counter
    _ = counter.next()
    #expect(copy.next() == 1)
  }
}

@Suite struct SequentialGeneratorTests {
  @Test func wrapsAround() {
    let generator = SequentialGenerator(start: 10, end: 12)
    #expect((0..<7).map { _ in generator.next() } == [10, 11, 12, 10, 11, 12, 10])
  }
}
