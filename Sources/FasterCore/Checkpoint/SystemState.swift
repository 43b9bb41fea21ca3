/// The store's system state word (CPR): the checkpoint phase and the current version,
/// packed into one 64-bit word that sessions load once per refresh.
///
///     63      56 55                      0
///     [ phase  ][ version                ]
///
/// Phases of one checkpoint of version v (the driver is `FasterKV+Checkpoint.swift`):
/// - `rest(v)`: no checkpoint; every session is in v (or moves there at its next refresh).
/// - `inProgress(v + 1)`: sessions move to v + 1 at their next refresh (recording their
///   commit point); some are still in v. A v + 1 session must not change a v record in
///   place (a v session may still be writing it): its RMW refreshes and retries, its
///   upsert and delete append. A v session meeting a v + 1 record moves to v + 1 first
///   (the CPR shift) so no v operation depends on a v + 1 one.
/// - `waitFlush(v + 1)`: every session is in v + 1; the version boundary (final address)
///   is fixed and the log below it is made durable (fold-over) or copied (snapshot). v
///   records are still not updated in place: an RMW copies them to the tail.
/// - back to `rest(v + 1)` once the checkpoint's metadata is durable.
@frozen
@usableFromInline
struct SystemState: Equatable {
  @usableFromInline let rawValue: UInt64

  @frozen
  @usableFromInline
  enum Phase: UInt64 {
    case rest = 0
    case inProgress = 1
    case waitFlush = 2
  }

  @inlinable init(rawValue: UInt64) { self.rawValue = rawValue }

  @inlinable init(phase: Phase, version: UInt64) {
    rawValue = phase.rawValue << 56 | (version & ((1 << 56) - 1))
  }

  @inlinable var phase: Phase { Phase(rawValue: rawValue >> 56) ?? .rest }
  @inlinable var version: UInt64 { rawValue & ((1 << 56) - 1) }
}
