/// YCSB's CoreWorkload properties, parsed and validated, with YCSB's defaults.
///
/// Every value is checked when the workload is built, so a bad file fails at start-up with a
/// `WorkloadError` naming the property, the value and the accepted form, never mid-run.
/// Where YCSB silently accepts nonsense (a negative proportion, `readallfields=yes` read as false,
/// an empty hot set) this type rejects it; where YCSB has a quirk that shapes the key stream
/// (recordcount 0 meaning 2^31 - 1, the raw insertproportion in expected new keys) it is kept.
///
/// `faster.*` properties are left for the runner; other names outside `knownPropertyNames` are
/// not an error (YCSB passes unknown properties through).
///
/// Thread safety: an immutable value.
public struct CoreWorkload: Sendable, Equatable {
  /// The properties the workload was built from (the runner reads `faster.*` from here).
  public let properties: Properties

  /// `table` (usertable).
  public let table: String
  /// `recordcount`: records in the store after the load phase. A file's 0 (the default) becomes
  /// 2^31 - 1 (Int32.max), as in YCSB.
  public let recordCount: Int
  /// `operationcount`: transaction-phase operations over all threads; 0 = unbounded (then
  /// `maxexecutiontime` ends the run).
  public let operationCount: Int
  /// `insertstart`: the first key number the load phase inserts (0).
  public let insertStart: Int
  /// `insertcount`: records the load phase inserts (recordcount - insertstart).
  public let insertCount: Int
  /// `fieldcount` (10), at least 1.
  public let fieldCount: Int
  /// `fieldlength` (100): bytes per field, or the largest length for non-constant distributions.
  public let fieldLength: Int
  /// `minfieldlength` (1): the smallest length for uniform and zipfian field lengths.
  public let minFieldLength: Int
  /// `fieldlengthdistribution` (constant).
  public let fieldLengthDistribution: FieldLengthDistribution
  /// `fieldnameprefix` (field): fields are named prefix0 ... prefix{fieldcount-1}.
  public let fieldNamePrefix: String
  /// `readallfields` (true).
  public let readAllFields: Bool
  /// `readallfieldsbyname` (false).
  public let readAllFieldsByName: Bool
  /// `writeallfields` (false): updates and read-modify-writes write every field, not one.
  public let writeAllFields: Bool
  /// `dataintegrity` (false): values are derived from key and field so reads can be verified.
  public let dataIntegrity: Bool

  /// `readproportion` (0.95). Weights as written; `operationWeights` lists the ones in use.
  public let readProportion: Double
  /// `updateproportion` (0.05).
  public let updateProportion: Double
  /// `insertproportion` (0).
  public let insertProportion: Double
  /// `scanproportion` (0).
  public let scanProportion: Double
  /// `readmodifywriteproportion` (0).
  public let readModifyWriteProportion: Double

  /// `requestdistribution` (uniform).
  public let requestDistribution: RequestDistribution
  /// `zipfianconstant` (0.99): theta of every zipfian this workload builds (request keys, latest,
  /// zipfian scan and field lengths). YCSB hard-codes 0.99; with 0.99 the streams are YCSB's.
  public let zipfianConstant: Double
  /// `insertorder` (hashed): true = key names use the FNV-1a hash of the key number.
  public let insertOrderHashed: Bool
  /// `zeropadding` (1): key-name digits are left-padded with zeros to this width.
  public let zeroPadding: Int
  /// `minscanlength` (1).
  public let minScanLength: Int
  /// `maxscanlength` (1000).
  public let maxScanLength: Int
  /// `scanlengthdistribution` (uniform).
  public let scanLengthDistribution: ScanLengthDistribution
  /// `hotspotdatafraction` (0.2).
  public let hotspotDataFraction: Double
  /// `hotspotopnfraction` (0.8).
  public let hotspotOperationFraction: Double
  /// `exponential.percentile` (95).
  public let exponentialPercentile: Double
  /// `exponential.frac` (0.8571428571).
  public let exponentialFraction: Double

