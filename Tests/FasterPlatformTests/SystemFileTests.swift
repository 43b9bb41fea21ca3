import Testing

@testable import FasterPlatform

@Suite struct SystemFileTests {
  @Test func parsesCPUAndNodeLists() {
    #expect(SystemFile.parseList("0-3,8,10-11\n") == [0, 1, 2, 3, 8, 10, 11])
    #expect(SystemFile.parseList("0") == [0])
    #expect(SystemFile.parseList("5,1,1-2") == [1, 2, 5])
    #expect(SystemFile.parseList("") == [])
    #expect(SystemFile.parseList("\n") == [])
  }

  @Test(arguments: ["a", "3-1", "1-2-3", "-1", "1-"])
  func rejectsMalformedLists(text: String) {
    #expect(SystemFile.parseList(text) == nil)
  }

  @Test func findsAKeyedValue() {
    let text = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nmodel\t\t: 1\n"
    #expect(SystemFile.value(forKey: "model name", in: text) == "AMD EPYC 7B13")
    #expect(SystemFile.value(forKey: "model", in: text) == "1")
    #expect(SystemFile.value(forKey: "missing", in: text) == nil)
  }

  @Test func readsProcFilesThatReportSizeZero() throws {
    let status = try #require(SystemFile.readString("/proc/self/status"))
    #expect(status.contains("Cpus_allowed_list"))
  }

  @Test func missingFileGivesNil() {
    #expect(SystemFile.readBytes("/nonexistent/swift-faster") == nil)
  }

  @Test func trimsWhitespace() {
    #expect(" \t a b \n".trimmingWhitespace() == "a b")
    #expect("   ".trimmingWhitespace() == "")
  }
}
