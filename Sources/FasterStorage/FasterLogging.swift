import Logging

/// The loggers the library uses when the embedding program gives none.
///
/// The library never writes to stdout or stderr: every message goes through a swift-log
/// `Logger` that the program passes in (`FasterKV(options:device:logger:)`,
/// `Devices.open(_:options:logger:)`), so it lands wherever the program's logging backend
/// sends it. Messages are for slow paths only (open and close, device fallbacks and
/// errors, flushes); the per-operation path never logs.
public enum FasterLogging {
  /// The label of the library's loggers.
  public static let label = "faster"

  /// A logger that discards everything (the default): no handler is looked up and no
  /// message is built, since swift-log evaluates a message only when its level is enabled.
  public static let disabled = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
}
