/// A checkpoint's identity: 128 random bits, written as a UUID (lowercase, with dashes),
/// which is also the stem of the checkpoint's file names.
public struct CheckpointToken: Hashable, Sendable, Codable, CustomStringConvertible,
  LosslessStringConvertible
{
  /// The 16 bytes, as two big-endian halves of the UUID.
  public let high: UInt64
  public let low: UInt64

  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// A fresh random token (version-4 UUID bits).
  public static func random() -> CheckpointToken {
    var generator = SystemRandomNumberGenerator()
    let high = (generator.next() as UInt64) & ~0xF000 | 0x4000
    let low = (generator.next() as UInt64) & ~(0xC000 << 48) | (0x8000 << 48)
    return CheckpointToken(high: high, low: low)
  }

  public var description: String {
    let hex = Array(String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 16))
    return String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-" + String(hex[12..<16]) + "-"
      + String(hex[16..<20]) + "-" + String(hex[20..<32])
  }

  /// Parses the UUID form (either case); nil for anything else.
  public init?(_ description: String) {
    let parts = description.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 5, parts.map(\.count) == [8, 4, 4, 4, 12] else { return nil }
    let hex = parts.joined()
    guard hex.allSatisfy(\.isHexDigit),
      let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16)
    else { return nil }
    self.init(high: high, low: low)
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let token = CheckpointToken(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a checkpoint token (UUID): \(text)"))
    }
    self = token
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
