import Testing

@testable import FasterPlatform

@Suite struct ThreadPlacementTests {
  @Test func unpinnedHasNoCPUAndNoNode() {
    #expect(ThreadPlacement.unpinned.cpu == nil)
    #expect(ThreadPlacement.unpinned.node == nil)
  }

  @Test func describesItself() {
    #expect(ThreadPlacement.unpinned.description == "unpinned")
    #expect(ThreadPlacement(cpu: 3, node: 1).description == "cpu 3 (node 1)")
    #expect(ThreadPlacement(cpu: 3, node: nil).description == "cpu 3")
  }

  @Test func pinningPolicyRawValuesAreTheKnobSpellings() {
    #expect(PinningPolicy.allCases.map(\.rawValue) == ["none", "compact", "spread"])
    #expect(PinningPolicy(rawValue: "spread") == .spread)
    #expect(HugePagePolicy(rawValue: "madvise") == .madvise)
    #expect(HugePagePolicy(rawValue: "off") == .off)
  }
}
