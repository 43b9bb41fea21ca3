extension FasterLog {
  /// The addresses, commit counts and latency and device counters, read now.
  public var statistics: FasterLogStatistics {
    FasterLogStatistics(
      beginAddress: beginAddress.rawValue, headAddress: headAddress.rawValue,
      committedUntilAddress: committedUntilAddress.rawValue,
      flushedUntilAddress: flushedUntilAddress.rawValue,
      tailAddress: tailAddress.rawValue, commits: commitTotals.commits, commitFailures: commitTotals.failures,
      lastCommitError: commitTotals.lastError, commitLatency: commitTotals.latency.summary(),
      device: device.name,
      deviceStatistics: device.statistics)
  }

  /// Reads `statistics` now and updates `metrics` from it (gauges set, counters advanced
  /// by the increase since the previous report). Call it from a timer or a scrape
  /// handler; enqueue and commit never touch a metric.
  public func reportMetrics(to metrics: FasterLogMetrics) {
    metrics.record(statistics)
  }
}
