/// Where a session stands in a checkpoint (CPR's commit point): recovery restores every
/// operation of the session with a serial number up to `serial` except `pendingSerials`,
/// and none after.
public struct SessionCommitPoint: Sendable, Equatable, Codable {
  /// The name given to `FasterKV.newSession(name:)`.
  public var sessionName: String
  /// The serial number of the session's last operation in the checkpoint's version.
  public var serial: UInt64
  /// Serials <= `serial` of operations that were still pending when the session moved to
  /// the next version: they complete in the next version and are not in the checkpoint.
  public var pendingSerials: [UInt64]

  public init(sessionName: String, serial: UInt64, pendingSerials: [UInt64] = []) {
    self.sessionName = sessionName
    self.serial = serial
    self.pendingSerials = pendingSerials
  }
}
