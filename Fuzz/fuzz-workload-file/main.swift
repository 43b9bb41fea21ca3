// libFuzzer target: the YCSB workload-file parser (Properties(parsing:) then CoreWorkload's
// validation, as `fasterbench run -P file` reads it) and fasterbench's TOML configuration
// file parser (ConfigurationFile.parse). Byte 0 picks the parser; the rest is the text,
// decoded as Properties.load decodes it (UTF-8, else Latin-1).
import FasterBenchKit
import FasterFuzzSupport
import YCSB

func fuzzWorkloadFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size >= 1 else { return 0 }
  let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
  let text = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
  if data[0] & 1 == 0 {
    do {
      let properties = try Properties(parsing: text, source: "fuzz")
      _ = try CoreWorkload(properties: properties)
    } catch {
      precondition(!error.description.isEmpty, "a rejection without a reason")
    }
  } else {
    do {
      _ = try ConfigurationFile.parse(text, source: "fuzz")
    } catch {
      precondition(!error.description.isEmpty, "a rejection without a reason")
    }
  }
  return 0
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzWorkloadFile(data, size)
}
