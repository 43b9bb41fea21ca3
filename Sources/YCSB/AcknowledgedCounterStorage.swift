import Synchronization

/// The shared state of an `AcknowledgedCounterGenerator`; owns the raw acknowledgement window.
///
/// Sendable: every field is an atomic or an immutable pointer to atomics; `window` is allocated in
/// `init`, freed in `deinit`, and never reallocated.
@usableFromInline
final class AcknowledgedCounterStorage: @unchecked Sendable {
  static let windowMask = UInt64(AcknowledgedCounterGenerator.windowSize - 1)

  @usableFromInline let counter: Atomic<UInt64>
  /// Largest value v such that every value in [start, v] is acknowledged (start - 1 initially).
  @usableFromInline let limit: Atomic<Int64>
  /// Held (true) by the one thread advancing `limit`; others never wait for it.
  let advancing: Atomic<Bool>
  /// Slot v & windowMask is true from acknowledge(v) until the limit passes v.
  let window: UnsafeMutablePointer<Atomic<Bool>>

  init(start: UInt64) {
    precondition(start <= UInt64(Int64.max), "counter start \(start) exceeds Int64.max")
    counter = Atomic(start)
    limit = Atomic(Int64(start) - 1)
    advancing = Atomic(false)
    window = .allocate(capacity: AcknowledgedCounterGenerator.windowSize)
    for slot in 0..<AcknowledgedCounterGenerator.windowSize {
      (window + slot).initialize(to: Atomic(false))
    }
  }

  deinit {
    window.deinitialize(count: AcknowledgedCounterGenerator.windowSize)
    window.deallocate()
  }

  func acknowledge(_ value: UInt64) {
    let slot = Int(value & Self.windowMask)
    // Safety: slot < windowSize by the mask.
    let alreadySet = window[slot].exchange(true, ordering: .sequentiallyConsistent)
    precondition(
      !alreadySet,
      "too many unacknowledged insert keys: more than \(AcknowledgedCounterGenerator.windowSize) in flight, "
        + "or key \(value) acknowledged twice")
    // Advance the limit if no other thread is doing it. The holder re-checks the next slot after
    // letting go of the lock, so an acknowledgement that lost the try-lock is never stranded
    // (both sides use sequentially consistent operations: store slot / CAS lock versus
    // release lock / load slot).
    while advancing.compareExchange(
      expected: false, desired: true, ordering: .sequentiallyConsistent
    ).exchanged {
      var next = limit.load(ordering: .relaxed) + 1
      var stepCount = 0
      while stepCount < AcknowledgedCounterGenerator.windowSize {
        let nextSlot = Int(UInt64(bitPattern: next) & Self.windowMask)
        guard window[nextSlot].load(ordering: .sequentiallyConsistent) else { break }
        window[nextSlot].store(false, ordering: .sequentiallyConsistent)
        next += 1
        stepCount += 1
      }
      limit.store(next - 1, ordering: .releasing)
      advancing.store(false, ordering: .sequentiallyConsistent)
      let pendingSlot = Int(UInt64(bitPattern: next) & Self.windowMask)
      if !window[pendingSlot].load(ordering: .sequentiallyConsistent) { break }
    }
  }
}
