/// A shared, locked value that escaping closures can capture (on a pthread mutex, which the
/// thread sanitizer understands).
///
/// Thread safety: `value` is only touched inside `withLock`.
public final class Shared<Value>: @unchecked Sendable {
  // @unchecked Sendable: `value` is guarded by `lock`.
  private let lock = TestLock()
  private var value: Value

  public init(_ value: Value) { self.value = value }

  public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    try lock.withLock { try body(&value) }
  }
}
