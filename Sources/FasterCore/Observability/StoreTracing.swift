import Tracing

/// Trace spans around the store's long operations (checkpoint, recovery, compaction),
/// through apple/swift-distributed-tracing. Without a tracer bootstrapped
/// (`InstrumentationSystem.bootstrap`), the tracer is the no-op one: a span is an empty
/// value and each call below does nothing. Never used per operation.
enum StoreTracing {
  /// Starts a span named `name` in the current task's context (a child of the caller's
  /// span, if any).
  static func start(_ name: String) -> StoreSpan {
    StoreSpan(span: startSpan(name))
  }
}

/// One span of `StoreTracing`: ended exactly once by its owner (`defer { span.end() }`).
struct StoreSpan {
  let span: any Span

  func end() { span.end() }

  /// Marks the span failed, with the error's description.
  func fail(_ error: any Error) {
    span.recordError(error)
    span.setStatus(SpanStatus(code: .error, message: "\(error)"))
  }

  func attribute(_ key: String, _ value: Int) {
    span.attributes[key] = value
  }
}
