import Testing

@testable import FasterPlatform

@Suite struct PlatformErrorTests {
  @Test func descriptionIsTheMessage() {
    let error = PlatformError("could not do it; try this", errorNumber: 12)
    #expect(error.description == "could not do it; try this")
    #expect(error.errorNumber == 12)
  }

  @Test func errnoIsNamedAndExplained() {
    #expect(PlatformError.describe(errorNumber: 22).hasPrefix("EINVAL ("))
    #expect(PlatformError.describe(errorNumber: 12).hasPrefix("ENOMEM ("))
    #expect(PlatformError.describe(errorNumber: 9999).contains("9999"))
  }
}
