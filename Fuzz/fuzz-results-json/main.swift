// libFuzzer target: fasterbench's results/baseline file reader (ResultsLoader.load, which
// `compare`, `baseline` and `report` use on files they did not write), then the HTML
// report drawn from whatever it accepted. A file it accepts must render; one it rejects
// must say why.
import FasterBenchKit
import FasterFuzzSupport

func fuzzResultsJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let path = ScratchFile.write(UnsafeRawBufferPointer(start: data, count: size), name: "results.json")
  do {
    let file = try ResultsLoader.load(path: path)
    let input = HTMLReport.Input(name: "fuzz", file: file)
    let html = HTMLReport(title: "fuzz", inputs: [input], baseline: input).html()
    precondition(!html.isEmpty)
  } catch {
    precondition(!error.description.isEmpty, "a rejection without a reason")
  }
  return 0
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzResultsJSON(data, size)
}
