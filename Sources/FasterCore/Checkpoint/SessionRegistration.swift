import FasterPlatform

/// A session's entry in the store's session registry: its name and where it stands in the
/// CPR protocol, shared by the session (at version changes, suspend and end: never per
/// operation) and the checkpoint driver.
///
/// Thread safety: every field is under `fields`' lock.
@usableFromInline
final class SessionRegistration: @unchecked Sendable {
  struct Fields {
    /// The version the session is in.
    var version: UInt64
    /// Set while the session is suspended (not epoch-protected) or ended: its last serial
    /// and pending serials then, so the driver can move it to the next version itself.
    var idlePoint: SessionCommitPoint?
    var ended = false
    /// The commit point recorded when the session left `commitVersion`.
    var commitPoint: SessionCommitPoint?
    var commitVersion: UInt64 = 0
  }

  let name: String?
  let fields: ControlLock<Fields>
  /// Serials of the session's queued pending operations (session thread only).
  var pendingSerials: Set<UInt64> = []

  init(name: String?, version: UInt64) {
    self.name = name
    fields = ControlLock(Fields(version: version))
  }

  /// Moves the registration from a version below `version` to `version`, recording
  /// `point` as the commit point of the version left. Returns false if it already was
  /// there (the driver moved it while the session was idle).
  static func advance(_ fields: inout Fields, to version: UInt64, point: SessionCommitPoint) -> Bool {
    guard fields.version < version else { return false }
    fields.commitPoint = point
    fields.commitVersion = version - 1
    fields.version = version
    return true
  }
}
