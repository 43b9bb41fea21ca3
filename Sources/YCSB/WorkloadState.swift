/// The state CoreWorkload threads share: the run-phase insert counter, the sequential key
/// counter, and generator prototypes whose zeta sums are computed once (threads copy them).
///
/// The insert counter starts at recordcount and its acknowledged limit at recordcount - 1, as in
/// YCSB: run-phase reads never choose a key whose insert has not completed.
///
/// Thread safety: Sendable. All fields are immutable; the counters are atomic.
public final class WorkloadState: Sendable {
  public let workload: CoreWorkload
  /// Run-phase insert keys (YCSB's transactioninsertkeysequence).
  public let insertKeySequence: AcknowledgedCounterGenerator
  @usableFromInline let keyChooserPrototype: KeyChooser
  @usableFromInline let scanLengthPrototype: ScanLengthChooser
  @usableFromInline let fieldLengthPrototype: FieldLengthChooser
  @usableFromInline let operationChooser: DiscreteGenerator<Operation>
  @usableFromInline let fieldChooser: UniformGenerator

  /// Builds the shared state. May take a few milliseconds (zeta sums, the 2^20-slot window).
  public init(workload: CoreWorkload) {
    self.workload = workload
    insertKeySequence = AcknowledgedCounterGenerator(start: UInt64(workload.recordCount))
    let theta = workload.zipfianConstant
    let first = UInt64(workload.insertStart)
    let last = first + UInt64(workload.insertCount) - 1  // only used when insertCount >= 1
    switch workload.requestDistribution {
    case .uniform:
      keyChooserPrototype = .uniform(UniformGenerator(lowerBound: first, upperBound: last))
    case .zipfian:
      // One past the loaded keys plus the expected inserts, as CoreWorkload builds it.
      let end = first + UInt64(workload.insertCount) + UInt64(workload.expectedNewKeys)
      keyChooserPrototype = .zipfian(ScrambledZipfianGenerator(min: first, max: end, theta: theta))
    case .latest:
      let limit = UInt64(max(0, insertKeySequence.lastValue))
      keyChooserPrototype = .latest(SkewedLatestGenerator(initialLimit: limit, theta: theta))
    case .hotspot:
      keyChooserPrototype = .hotspot(
        HotspotGenerator(
          lowerBound: first, upperBound: last, hotSetFraction: workload.hotspotDataFraction,
          hotOperationFraction: workload.hotspotOperationFraction))
    case .sequential:
      keyChooserPrototype = .sequential(SequentialGenerator(start: first, end: last))
    case .exponential:
      keyChooserPrototype = .exponential(
        ExponentialGenerator(
          percentile: workload.exponentialPercentile,
          range: Double(workload.recordCount) * workload.exponentialFraction))
    }
    let minScan = UInt64(workload.minScanLength)
    let maxScan = UInt64(workload.maxScanLength)
    switch workload.scanLengthDistribution {
    case .uniform: scanLengthPrototype = .uniform(UniformGenerator(lowerBound: minScan, upperBound: maxScan))
    case .zipfian: scanLengthPrototype = .zipfian(ZipfianGenerator(min: minScan, max: maxScan, theta: theta))
    }
    let minLength = UInt64(workload.minFieldLength)
    let maxLength = UInt64(workload.fieldLength)
    switch workload.fieldLengthDistribution {
    case .constant: fieldLengthPrototype = .constant(workload.fieldLength)
    case .uniform:
      fieldLengthPrototype = .uniform(UniformGenerator(lowerBound: minLength, upperBound: maxLength))
    case .zipfian:
      fieldLengthPrototype = .zipfian(ZipfianGenerator(min: minLength, max: maxLength, theta: theta))
    }
    operationChooser = DiscreteGenerator(
      workload.operationWeights.map { (weight: $0.weight, value: $0.operation) })
    fieldChooser = UniformGenerator(lowerBound: 0, upperBound: UInt64(workload.fieldCount - 1))
  }
}
