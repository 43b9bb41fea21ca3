#if canImport(Glibc)
  import Glibc
#endif

/// Nanoseconds from `clock_gettime(CLOCK_MONOTONIC)`: never goes backwards, unaffected by
/// wall-clock changes, about 20 ns per call. The zero point is arbitrary (usually boot).
///
/// Thread safety: safe from any thread.
@inlinable
public func monotonicNanoseconds() -> UInt64 {
  var time = timespec()
  // Safety: `time` is a live local; CLOCK_MONOTONIC is always supported on Linux, so the call
  // cannot fail with a valid pointer.
  clock_gettime(CLOCK_MONOTONIC, &time)
  return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}
