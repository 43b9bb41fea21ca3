import Foundation

/// HdrHistogram's mapping between values and positions in its counts array, which its encodings
/// index by: fixed by the lowest discernible value and the significant digits.
struct HdrBucketLayout {
  let unitMagnitude: Int
  let subBucketHalfCountMagnitude: Int
  let subBucketHalfCount: Int
  let subBucketMask: UInt64
  let leadingZeroCountBase: Int

  init(lowestDiscernibleValue: UInt64, significantDigits: Int) {
    let largestSingleUnitValue = 2 * Self.pow10(significantDigits)
    let subBucketCountMagnitude = Int(log2(Double(largestSingleUnitValue)).rounded(.up))
    subBucketHalfCountMagnitude = max(subBucketCountMagnitude, 1) - 1
    unitMagnitude = 63 - lowestDiscernibleValue.leadingZeroBitCount
    subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    subBucketMask = (UInt64(1) << UInt64(subBucketHalfCountMagnitude + 1) - 1) << UInt64(unitMagnitude)
    leadingZeroCountBase = 64 - unitMagnitude - subBucketHalfCountMagnitude - 1
  }

  func index(of value: UInt64) -> Int {
    let bucketIndex = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
    let subBucketIndex = Int(value >> UInt64(bucketIndex + unitMagnitude))
    return ((bucketIndex + 1) << subBucketHalfCountMagnitude) + (subBucketIndex - subBucketHalfCount)
  }

  func value(at index: Int) -> UInt64 {
    var bucketIndex = (index >> subBucketHalfCountMagnitude) - 1
    var subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
    if bucketIndex < 0 {
      subBucketIndex -= subBucketHalfCount
      bucketIndex = 0
    }
    return UInt64(subBucketIndex) << UInt64(bucketIndex + unitMagnitude)
  }

  private static func pow10(_ exponent: Int) -> Int {
    (0..<exponent).reduce(1) { value, _ in value * 10 }
  }
}
