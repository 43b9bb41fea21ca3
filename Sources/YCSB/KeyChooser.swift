/// The request-key generator a thread uses, chosen by `requestdistribution`.
@usableFromInline
enum KeyChooser: Sendable {
  case uniform(UniformGenerator)
  case zipfian(ScrambledZipfianGenerator)
  case latest(SkewedLatestGenerator)
  case hotspot(HotspotGenerator)
  case sequential(SequentialGenerator)
  case exponential(ExponentialGenerator)
}

/// The scan-length generator, chosen by `scanlengthdistribution`.
@usableFromInline
enum ScanLengthChooser: Sendable {
  case uniform(UniformGenerator)
  case zipfian(ZipfianGenerator)
}

/// The field-length generator, chosen by `fieldlengthdistribution`.
@usableFromInline
enum FieldLengthChooser: Sendable {
  case constant(Int)
  case uniform(UniformGenerator)
  case zipfian(ZipfianGenerator)
}
