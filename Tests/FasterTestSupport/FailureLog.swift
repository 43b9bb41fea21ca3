/// Messages recorded from worker threads, read once they are joined.
///
/// Thread safety: that is its purpose.
public final class FailureLog: Sendable {
  private let stored = Shared<[String]>([])

  public init() {}

  public func record(_ message: String) { stored.withLock { $0.append(message) } }

  public var messages: [String] { stored.withLock { $0 } }
}
