import CZlib
import Foundation
import Histogram

/// HdrHistogram's standard compressed V2 encoding, which every HdrHistogram library (Java,
/// Python, Go, Rust, C) decodes: the results file stores each latency histogram as this,
/// base64-encoded. hdrhistogram-swift has no encoder, hence this one.
///
/// Layout (big-endian): a compressed header — cookie `0x1c849314`, then the length of the
/// DEFLATE (zlib) stream that follows; inflated, the V2 encoding — cookie `0x1c849313`, payload
/// length, normalizing index offset (0), significant digits, lowest discernible value, highest
/// trackable value, integer-to-double ratio (1.0), then the counts array as ``ZigZagVarint``s,
/// a run of n > 1 empty counts written as -n.
public enum HistogramV2Codec {
  static let encodingCookie: UInt32 = 0x1c84_9313
  static let compressedCookie: UInt32 = 0x1c84_9314
  static let headerBytes = 40

  /// Why bytes are not a V2 histogram.
  public struct DecodingError: Error, CustomStringConvertible, Sendable {
    public let description: String
  }

  /// The compressed V2 bytes of `histogram`.
  public static func encode(_ histogram: Histogram<UInt64>) -> [UInt8] {
    let layout = HdrBucketLayout(
      lowestDiscernibleValue: histogram.lowestDiscernibleValue,
      significantDigits: Int(histogram.numberOfSignificantValueDigits.rawValue))
    var counts: [UInt64] = []
    if histogram.totalCount > 0 {
      counts = Array(repeating: 0, count: layout.index(of: histogram.maxRecorded) + 1)
      for bucket in histogram.recordedValues() {
        let index = layout.index(of: bucket.value)
        if index < counts.count { counts[index] += UInt64(bucket.count) }
      }
    }
    var payload: [UInt8] = []
    var index = 0
    while index < counts.count {
      if counts[index] == 0 {
        var zeros = 1
        while index + zeros < counts.count && counts[index + zeros] == 0 { zeros += 1 }
        ZigZagVarint.append(zeros > 1 ? -Int64(zeros) : 0, to: &payload)
        index += zeros
      } else {
        ZigZagVarint.append(Int64(clamping: counts[index]), to: &payload)
        index += 1
      }
    }
    var plain: [UInt8] = []
    plain.reserveCapacity(headerBytes + payload.count)
    appendBigEndian(encodingCookie, to: &plain)
    appendBigEndian(UInt32(payload.count), to: &plain)
    appendBigEndian(UInt32(0), to: &plain)
    appendBigEndian(UInt32(histogram.numberOfSignificantValueDigits.rawValue), to: &plain)
    appendBigEndian(histogram.lowestDiscernibleValue, to: &plain)
    appendBigEndian(histogram.highestTrackableValue, to: &plain)
    appendBigEndian((1.0 as Double).bitPattern, to: &plain)
    plain += payload
    let compressed = deflate(plain)
    var encoded: [UInt8] = []
    appendBigEndian(compressedCookie, to: &encoded)
    appendBigEndian(UInt32(compressed.count), to: &encoded)
    return encoded + compressed
  }

