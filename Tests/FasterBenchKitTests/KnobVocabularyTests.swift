import FasterCore
import FasterStorage
import Testing

@testable import FasterBenchKit

/// The engine names its own fields; the benchmark shows its users the knobs.
@Suite struct KnobVocabularyTests {
  @Test func deviceErrorsNameTheKnob() {
    let error = DeviceError(
      .diskFull, message: "disk full writing /x/log.0: free space or point DeviceOptions.directory elsewhere")
    #expect(BindingError(error.message).description.hasSuffix("point faster.path elsewhere"))
  }

  @Test func qualifiedNamesWinOverBareOnes() {
    let message = "HybridLogSettings.pageSizeBytes = 3: must be a power of two; pageSizeBytes too"
    #expect(
      KnobVocabulary.translate(message)
        == "faster.log.pagesize = 3: must be a power of two; faster.log.pagesize too")
  }

  @Test func engineOptionErrorsNameTheKnob() throws {
    var options = FasterKVOptions()
    options.logMemoryBytes = 3
    #expect(throws: FasterError.self) { try options.validate() }
    do { try options.validate() } catch {
      #expect(BindingError(error.description).description.contains("faster.log.memory = 3"))
    }
  }
}
