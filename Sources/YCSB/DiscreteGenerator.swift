/// YCSB's discrete generator: picks one of several values with probability proportional to its
/// weight, using one uniform draw (CoreWorkload's operation chooser).
///
/// Thread safety: an immutable value; the state is in the RandomSource.
public struct DiscreteGenerator<Value: Sendable>: Sendable {
  @usableFromInline let values: [Value]
  /// Weights divided by their sum.
  @usableFromInline let probabilities: [Double]

  /// Preconditions: at least one value; weights finite and >= 0; their sum > 0.
  public init(_ weightedValues: [(weight: Double, value: Value)]) {
    precondition(!weightedValues.isEmpty, "a discrete generator needs at least one value")
    let total = weightedValues.reduce(0) { $0 + $1.weight }
    precondition(
      weightedValues.allSatisfy { $0.weight >= 0 && $0.weight.isFinite } && total > 0,
      "discrete weights must be finite, non-negative, and sum to more than 0")
    values = weightedValues.map(\.value)
    probabilities = weightedValues.map { $0.weight / total }
  }

  /// The probability of each value, in the order given.
  public var normalizedWeights: [Double] { probabilities }

  @inlinable
  public func next(using random: inout RandomSource) -> Value {
    var remaining = random.nextDouble()
    for index in probabilities.indices {
      let probability = probabilities[index]
      if remaining < probability { return values[index] }
      remaining -= probability
    }
    // Rounding left a sliver past the last probability: it belongs to the last positive weight.
    let last = probabilities.lastIndex { $0 > 0 }!
    return values[last]
  }
}