  /// The histogram in `bytes` (compressed V2).
  ///
  /// - Throws: ``DecodingError`` saying what is wrong (cookie, length, stream, counts).
  public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> Histogram<UInt64> {
    guard bytes.count >= 8, readBigEndian(bytes, at: 0) as UInt32 == compressedCookie else {
      throw DecodingError(
        description: "not an HdrHistogram compressed V2 encoding (cookie 0x1c849314 expected)")
    }
    let length = Int(readBigEndian(bytes, at: 4) as UInt32)
    guard bytes.count >= 8 + length else {
      throw DecodingError(description: "truncated: \(bytes.count - 8) of \(length) compressed bytes")
    }
    let plain = try inflate(Array(bytes[8..<(8 + length)]))
    guard plain.count >= headerBytes, readBigEndian(plain, at: 0) as UInt32 == encodingCookie else {
      throw DecodingError(
        description: "the inflated contents are not a V2 encoding (cookie 0x1c849313 expected)")
    }
    let payloadLength = Int(readBigEndian(plain, at: 4) as UInt32)
    let digits = Int(readBigEndian(plain, at: 12) as UInt32)
    let lowest: UInt64 = readBigEndian(plain, at: 16)
    let highest: UInt64 = readBigEndian(plain, at: 24)
    guard let significantDigits = SignificantDigits(rawValue: Int8(clamping: digits)), lowest >= 1,
      highest >= 2 * lowest, plain.count >= headerBytes + payloadLength
    else {
      throw DecodingError(
        description:
          "invalid header: \(digits) digits, values \(lowest)...\(highest), payload \(payloadLength) bytes")
    }
    var histogram = Histogram<UInt64>(
      lowestDiscernibleValue: lowest, highestTrackableValue: highest,
      numberOfSignificantValueDigits: significantDigits)
    let layout = HdrBucketLayout(lowestDiscernibleValue: lowest, significantDigits: digits)
    let payload = Array(plain[headerBytes..<(headerBytes + payloadLength)])
    var offset = 0
    var index = 0
    while offset < payload.count {
      guard let count = ZigZagVarint.read(payload, at: &offset) else {
        throw DecodingError(description: "a count is cut off at byte \(offset) of the payload")
      }
      if count < 0 {
        index += Int(-count)
        continue
      }
      if count > 0 {
        guard histogram.record(layout.value(at: index), count: UInt64(count)) else {
          throw DecodingError(
            description: "count index \(index) lies beyond the highest trackable value \(highest)")
        }
      }
      index += 1
    }
    return histogram
  }

  /// `histogram` as base64 of its compressed V2 encoding (the results file's form).
  public static func base64(_ histogram: Histogram<UInt64>) -> String {
    Data(encode(histogram)).base64EncodedString()
  }

  public static func decode(base64 text: String) throws(DecodingError) -> Histogram<UInt64> {
    guard let data = Data(base64Encoded: text) else {
      throw DecodingError(description: "the histogram is not valid base64")
    }
    return try decode([UInt8](data))
  }

  private static func deflate(_ input: [UInt8]) -> [UInt8] {
    var length = compressBound(uLong(input.count))
    var output = [UInt8](repeating: 0, count: Int(length))
    let status = output.withUnsafeMutableBufferPointer { out in
      input.withUnsafeBufferPointer { source in
        compress2(out.baseAddress, &length, source.baseAddress, uLong(source.count), Z_DEFAULT_COMPRESSION)
      }
    }
    precondition(status == Z_OK, "zlib compress2 failed (\(status)) on a buffer sized by compressBound")
    return Array(output[0..<Int(length)])
  }

  private static func inflate(_ input: [UInt8]) throws(DecodingError) -> [UInt8] {
    var capacity = max(1 << 16, input.count * 8)
    while capacity <= 1 << 30 {
      var length = uLong(capacity)
      var output = [UInt8](repeating: 0, count: capacity)
      let status = output.withUnsafeMutableBufferPointer { out in
        input.withUnsafeBufferPointer { source in
          uncompress(out.baseAddress, &length, source.baseAddress, uLong(source.count))
        }
      }
      if status == Z_OK { return Array(output[0..<Int(length)]) }
      guard status == Z_BUF_ERROR else {
        throw DecodingError(description: "the DEFLATE stream is corrupt (zlib status \(status))")
      }
      capacity *= 4
    }
    throw DecodingError(description: "the DEFLATE stream inflates to more than 1 GiB")
  }

  private static func appendBigEndian<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
  }

  private static func readBigEndian<Value: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> Value {
    var value = Value.zero
    for byte in bytes[offset..<(offset + MemoryLayout<Value>.size)] {
      value = (value << 8) | Value(byte)
    }
    return value
  }
}