  /// `threadcount` (1): client threads.
  public let threadCount: Int
  /// `target` (0 = unthrottled): operations per second over all threads.
  public let targetOperationsPerSecond: Double
  /// `maxexecutiontime` (0 = unbounded): seconds after which the run stops.
  public let maxExecutionTimeSeconds: Int
  /// `seed` (absent): the seed of every random stream; the runner picks and prints one if nil.
  public let seed: UInt64?
  /// `core_workload_insertion_retry_limit` (0).
  public let insertionRetryLimit: Int
  /// `core_workload_insertion_retry_interval` (3 seconds).
  public let insertionRetryIntervalSeconds: Int
  /// `core_workload_insertion_keep_going_on_error` (false).
  public let insertionKeepGoingOnError: Bool

  /// Inserts the zipfian key space is sized for: Int(operationcount * insertproportion * 2),
  /// with the raw (not normalised) insertproportion, as YCSB computes it.
  public let expectedNewKeys: Int

  /// Parses and validates the CoreWorkload properties in `properties`.
  public init(properties: Properties) throws(WorkloadError) {
    let reader = PropertyReader(properties: properties)
    self.properties = properties

    try reader.checkWorkloadClass()
    table = reader.string("table", default: "usertable")
    fieldCount = try reader.integer("fieldcount", default: 10, minimum: 1)
    fieldLength = try reader.integer("fieldlength", default: 100, minimum: 0)
    minFieldLength = try reader.integer("minfieldlength", default: 1, minimum: 0)
    fieldLengthDistribution = try reader.fieldLengthDistribution()
    fieldNamePrefix = reader.string("fieldnameprefix", default: "field")
    readAllFields = try reader.boolean("readallfields", default: true)
    readAllFieldsByName = try reader.boolean("readallfieldsbyname", default: false)
    writeAllFields = try reader.boolean("writeallfields", default: false)
    dataIntegrity = try reader.boolean("dataintegrity", default: false)

    let recordCountValue = try reader.integer("recordcount", default: 0, minimum: 0)
    recordCount = recordCountValue == 0 ? Int(Int32.max) : recordCountValue
    operationCount = try reader.integer("operationcount", default: 0, minimum: 0)
    insertStart = try reader.integer("insertstart", default: 0, minimum: 0)
    insertCount = try reader.integer(
      "insertcount", default: Swift.max(0, recordCount - insertStart), minimum: 0)

    readProportion = try reader.proportion("readproportion", default: 0.95)
    updateProportion = try reader.proportion("updateproportion", default: 0.05)
    insertProportion = try reader.proportion("insertproportion", default: 0)
    scanProportion = try reader.proportion("scanproportion", default: 0)
    readModifyWriteProportion = try reader.proportion("readmodifywriteproportion", default: 0)

    requestDistribution = try reader.requestDistribution()
    zipfianConstant = try reader.zipfianConstant()
    insertOrderHashed = try reader.insertOrderHashed()
    zeroPadding = try reader.integer("zeropadding", default: 1, minimum: 0, maximum: 255)
    minScanLength = try reader.integer("minscanlength", default: 1, minimum: 1)
    maxScanLength = try reader.integer("maxscanlength", default: 1000, minimum: 1)
    scanLengthDistribution = try reader.scanLengthDistribution()
    hotspotDataFraction = try reader.fraction("hotspotdatafraction", default: 0.2)
    hotspotOperationFraction = try reader.fraction("hotspotopnfraction", default: 0.8)
    exponentialPercentile = try reader.exponentialPercentile()
    exponentialFraction = try reader.positiveDouble("exponential.frac", default: 0.8571428571)

    threadCount = try reader.integer("threadcount", default: 1, minimum: 1)
    targetOperationsPerSecond = try reader.nonNegativeDouble("target", default: 0)
    maxExecutionTimeSeconds = try reader.integer("maxexecutiontime", default: 0, minimum: 0)
    seed = try reader.seed()
    insertionRetryLimit = try reader.integer("core_workload_insertion_retry_limit", default: 0, minimum: 0)
    insertionRetryIntervalSeconds = try reader.integer(
      "core_workload_insertion_retry_interval", default: 3, minimum: 0)
    insertionKeepGoingOnError = try reader.boolean(
      "core_workload_insertion_keep_going_on_error", default: false)

    let expected = Double(operationCount) * insertProportion * 2.0
    expectedNewKeys = expected < 0x1p62 ? Int(expected) : Int(1 << 62)

    try validateCombinations(reader)
  }

