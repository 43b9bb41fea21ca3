import YCSB

/// The look-ahead of one worker under `faster.batch=N`: the next N operations of its stream,
/// drawn before they are timed, with their keys, payloads and, once run, their statuses.
///
/// Allocated once per phase (N slots, and N records of `valueBytes` for the payloads of ycsb
/// records), so drawing and running a window allocates nothing. Owns its memory;
/// ``deallocate()`` once, when the phase is over.
struct BatchWindow {
  let capacity: Int
  let operations: UnsafeMutableBufferPointer<Operation>
  let keyNumbers: UnsafeMutableBufferPointer<UInt64>
  /// The keys of the window's reads, updates and read-modify-writes, for a mixed window's prefetch.
  let prefetchKeyNumbers: UnsafeMutableBufferPointer<UInt64>
  let payloads: UnsafeMutableBufferPointer<RecordPayload>
  let statuses: UnsafeMutableBufferPointer<BindingStatus>
  /// Slot `i`'s record (`recordBytes`, as the single-operation loop's buffer) at `i * recordStride`.
  let records: UnsafeMutableRawBufferPointer
  let recordBytes: Int
  let recordStride: Int

  init(capacity: Int, valueBytes: Int) {
    precondition(capacity >= 1, "BatchWindow: capacity must be positive")
    self.capacity = capacity
    recordBytes = max(8, valueBytes)
    recordStride = (recordBytes + 7) & ~7
    operations = .allocate(capacity: capacity)
    operations.initialize(repeating: .read)
    keyNumbers = .allocate(capacity: capacity)
    keyNumbers.initialize(repeating: 0)
    prefetchKeyNumbers = .allocate(capacity: capacity)
    prefetchKeyNumbers.initialize(repeating: 0)
    statuses = .allocate(capacity: capacity)
    statuses.initialize(repeating: .ok)
    records = .allocate(byteCount: capacity * recordStride, alignment: 8)
    records.initializeMemory(as: UInt8.self, repeating: 0)
    payloads = .allocate(capacity: capacity)
    for slot in 0..<capacity {
      payloads.initializeElement(
        at: slot,
        to: RecordPayload(
          value: 0, record: UnsafeRawBufferPointer(record(slot)), fieldIndex: -1, fieldLength: 0))
    }
  }

  /// Slot `slot`'s record buffer (`recordBytes`).
  @inline(__always)
  func record(_ slot: Int) -> UnsafeMutableRawBufferPointer {
    let start = slot &* recordStride
    return UnsafeMutableRawBufferPointer(rebasing: records[start..<(start &+ recordBytes)])
  }

  func deallocate() {
    operations.deallocate()
    keyNumbers.deallocate()
    prefetchKeyNumbers.deallocate()
    payloads.deallocate()
    statuses.deallocate()
    records.deallocate()
  }
}
