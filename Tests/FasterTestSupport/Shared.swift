import FasterPlatform

/// A shared, locked value that escaping closures can capture: the library's own
/// `ControlLock` (a pthread mutex, which the thread sanitizer understands).
public typealias Shared<Value> = ControlLock<Value>