  /// Builds the workload from a properties file.
  public init(path: String) throws(WorkloadError) {
    try self.init(properties: Properties.load(path: path))
  }

  /// The operations with a positive weight, in YCSB's order, with their weights as written.
  public var operationWeights: [(operation: Operation, weight: Double)] {
    let all: [(Operation, Double)] = [
      (.read, readProportion), (.update, updateProportion), (.insert, insertProportion),
      (.scan, scanProportion), (.readModifyWrite, readModifyWriteProportion),
    ]
    return all.filter { $0.1 > 0 }.map { (operation: $0.0, weight: $0.1) }
  }

  /// The name of field `index` ("field0" ...).
  public func fieldName(_ index: Int) -> String {
    precondition(index >= 0 && index < fieldCount, "field index \(index) outside 0..<\(fieldCount)")
    return fieldNamePrefix + String(index)
  }

  /// The key name of `keyNumber` under this workload's insert order and padding (allocates).
  public func keyName(_ keyNumber: UInt64) -> String {
    KeyNames.name(keyNumber, hashed: insertOrderHashed, zeroPadding: zeroPadding)
  }

  /// Every property name this type reads (for the runner's "unknown property" warning).
  public var knownPropertyNames: Set<String> { CoreWorkload.knownPropertyNames }

  private func validateCombinations(_ reader: PropertyReader) throws(WorkloadError) {
    let (end, overflow) = insertStart.addingReportingOverflow(insertCount)
    if overflow || end > recordCount {
      throw WorkloadError(
        kind: .invalidValue, property: "insertcount", value: String(insertCount),
        location: properties.origin(of: "insertcount") ?? properties.origin(of: "insertstart"),
        message:
          "insertstart (\(insertStart)) + insertcount must not exceed recordcount (\(recordCount))")
    }
    if operationWeights.isEmpty {
      throw WorkloadError(
        kind: .invalidValue, property: "readproportion", value: String(readProportion),
        location: properties.origin(of: "readproportion"),
        message: "the operation proportions (read, update, insert, scan, readmodifywrite) are all 0; "
          + "expected at least one positive weight (weights are normalised to sum to 1)")
    }
    if minScanLength > maxScanLength {
      throw WorkloadError.invalid(
        "minscanlength", String(minScanLength), in: properties,
        accepted: "a value no larger than maxscanlength (\(maxScanLength))")
    }
    if fieldLengthDistribution != .constant && minFieldLength > fieldLength {
      throw WorkloadError.invalid(
        "minfieldlength", String(minFieldLength), in: properties,
        accepted: "a value no larger than fieldlength (\(fieldLength))")
    }
    if dataIntegrity && fieldLengthDistribution != .constant {
      throw WorkloadError.invalid(
        "fieldlengthdistribution", fieldLengthDistribution.rawValue, in: properties,
        accepted: "constant when dataintegrity=true (values must have one length to be verified)")
    }
    let needsExistingKeys =
      readProportion > 0 || updateProportion > 0 || scanProportion > 0 || readModifyWriteProportion > 0
    if needsExistingKeys && insertCount == 0
      && [.uniform, .zipfian, .hotspot, .sequential].contains(requestDistribution)
    {
      throw WorkloadError.invalid(
        "insertcount", "0", in: properties,
        accepted: "at least 1 when reads, updates, scans or read-modify-writes choose among loaded keys")
    }
  }
}
