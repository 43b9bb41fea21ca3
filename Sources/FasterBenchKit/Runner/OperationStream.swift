import YCSB

/// Operations drawn from the thread's generator before a run phase starts, so the timed loop
/// only reads them (`pregenerate=N`), as FASTER's own benchmark reads pre-generated keys.
/// Takes the key chooser and operation chooser out of the per-operation harness cost.
///
/// Each entry packs the operation (top 3 bits) and the key number (low 61 bits). The stream is
/// cycled when the phase runs longer than it. Only for workloads without inserts: a stream drawn
/// in advance cannot follow the insert counter (the key chooser's acknowledged limit).
///
/// Owns its memory; ``deallocate()`` once, when the phase is over.
struct OperationStream {
  static let keyMask: UInt64 = (1 << 61) - 1
  let entries: UnsafeMutableBufferPointer<UInt64>

  /// Draws `count` operations and their keys from `generator`.
  ///
  /// - Precondition: the workload has no inserts; key numbers fit in 61 bits.
  init(count: Int, generator: inout ThreadGenerator) {
    precondition(count > 0, "OperationStream: count must be positive")
    entries = .allocate(capacity: count)
    for index in 0..<count {
      let operation = generator.nextOperation()
      precondition(operation != .insert, "OperationStream: a pre-generated stream cannot hold inserts")
      let keyNumber = generator.nextKeyNumber()
      precondition(
        keyNumber <= Self.keyMask, "OperationStream: key number \(keyNumber) needs more than 61 bits")
      entries[index] = UInt64(operation.rawValue) << 61 | keyNumber
    }
  }

  func deallocate() {
    entries.deallocate()
  }

  @inline(__always)
  static func operation(of entry: UInt64) -> Operation {
    // Entries are built from Operation raw values in init, so the raw value is always valid.
    Operation(rawValue: UInt8(truncatingIfNeeded: entry >> 61)).unsafelyUnwrapped
  }

  @inline(__always)
  static func keyNumber(of entry: UInt64) -> UInt64 {
    entry & keyMask
  }
}
