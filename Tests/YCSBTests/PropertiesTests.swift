import Testing

@testable import YCSB

@Suite struct PropertiesTests {
  func parse(_ text: String) throws -> Properties {
    try Properties(parsing: text, source: "test.properties")
  }

  @Test func equalsColonAndBlankSeparators() throws {
    let properties = try parse("a=1\nb: 2\nc 3\nd\t=\t4\ne   :five\n")
    #expect(properties["a"] == "1")
    #expect(properties["b"] == "2")
    #expect(properties["c"] == "3")
    #expect(properties["d"] == "4")
    #expect(properties["e"] == "five")
  }

  @Test func commentsAndBlankLinesAreIgnored() throws {
    let properties = try parse("# comment\n! also a comment\n\n   \n  # indented comment\nkey=value\n")
    #expect(properties.names == ["key"])
  }

  @Test func namesKeepInsertionOrder() throws {
    let properties = try parse("z=1\na=2\nm=3\n")
    #expect(properties.names == ["z", "a", "m"])
  }

  @Test func continuationJoinsLinesAndDropsLeadingBlanks() throws {
    let properties = try parse("list=one, \\\n    two, \\\n\tthree\nnext=x\n")
    #expect(properties["list"] == "one, two, three")
    #expect(properties["next"] == "x")
  }

  @Test func evenBackslashesDoNotContinue() throws {
    let properties = try parse("path=a\\\\\nnext=x\n")
    #expect(properties["path"] == "a\\")
    #expect(properties["next"] == "x")
  }

  @Test func commentLineIsNeverContinued() throws {
    let properties = try parse("# comment \\\nkey=value\n")
    #expect(properties["key"] == "value")
  }

  @Test func continuationAtEndOfText() throws {
    let properties = try parse("key=value\\")
    #expect(properties["key"] == "value")
  }

  @Test func escapes() throws {
    let properties = try parse("tab=a\\tb\nunicode=\\u0041\\u00e9\nkey\\=with\\:seps=v\nother=\\q\n")
    #expect(properties["tab"] == "a\tb")
    #expect(properties["unicode"] == "Aé")
    #expect(properties["key=with:seps"] == "v")
    #expect(properties["other"] == "q")
  }

  @Test func trailingBlanksAreTrimmedUnlessEscaped() throws {
    let properties = try parse("a=zipfian   \nb=x\\ \n")
    #expect(properties["a"] == "zipfian")
    #expect(properties["b"] == "x ")
  }

  @Test func emptyValue() throws {
    let properties = try parse("empty=\nalone\n")
    #expect(properties["empty"] == "")
    #expect(properties["alone"] == "")
  }

  @Test func crlfAndCrLineEnds() throws {
    let properties = try parse("a=1\r\nb=2\rc=3")
    #expect(properties["a"] == "1")
    #expect(properties["b"] == "2")
    #expect(properties["c"] == "3")
  }

  @Test func laterDefinitionWinsAndKeepsPosition() throws {
    let properties = try parse("a=1\nb=2\na=3\n")
    #expect(properties["a"] == "3")
    #expect(properties.names == ["a", "b"])
  }

  @Test func malformedUnicodeEscapeNamesFileAndLine() {
    #expect {
      _ = try parse("a=1\n\nb=\\u12G4\n")
    } throws: { error in
      let error = error as! WorkloadError
      return error.kind == .syntax && error.description.hasPrefix("test.properties:3:")
    }
  }

  @Test func emptyKeyIsAnError() {
    #expect {
      _ = try parse("=value\n")
    } throws: { error in
      (error as! WorkloadError).description.contains("test.properties:1")
    }
  }

  @Test func missingFileIsAnError() {
    #expect {
      _ = try Properties.load(path: "/nonexistent/workloadz")
    } throws: { error in
      let error = error as! WorkloadError
      return error.kind == .unreadableFile && error.description.contains("/nonexistent/workloadz")
    }
  }

  @Test func mergingOverridesWin() throws {
    let base = try parse("a=1\nb=2\n")
    var overrides = Properties()
    overrides["b"] = "20"
    overrides["c"] = "30"
    let merged = base.merging(overrides)
    #expect(merged["a"] == "1")
    #expect(merged["b"] == "20")
    #expect(merged.names == ["a", "b", "c"])
  }

  @Test func settingNilRemoves() throws {
    var properties = try parse("a=1\nb=2\n")
    properties["a"] = nil
    #expect(properties.names == ["b"])
    #expect(properties["a"] == nil)
  }

  @Test func originNamesFileAndLine() throws {
    let properties = try parse("\n\nkey=value\n")
    #expect(properties.origin(of: "key") == "test.properties:3")
  }
}
