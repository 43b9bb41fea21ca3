import Testing

@testable import YCSB

@Suite struct FNV1aTests {
  @Test func zeroHashesLikeYCSB() {
    // 8 zero bytes: each step xors 0 and multiplies by the prime. YCSB's first hashed key is
    // "user6284781860667377211".
    #expect(FNV1a.hash64(0) == 6_284_781_860_667_377_211)
  }

  @Test func oneHashesLikeYCSB() {
    // The raw hash of 1 has the top bit set; YCSB's Math.abs makes it 8517097267634966620.
    #expect(FNV1a.hash64(1) == 8_517_097_267_634_966_620)
  }

  @Test func matchesTheAlgorithmStepByStep() {
    // First step for value 2 by hand: (basis ^ 2) * prime, then seven zero bytes.
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ 2
    hash = hash &* 1_099_511_628_211
    for _ in 0..<7 { hash = hash &* 1_099_511_628_211 }
    let signed = Int64(bitPattern: hash)
    let expected = signed < 0 ? UInt64(-signed) : hash
    #expect(FNV1a.hash64(2) == expected)
    #expect(FNV1a.hash64(2) == 1_820_151_046_732_198_393)
  }

  @Test func knownValues() {
    #expect(FNV1a.hash64(42) == 55_488_592_825_689_361)
    #expect(FNV1a.hash64(1000) == 5_952_875_239_596_136_740)
    #expect(FNV1a.hash64(UInt64.max) == 8_289_690_350_564_177_859)
  }

  @Test func resultNeverHasTheTopBitExceptForInt64Min() {
    var random = RandomSource(seed: 7)
    for _ in 0..<10_000 {
      let hash = FNV1a.hash64(random.next())
      #expect(hash <= UInt64(Int64.max) || hash == 1 << 63)
    }
  }
}
