/// Reads typed CoreWorkload properties, turning each bad value into a `WorkloadError` that names
/// the property, the value, where it was written and what is accepted.
struct PropertyReader {
  let properties: Properties

  func string(_ name: String, default defaultValue: String) -> String {
    properties[name] ?? defaultValue
  }

  func integer(_ name: String, default defaultValue: Int, minimum: Int, maximum: Int = Int.max)
    throws(WorkloadError) -> Int
  {
    guard let text = properties[name] else { return defaultValue }
    guard let value = Int(text), value >= minimum, value <= maximum else {
      let accepted =
        maximum == Int.max
        ? "an integer from \(minimum) to \(Int.max)"
        : "an integer from \(minimum) to \(maximum)"
      if let number = Double(text), number < 0 {
        // The usual slip (and what a command-line parser reports as a missing value): say it first.
        throw WorkloadError(
          kind: .invalidValue, property: name, value: text, location: properties.origin(of: name),
          message: "must be ≥ \(minimum); expected \(accepted)")
      }
      throw WorkloadError.invalid(name, text, in: properties, accepted: accepted)
    }
    return value
  }

  func double(_ name: String, default defaultValue: Double, accepted: String, valid: (Double) -> Bool)
    throws(WorkloadError) -> Double
  {
    guard let text = properties[name] else { return defaultValue }
    guard let value = Double(text), value.isFinite, valid(value) else {
      throw WorkloadError.invalid(name, text, in: properties, accepted: accepted)
    }
    return value
  }

  func proportion(_ name: String, default defaultValue: Double) throws(WorkloadError) -> Double {
    try double(
      name, default: defaultValue,
      accepted: "a non-negative number (a weight; the five proportions are normalised to sum to 1)"
    ) { $0 >= 0 }
  }

  func fraction(_ name: String, default defaultValue: Double) throws(WorkloadError) -> Double {
    try double(name, default: defaultValue, accepted: "a number from 0 to 1") { (0...1).contains($0) }
  }

  func positiveDouble(_ name: String, default defaultValue: Double) throws(WorkloadError) -> Double {
    try double(name, default: defaultValue, accepted: "a number > 0") { $0 > 0 }
  }

  func nonNegativeDouble(_ name: String, default defaultValue: Double) throws(WorkloadError) -> Double {
    try double(name, default: defaultValue, accepted: "a number >= 0") { $0 >= 0 }
  }

  func boolean(_ name: String, default defaultValue: Bool) throws(WorkloadError) -> Bool {
    guard let text = properties[name] else { return defaultValue }
    switch text.lowercased() {
    case "true": return true
    case "false": return false
    default: throw WorkloadError.invalid(name, text, in: properties, accepted: "true or false")
    }
  }

  func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Choice)
    throws(WorkloadError) -> Choice where Choice.RawValue == String
  {
    guard let text = properties[name] else { return defaultValue }
    guard let value = Choice(rawValue: text) else {
      let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
      throw WorkloadError.invalid(name, text, in: properties, accepted: "one of: \(names)")
    }
    return value
  }

  func requestDistribution() throws(WorkloadError) -> RequestDistribution {
    try choice("requestdistribution", default: RequestDistribution.uniform)
  }

  func scanLengthDistribution() throws(WorkloadError) -> ScanLengthDistribution {
    try choice("scanlengthdistribution", default: ScanLengthDistribution.uniform)
  }

  func fieldLengthDistribution() throws(WorkloadError) -> FieldLengthDistribution {
    if properties["fieldlengthdistribution"] == "histogram" {
      throw WorkloadError(
        kind: .unsupported, property: "fieldlengthdistribution", value: "histogram",
        location: properties.origin(of: "fieldlengthdistribution"),
        message:
          "field lengths from a histogram file are not implemented; expected constant, uniform or zipfian")
    }
    return try choice("fieldlengthdistribution", default: FieldLengthDistribution.constant)
  }

  func zipfianConstant() throws(WorkloadError) -> Double {
    try double(
      "zipfianconstant", default: ZipfianGenerator.defaultTheta,
      accepted: "a number in (0, 1) or > 1 (theta; 1 itself is not allowed)"
    ) { $0 > 0 && $0 != 1 }
  }

  func exponentialPercentile() throws(WorkloadError) -> Double {
    try double("exponential.percentile", default: 95, accepted: "a number strictly between 0 and 100") {
      $0 > 0 && $0 < 100
    }
  }

  func insertOrderHashed() throws(WorkloadError) -> Bool {
    guard let text = properties["insertorder"] else { return true }
    switch text {
    case "hashed": return true
    case "ordered": return false
    default: throw WorkloadError.invalid("insertorder", text, in: properties, accepted: "hashed or ordered")
    }
  }

  func seed() throws(WorkloadError) -> UInt64? {
    guard let text = properties["seed"] else { return nil }
    let value: UInt64?
    if text.hasPrefix("0x") || text.hasPrefix("0X") {
      value = UInt64(text.dropFirst(2), radix: 16)
    } else {
      value = UInt64(text)
    }
    guard let value else {
      throw WorkloadError.invalid(
        "seed", text, in: properties, accepted: "an unsigned 64-bit integer (decimal, or hexadecimal with 0x)"
      )
    }
    return value
  }

  func checkWorkloadClass() throws(WorkloadError) {
    guard let text = properties["workload"] else { return }
    guard CoreWorkload.acceptedWorkloadClasses.contains(text) else {
      throw WorkloadError(
        kind: .unsupported, property: "workload", value: text, location: properties.origin(of: "workload"),
        message: "only YCSB's CoreWorkload is implemented; expected site.ycsb.workloads.CoreWorkload")
    }
  }
}
