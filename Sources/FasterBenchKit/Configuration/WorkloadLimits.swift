import Foundation
import YCSB

/// The sizes a fasterbench run accepts: a workload beyond them is refused at start-up with the
/// value and the accepted range, instead of overflowing a count, allocating without bound or
/// running for a geological age. CoreWorkload keeps YCSB's own (wider) parsing; these checks are
/// the runner's.
enum WorkloadLimits {
  /// Records a run may hold (load plus run-phase inserts): 2⁴⁰, far beyond any memory or disk here,
  /// and small enough that every count, key number and size derived from it fits in 64 bits.
  static let maximumRecords = 1 << 40
  /// Bytes of one record's value (`fieldcount × fieldlength`): 1 GiB, the largest log page.
  static let maximumValueBytes = 1 << 30
  /// Records one scan reads (`maxscanlength`): each worker keeps a buffer of this many key numbers.
  static let maximumScanLength = 1 << 20

  /// - Throws: ``ConfigurationError`` naming the property, its value, where it was set and the
  ///   accepted range.
  static func check(_ workload: CoreWorkload, record: RecordMode) throws(ConfigurationError) {
    let properties = workload.properties
    func location(_ name: String) -> String { properties.origin(of: name).map { "\($0): " } ?? "" }

    // YCSB's recordcount default (0) silently means 2³¹ - 1 records: many gigabytes.
    let recordText = properties["recordcount"]?.trimmingCharacters(in: .whitespaces)
    if recordText == nil || Int(recordText!) == 0 {
      throw ConfigurationError(
        "\(location("recordcount"))recordcount is \(recordText == nil ? "not set" : "0"): YCSB would then "
          + "load 2147483647 records (hundreds of GB); set the number of records to load, e.g. -p recordcount=100000"
      )
    }
    if workload.recordCount > maximumRecords {
      throw .outOfRange(
        "recordcount", String(workload.recordCount),
        accepted: "an integer from 1 to \(maximumRecords) (2^40)",
        in: properties)
    }
    if record == .ycsb {
      if workload.fieldLength == 0 {
        throw .outOfRange(
          "fieldlength", "0",
          accepted:
            "an integer from 1 to \(maximumValueBytes) bytes (the ycsb record mode stores every field; "
            + "faster.record=compact ignores fieldlength)", in: properties)
      }
      let (valueBytes, overflow) = workload.fieldCount.multipliedReportingOverflow(by: workload.fieldLength)
      if overflow || valueBytes > maximumValueBytes {
        let name = properties["fieldlength"] != nil ? "fieldlength" : "fieldcount"
        throw .outOfRange(
          name, properties[name] ?? "",
          accepted: "fieldcount × fieldlength (here \(workload.fieldCount) × \(workload.fieldLength)) "
            + "of at most \(maximumValueBytes) bytes (1 GiB, the largest log page)", in: properties)
      }
    }
    // Run-phase inserts add records: recordcount + operationcount × insertproportion must fit.
    let proportions = workload.operationWeights.reduce(0) { $0 + $1.weight }
    let insertShare = proportions > 0 ? workload.insertProportion / proportions : 0
    let runInserts = Double(workload.operationCount) * insertShare
    if Double(workload.recordCount) + runInserts > Double(maximumRecords) {
      throw .outOfRange(
        "operationcount", String(workload.operationCount),
        accepted: "at most \(maximumRecords) records in all: recordcount (\(workload.recordCount)) plus the "
          + "run's inserts (operationcount × insert share \(LatencyFormat.twoDecimals(insertShare))); "
          + "lower operationcount, or bound the run with maxexecutiontime", in: properties)
    }
    if workload.scanProportion > 0 || properties["maxscanlength"] != nil,
      workload.maxScanLength > maximumScanLength
    {
      throw .outOfRange(
        "maxscanlength", String(workload.maxScanLength),
        accepted: "an integer from minscanlength (\(workload.minScanLength)) to \(maximumScanLength)",
        in: properties)
    }
  }
}
