import Testing
import YCSB

@testable import FasterBenchKit

/// The reference: key numbers sorted by their names, and the first `count` at or after a start.
struct SortedNameReference {
  let hashed: Bool
  let zeroPadding: Int
  var names: [(name: String, keyNumber: UInt64)] = []

  mutating func insert(_ keyNumber: UInt64) {
    let name = KeyNames.name(keyNumber, hashed: hashed, zeroPadding: zeroPadding)
    let position = names.partitioningIndex { $0.name >= name }
    if position < names.count && names[position].name == name { return }
    names.insert((name, keyNumber), at: position)
  }

  func scan(from start: UInt64, count: Int) -> [UInt64] {
    let name = KeyNames.name(start, hashed: hashed, zeroPadding: zeroPadding)
    let position = names.partitioningIndex { $0.name >= name }
    return names[position...].prefix(count).map(\.keyNumber)
  }
}

extension Array {
  func partitioningIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let middle = (low + high) / 2
      if belongsInSecondPartition(self[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}

@Suite struct OrderedKeyIndexTests {
  func makeIndex(hashed: Bool, zeroPadding: Int = 1, chunkCapacity: Int = 8) throws -> OrderedKeyIndex {
    let shape = RecordShape(
      mode: .ycsb, fieldCount: 1, fieldLength: 1, insertOrderHashed: hashed, zeroPadding: zeroPadding)
    return OrderedKeyIndex(order: try KeyOrder(shape: shape), chunkCapacity: chunkCapacity)
  }

  func collect(_ index: OrderedKeyIndex, from start: UInt64, count: Int) -> [UInt64] {
    var buffer = [UInt64](repeating: 0, count: count)
    let found = buffer.withUnsafeMutableBufferPointer { index.collect(from: start, into: $0) }
    return Array(buffer.prefix(found))
  }

  @Test(arguments: [true, false])
  func scansMatchASortedReference(hashed: Bool) throws {
    let index = try makeIndex(hashed: hashed)
    var reference = SortedNameReference(hashed: hashed, zeroPadding: 1)
    var random = RandomSource(seed: TestSupport.seed(7), stream: 0)
    for step in 0..<3000 {
      let keyNumber = random.next() % 5000
      index.insert(keyNumber)
      reference.insert(keyNumber)
      if step % 10 == 0 {
        let start = random.next() % 6000  // also starts that are not in the index
        let count = Int(random.next() % 120) + 1
        #expect(collect(index, from: start, count: count) == reference.scan(from: start, count: count))
      }
    }
    index.checkInvariants()
    #expect(index.count == reference.names.count)
  }

  @Test func emptyIndexScansNothing() throws {
    let index = try makeIndex(hashed: true)
    #expect(collect(index, from: 5, count: 10).isEmpty)
    index.checkInvariants()
  }

  @Test func duplicateInsertsAreIgnored() throws {
    let index = try makeIndex(hashed: false)
    for _ in 0..<3 { for key in 0..<20 { index.insert(UInt64(key)) } }
    #expect(index.count == 20)
    index.checkInvariants()
  }

  @Test func scansRunPastChunkBoundariesAndStopAtTheEnd() throws {
    let index = try makeIndex(hashed: false, zeroPadding: 4, chunkCapacity: 4)
    for key in (0..<100).reversed() { index.insert(UInt64(key)) }
    index.checkInvariants()
    #expect(collect(index, from: 10, count: 15) == Array(10..<25))
    #expect(collect(index, from: 95, count: 15) == Array(95..<100))
  }
}

@Suite struct OrderedKeyIndexConcurrencyTests {
  @Test func concurrentInsertsAndScansKeepTheIndexSorted() async throws {
    let shape = RecordShape(
      mode: .ycsb, fieldCount: 1, fieldLength: 1, insertOrderHashed: true, zeroPadding: 1)
    let index = OrderedKeyIndex(order: try KeyOrder(shape: shape), chunkCapacity: 16)
    let seed = TestSupport.seed(21)
    await withTaskGroup(of: Void.self) { group in
      for thread in 0..<4 {
        group.addTask {
          var random = RandomSource(seed: seed, stream: UInt64(thread))
          var buffer = [UInt64](repeating: 0, count: 50)
          for step in 0..<2000 {
            index.insert(UInt64(thread * 10_000 + step))
            if step % 4 == 0 {
              _ = buffer.withUnsafeMutableBufferPointer {
                index.collect(from: random.next() % 40_000, into: $0)
              }
            }
          }
        }
      }
    }
    index.checkInvariants()
    #expect(index.count == 8000)
  }
}
