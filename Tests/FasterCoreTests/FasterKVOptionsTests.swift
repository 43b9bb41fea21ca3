import Testing

@testable import FasterCore

@Suite struct FasterKVOptionsTests {
  @Test func defaultsAreValid() throws {
    try FasterKVOptions().validate()
  }

  static func with(_ change: (inout FasterKVOptions) -> Void) -> FasterKVOptions {
    var options = FasterKVOptions()
    change(&options)
    return options
  }

  static let invalidCases: [(field: String, options: FasterKVOptions)] = [
    ("indexSizeBytes", with { $0.indexSizeBytes = 100 }),
    ("indexSizeBytes", with { $0.indexSizeBytes = 32 }),
    ("pageSizeBytes", with { $0.pageSizeBytes = 1000 }),
    ("pageSizeBytes", with { $0.pageSizeBytes = 1 << 11 }),
    ("logMemoryBytes", with { $0.logMemoryBytes = 3 << 25 }),
    ("logMemoryBytes", with { $0.logMemoryBytes = 1 << 25 }),
    ("mutableFraction", with { $0.mutableFraction = 0 }),
    ("mutableFraction", with { $0.mutableFraction = 1.5 }),
    ("maxSessions", with { $0.maxSessions = 0 }),
    ("refreshInterval", with { $0.refreshInterval = 0 }),
  ]

  @Test(arguments: invalidCases)
  func invalidValuesAreRejectedByName(field: String, options: FasterKVOptions) {
    #expect {
      try options.validate()
    } throws: { error in
      guard case .invalidConfiguration(let message) = error as? FasterError else { return false }
      return message.hasPrefix(field)
    }
  }

  @Test func storeRejectsInvalidOptions() {
    var options = FasterKVOptions()
    options.pageSizeBytes = 12345
    #expect(throws: FasterError.self) { try FixedSizeStore<UInt64, UInt64>(options: options) }
  }
}
