extension FasterKV {
  /// Reads `statistics` now and updates `metrics` from it (gauges set, counters advanced
  /// by what happened since the previous report). Off the operations' path: call it from
  /// a timer or a scrape handler, not per operation (it reads /proc/self/smaps for the
  /// huge-page figure).
  public func reportMetrics(to metrics: FasterKVMetrics) {
    metrics.record(statistics, deviceFailed: lastDeviceError != nil)
  }
}
