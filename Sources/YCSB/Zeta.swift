#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The generalised harmonic numbers the zipfian generators need:
/// zeta(n, theta) = sum over i in 1...n of 1 / i^theta.
///
/// YCSB sums every term, which for 10^8 items takes seconds and for 10^10 minutes. Here the first
/// `exactTermCount` terms (and any short range) are summed directly with compensated summation;
/// a long tail is the Euler–Maclaurin formula:
///   sum_{i=a}^{b} f(i) = integral_a^b f + (f(a) + f(b)) / 2
///                        + sum_k B_2k / (2k)! * (f^(2k-1)(b) - f^(2k-1)(a)) + R,
/// with f(x) = x^-theta. For a >= 10^5 the remainder after three Bernoulli terms is below 1e-30,
/// far under double rounding, so the result agrees with the exact sum to ~1e-15 relative.
///
/// Thread safety: pure functions.
public enum Zeta {
  /// Terms summed one by one before the Euler–Maclaurin tail takes over.
  public static let exactTermCount: UInt64 = 100_000
  /// A range shorter than this is summed directly even far out in the tail.
  static let directRangeCount: UInt64 = 4096

  /// zeta(n, theta) = sum over i in 1...n of i^-theta (YCSB's `zetastatic(n, theta)`).
  public static func zeta(_ count: UInt64, theta: Double) -> Double {
    sum(fromCount: 0, toCount: count, theta: theta)
  }

  /// sum over i in (lowerCount + 1)...upperCount of i^-theta: what YCSB adds to zetan when a
  /// zipfian's item count grows from `lowerCount` to `upperCount`. Zero when upper <= lower.
  public static func sum(fromCount lowerCount: UInt64, toCount upperCount: UInt64, theta: Double) -> Double {
    guard upperCount > lowerCount else { return 0 }
    let headEnd = max(exactTermCount, lowerCount &+ directRangeCount)
    if upperCount <= headEnd {
      return exactSum(fromCount: lowerCount, toCount: upperCount, theta: theta)
    }
    return exactSum(fromCount: lowerCount, toCount: headEnd, theta: theta)
      + eulerMaclaurin(first: Double(headEnd + 1), last: Double(upperCount), theta: theta)
  }

  /// The same sum, every term added (Kahan–Babuška compensated). For tests and short ranges.
  public static func exactSum(fromCount lowerCount: UInt64, toCount upperCount: UInt64, theta: Double)
    -> Double
  {
    guard upperCount > lowerCount else { return 0 }
    var sum = 0.0
    var compensation = 0.0
    var index = lowerCount + 1
    while index <= upperCount {
      let term = pow(Double(index), -theta)
      let total = sum + term
      if abs(sum) >= abs(term) {
        compensation += (sum - total) + term
      } else {
        compensation += (term - total) + sum
      }
      sum = total
      index += 1
    }
    return sum + compensation
  }

  /// sum over i in first...last of i^-theta by Euler–Maclaurin; accurate for first >= ~10^4.
  static func eulerMaclaurin(first: Double, last: Double, theta: Double) -> Double {
    let a = first
    let b = last
    let fa = pow(a, -theta)
    let fb = pow(b, -theta)
    let integral: Double
    if theta == 1 {
      integral = log(b / a)
    } else {
      // b^(1-θ) - a^(1-θ) = a^(1-θ) * expm1((1-θ) ln(b/a)): no cancellation when θ is near 1.
      let exponent = 1 - theta
      integral = pow(a, exponent) * expm1(exponent * log(b / a)) / exponent
    }
    // f^(2k-1)(x) = -θ(θ+1)...(θ+2k-2) x^(-θ-2k+1); coefficients B_2k / (2k)!.
    let rising1 = theta
    let rising3 = rising1 * (theta + 1) * (theta + 2)
    let rising5 = rising3 * (theta + 3) * (theta + 4)
    let a2 = a * a
    let b2 = b * b
    let derivative1 = -rising1 * (fb / b - fa / a)
    let derivative3 = -rising3 * (fb / (b * b2) - fa / (a * a2))
    let derivative5 = -rising5 * (fb / (b * b2 * b2) - fa / (a * a2 * a2))
    let corrections = derivative1 / 12 - derivative3 / 720 + derivative5 / 30240
    return integral + (fa + fb) / 2 + corrections
  }
}
