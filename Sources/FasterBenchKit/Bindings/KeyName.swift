/// A YCSB key name (`"user"` + digits) stored inline, up to 32 bytes: a dictionary key that needs
/// no heap allocation to build or compare.
struct KeyName: StripeHashable {
  static let capacityBytes = 32

  private var word0: UInt64 = 0
  private var word1: UInt64 = 0
  private var word2: UInt64 = 0
  private var word3: UInt64 = 0
  private var length: UInt8 = 0

  init() {}

  /// Builds the name of `keyNumber` as `shape` names it.
  ///
  /// - Precondition: `shape.maximumKeyNameBytes <= 32`.
  @inline(__always)
  init(_ keyNumber: UInt64, shape: RecordShape) {
    let written = withUnsafeMutableBytes(of: &self) { raw in
      // Safety: the four words are the first 32 bytes of the struct; the name is written into them only.
      shape.writeKeyName(
        keyNumber, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<Self.capacityBytes]))
    }
    precondition(written <= Self.capacityBytes, "key name longer than 32 bytes")
    length = UInt8(written)
  }

  @inline(__always)
  var stripeHash: UInt64 {
    let mixed = (word0 ^ word1 &* 31 ^ word2 &* 131 ^ word3) &* 0x9E37_79B9_7F4A_7C15
    return mixed >> 40
  }
}
