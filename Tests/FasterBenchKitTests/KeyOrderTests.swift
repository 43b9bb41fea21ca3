import Testing
import YCSB

@testable import FasterBenchKit

@Suite struct KeyOrderTests {
  func shape(hashed: Bool, zeroPadding: Int) -> RecordShape {
    RecordShape(
      mode: .ycsb, fieldCount: 1, fieldLength: 1, insertOrderHashed: hashed, zeroPadding: zeroPadding)
  }

  @Test(arguments: [(true, 1), (false, 1), (false, 8), (true, 22), (false, 35)])
  func sortKeysOrderLikeTheKeyNames(hashed: Bool, zeroPadding: Int) throws {
    let order = try KeyOrder(shape: shape(hashed: hashed, zeroPadding: zeroPadding))
    var numbers: [UInt64] = Array(0..<300) + [999, 1000, 1001, 9_999_999, 10_000_000, UInt64(Int64.max)]
    var random = RandomSource(seed: TestSupport.seed(11), stream: 0)
    for _ in 0..<300 { numbers.append(random.next() >> (random.next() % 64)) }
    let byName = numbers.sorted {
      KeyNames.name($0, hashed: hashed, zeroPadding: zeroPadding)
        < KeyNames.name($1, hashed: hashed, zeroPadding: zeroPadding)
    }
    let bySortKey = numbers.sorted { order.sortKey(of: $0) < order.sortKey(of: $1) }
    let names = { (list: [UInt64]) in list.map { KeyNames.name($0, hashed: hashed, zeroPadding: zeroPadding) }
    }
    #expect(names(byName) == names(bySortKey))
  }

  @Test func prefixesSortFirst() throws {
    let order = try KeyOrder(shape: shape(hashed: false, zeroPadding: 1))
    // "user1" < "user10" < "user100" < "user11" < "user2"
    let keys: [UInt64] = [1, 10, 100, 11, 2]
    #expect(keys.map(order.sortKey(of:)) == keys.map(order.sortKey(of:)).sorted())
  }

  @Test func tooWidePaddingIsRejected() {
    #expect(throws: BindingError.self) { _ = try KeyOrder(shape: shape(hashed: false, zeroPadding: 36)) }
  }
}
