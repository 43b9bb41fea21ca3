import Foundation
import Histogram
import Testing

@testable import FasterBenchKit

/// HdrHistogram's compressed V2 encoding: our encoder and decoder agree with each other, with the
/// format's definition, and with another implementation (Python's `hdrhistogram` package).
@Suite struct HistogramV2CodecTests {
  static let values: [UInt64] = [0, 1, 5, 1000, 1350, 2047, 2048, 123_456, 99_999_999, 3_600_000_000_000]

  func sample() -> Histogram<UInt64> {
    var histogram = OperationMeasurements.makeHistogram()
    for (index, value) in Self.values.enumerated() { histogram.record(value, count: UInt64(index + 1)) }
    return histogram
  }

  func expectSameCounts(_ decoded: Histogram<UInt64>, _ original: Histogram<UInt64>) {
    #expect(decoded.totalCount == original.totalCount)
    #expect(decoded.max == original.max)
    #expect(decoded.ycsbMin == original.ycsbMin)
    for value in Self.values {
      #expect(decoded.countForValue(value) == original.countForValue(value), "\(value)")
    }
    for percentile in [1.0, 50, 90, 99, 99.9, 99.99, 100] {
      #expect(decoded.ycsbValue(atPercentile: percentile) == original.ycsbValue(atPercentile: percentile))
    }
  }

  @Test func roundTripKeepsEveryCount() throws {
    let original = sample()
    let decoded = try HistogramV2Codec.decode(HistogramV2Codec.encode(original))
    expectSameCounts(decoded, original)
    #expect(decoded.numberOfSignificantValueDigits == .three)
    #expect(decoded.highestTrackableValue == original.highestTrackableValue)
  }

  @Test func anEmptyHistogramRoundTrips() throws {
    let decoded = try HistogramV2Codec.decode(HistogramV2Codec.encode(OperationMeasurements.makeHistogram()))
    #expect(decoded.totalCount == 0)
  }

  @Test func theHeaderIsV2s() throws {
    let bytes = HistogramV2Codec.encode(sample())
    #expect(Array(bytes[0..<4]) == [0x1c, 0x84, 0x93, 0x14])  // compressed V2 cookie
    #expect(Data(bytes).base64EncodedString().hasPrefix("HISTF"))  // as every library's output begins
  }

  @Test(arguments: [Int64(0), 1, -1, 63, -64, 64, 1 << 20, -(1 << 40), Int64.max, Int64.min])
  func zigZagVarintsRoundTrip(value: Int64) {
    var bytes: [UInt8] = []
    ZigZagVarint.append(value, to: &bytes)
    var offset = 0
    #expect(ZigZagVarint.read(bytes, at: &offset) == value)
    #expect(offset == bytes.count && bytes.count <= 9)
  }

  @Test func corruptInputIsAnErrorNotACrash() {
    var bytes = HistogramV2Codec.encode(sample())
    #expect(throws: HistogramV2Codec.DecodingError.self) {
      try HistogramV2Codec.decode(Array(bytes.prefix(20)))
    }
    bytes[12] ^= 0xFF
    #expect(throws: HistogramV2Codec.DecodingError.self) { try HistogramV2Codec.decode(bytes) }
    #expect(throws: HistogramV2Codec.DecodingError.self) {
      try HistogramV2Codec.decode(base64: "not base64!")
    }
  }

  /// A histogram encoded by Python's `hdrhistogram` package (hdrh 0.10), values 1, 5, 1000, 1350,
  /// 123456 and 99999999 three times each, range 1...3600000000000, 3 digits.
  static let pythonEncoded =
    "HISTFAAAADF4nJNpmSzMwMAgyAABzFCaEch0M9ixgMH+A1SAjZXtMD/bTla25ky2qzMZ2QC5Wghx"

  static let python: String? = {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import hdrh.histogram"]
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return nil }
    probe.waitUntilExit()
    return probe.terminationStatus == 0 ? "python3" : nil
  }()

  func runPython(_ script: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test(
    .enabled(
      if: python != nil,
      "Python's hdrhistogram package is absent (scripts/test.sh installs it): pip install hdrhistogram"))
  func pythonDecodesOurEncoding() throws {
    let original = sample()
    let encoded = HistogramV2Codec.base64(original)
    let values = Self.values.map(String.init).joined(separator: ",")
    let answer = try runPython(
      """
      from hdrh.histogram import HdrHistogram
      h = HdrHistogram.decode('\(encoded)')
      print(h.get_total_count(), ' '.join(str(h.get_count_at_value(v)) for v in [\(values)]))
      """)
    let counts = Self.values.map { String(original.countForValue($0)) }.joined(separator: " ")
    #expect(answer == "\(original.totalCount) \(counts)")
  }

  @Test(
    .enabled(
      if: python != nil,
      "Python's hdrhistogram package is absent (scripts/test.sh installs it): pip install hdrhistogram"))
  func weDecodePythonsEncoding() throws {
    let encoded = try runPython(
      """
      from hdrh.histogram import HdrHistogram
      h = HdrHistogram(1, 3600000000000, 3)
      for v in [1, 5, 1000, 1350, 123456, 99999999]: h.record_value(v, 3)
      print(h.encode().decode())
      """)
    let decoded = try HistogramV2Codec.decode(base64: encoded)
    #expect(decoded.totalCount == 18)
    for value: UInt64 in [1, 5, 1000, 1350, 123_456, 99_999_999] {
      #expect(decoded.countForValue(value) == 3)
    }
  }

  @Test func aStoredPythonEncodingDecodes() throws {
    // The same bytes without Python: a fixed vector from another implementation.
    let decoded = try HistogramV2Codec.decode(base64: Self.pythonEncoded)
    #expect(decoded.totalCount == 18)
    for value: UInt64 in [1, 5, 1000, 1350, 123_456, 99_999_999] {
      #expect(decoded.countForValue(value) == 3)
    }
  }
}
