#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A hash map split into `stripeCount` Swift dictionaries, each behind its own mutex
/// (`pthread_mutex_t`: a futex, one compare-and-swap when uncontended), each on
/// its own 128-byte span (two cache lines, so adjacent stripes never share a line even with the
/// adjacent-line prefetcher). The baseline store: what a careful Swift programmer writes without
/// a specialised engine.
///
/// The one place a mutex is not the library's `PThreadLock`: here it is part of the measured
/// design, inline in its stripe (a `PThreadLock` keeps its mutex in an allocation of its own),
/// so a stripe's lock and dictionary header share its lines, as a hand-written map would.
///
/// Thread safety: every method may be called from any thread; a stripe's dictionary is only
/// touched under its mutex.
final class StripedDictionary<Key: StripeHashable, Value>: @unchecked Sendable {
  // @unchecked Sendable: a stripe's dictionary is only touched between locking and unlocking
  // its mutex (`withStripe`, `count`).
  struct Stripe {
    var mutex: pthread_mutex_t
    var dictionary: [Key: Value]
  }

  static var stripeStrideBytes: Int { max(128, (MemoryLayout<Stripe>.stride + 127) & ~127) }

  let stripeCount: Int
  private let stripeMask: UInt64
  /// Owned raw memory holding `stripeCount` initialised stripes at `stripeStrideBytes` apart.
  private let stripes: UnsafeMutableRawPointer

  /// - Precondition: `stripeCount` is a power of two.
  init(stripeCount: Int = 64, expectedCount: Int = 0) {
    precondition(
      stripeCount > 0 && stripeCount & (stripeCount - 1) == 0, "stripeCount must be a power of two")
    self.stripeCount = stripeCount
    stripeMask = UInt64(stripeCount - 1)
    stripes = UnsafeMutableRawPointer.allocate(
      byteCount: stripeCount * Self.stripeStrideBytes, alignment: 128)
    let perStripe = expectedCount / stripeCount + 1
    for index in 0..<stripeCount {
      // Safety: slot `index` lies inside the allocation and is not yet initialised.
      let stripe = (stripes + index * Self.stripeStrideBytes).bindMemory(to: Stripe.self, capacity: 1)
      stripe.initialize(
        to: Stripe(mutex: pthread_mutex_t(), dictionary: [Key: Value](minimumCapacity: perStripe)))
      // The mutex is initialised in place: a pthread mutex must not move once initialised.
      let result = pthread_mutex_init(&stripe.pointee.mutex, nil)
      precondition(result == 0, "pthread_mutex_init failed: \(result)")
    }
  }

  deinit {
    for index in 0..<stripeCount {
      // Safety: every slot was initialised in init and is deinitialised exactly once here.
      let stripe = (stripes + index * Self.stripeStrideBytes).assumingMemoryBound(to: Stripe.self)
      pthread_mutex_destroy(&stripe.pointee.mutex)
      stripe.deinitialize(count: 1)
    }
    stripes.deallocate()
  }

  @inline(__always)
  private func stripe(for key: Key) -> UnsafeMutablePointer<Stripe> {
    let index = Int(truncatingIfNeeded: key.stripeHash & stripeMask)
    // Safety: index < stripeCount, and the slot holds an initialised stripe for self's lifetime.
    return (stripes + index &* Self.stripeStrideBytes).assumingMemoryBound(to: Stripe.self)
  }

  /// Runs `body` on the dictionary holding `key`, under that stripe's lock.
  @inline(__always)
  func withStripe<Result>(for key: Key, _ body: (inout [Key: Value]) -> Result) -> Result {
    let stripe = stripe(for: key)
    pthread_mutex_lock(&stripe.pointee.mutex)
    defer { pthread_mutex_unlock(&stripe.pointee.mutex) }
    return body(&stripe.pointee.dictionary)
  }

  /// The number of entries (takes every lock in turn: not for the hot path).
  var count: Int {
    var total = 0
    for index in 0..<stripeCount {
      let stripe = (stripes + index * Self.stripeStrideBytes).assumingMemoryBound(to: Stripe.self)
      pthread_mutex_lock(&stripe.pointee.mutex)
      total += stripe.pointee.dictionary.count
      pthread_mutex_unlock(&stripe.pointee.mutex)
    }
    return total
  }
}

/// A key that can pick its stripe cheaply, without a second full hash.
protocol StripeHashable: Hashable {
  var stripeHash: UInt64 { get }
}

extension UInt64: StripeHashable {
  @inline(__always)
  var stripeHash: UInt64 {
    // The high bits of a Fibonacci multiply: sequential key numbers spread over the stripes.
    (self &* 0x9E37_79B9_7F4A_7C15) >> 40
  }
}
