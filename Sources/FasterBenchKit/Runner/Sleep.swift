#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thread sleeps for the runner's waits (start barrier, throttling, status loop).
enum Sleep {
  static func microseconds(_ count: Int) {
    nanoseconds(UInt64(max(0, count)) &* 1000)
  }

  static func nanoseconds(_ duration: UInt64) {
    var request = timespec(tv_sec: Int(duration / 1_000_000_000), tv_nsec: Int(duration % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
      request = remaining
    }
  }
}
