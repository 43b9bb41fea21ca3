import Foundation

/// Small inline SVG charts for the HTML reports: line charts (linear or log axes) and grouped
/// horizontal bars with whiskers. No scripts, no network: the page renders from the file alone.
public enum SVGChart {
  /// One line of a line chart.
  public struct Line: Sendable {
    public var name: String
    public var color: String
    public var points: [(x: Double, y: Double)]
    public var dashed = false
    public var opacity = 1.0

    public init(
      name: String, color: String, points: [(x: Double, y: Double)], dashed: Bool = false, opacity: Double = 1
    ) {
      self.name = name
      self.color = color
      self.points = points
      self.dashed = dashed
      self.opacity = opacity
    }
  }

  /// A vertical mark at an x value across the plot (e.g. a checkpoint on a time series),
  /// with a tooltip.
  public struct Mark: Sendable {
    public var x: Double
    public var color: String
    public var label: String

    public init(x: Double, color: String, label: String) {
      self.x = x
      self.color = color
      self.label = label
    }
  }

  /// An axis: its label, scale and how ticks are written.
  public struct Axis: Sendable {
    public var label: String
    public var logarithmic = false
    /// Fixed ticks (value, text); computed when nil.
    public var ticks: [(value: Double, text: String)]? = nil
    public var format: @Sendable (Double) -> String = { GateFormat.compact($0) }
    /// Forces the range to include this value (e.g. 0 for throughput).
    public var includes: Double? = nil

    public init(
      label: String, logarithmic: Bool = false, ticks: [(value: Double, text: String)]? = nil,
      includes: Double? = nil, format: @escaping @Sendable (Double) -> String = { GateFormat.compact($0) }
    ) {
      self.label = label
      self.logarithmic = logarithmic
      self.ticks = ticks
      self.includes = includes
      self.format = format
    }
  }

  /// One bar of a bar group: median with a whisker from `low` to `high`.
  public struct Bar: Sendable {
    public var name: String
    public var color: String
    public var value: Double
    public var low: Double
    public var high: Double

    public init(name: String, color: String, value: Double, low: Double, high: Double) {
      self.name = name
      self.color = color
      self.value = value
      self.low = low
      self.high = high
    }
  }

  static let palette = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
  ]
  static let baselineColor = "#7f7f7f"

  /// A color for the i-th series.
  public static func color(_ index: Int) -> String { palette[index % palette.count] }

  /// A line chart, `width` x `height` pixels.
  public static func lines(
    title: String, lines: [Line], x: Axis, y: Axis, marks: [Mark] = [], width: Int = 560, height: Int = 300
  ) -> String {
    let left = 70.0
    let right = 28.0
    let top = 28.0
    let bottom = 44.0
    let legendItems = lines.filter { !$0.name.isEmpty }.map { ($0.name, $0.color, $0.dashed) }
    let legendHeight = Double((legendItems.count + 1) / 2) * 16
    let plotWidth = Double(width) - left - right
    let plotHeight = Double(height) - top - bottom
    let all = lines.flatMap(\.points).filter {
      $0.x.isFinite && $0.y.isFinite && (!x.logarithmic || $0.x > 0)
    }
    .filter { !y.logarithmic || $0.y > 0 }
    var svg = header(width: width, height: Int(Double(height) + legendHeight), title: title)
    guard !all.isEmpty else {
      svg += text(left + plotWidth / 2, top + plotHeight / 2, "no data", anchor: "middle")
      return svg + "</svg>"
    }
    let xRange = range(all.map(\.x), axis: x)
    let yRange = range(all.map(\.y), axis: y)
    let xMap = mapper(xRange, axis: x, from: left, to: left + plotWidth)
    let yMap = mapper(yRange, axis: y, from: top + plotHeight, to: top)
    svg += frame(left: left, top: top, width: plotWidth, height: plotHeight)
    for tick in x.ticks ?? ticks(xRange, axis: x) where tick.value >= xRange.0 && tick.value <= xRange.1 {
      let position = xMap(tick.value)
      svg += gridLine(position, top, position, top + plotHeight)
      svg += text(position, top + plotHeight + 14, tick.text, anchor: "middle")
    }
    for tick in y.ticks ?? ticks(yRange, axis: y) where tick.value >= yRange.0 && tick.value <= yRange.1 {
      let position = yMap(tick.value)
      svg += gridLine(left, position, left + plotWidth, position)
      svg += text(left - 4, position + 4, tick.text, anchor: "end")
    }
    svg += text(left + plotWidth / 2, top + plotHeight + 32, x.label, anchor: "middle")
    svg +=
      "<text transform=\"translate(14,\(format(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" "
      + "font-size=\"11\">\(escape(y.label))</text>"
    for mark in marks where mark.x.isFinite && mark.x >= xRange.0 && mark.x <= xRange.1 {
      let position = format(xMap(mark.x))
      svg +=
        "<line class=\"mark\" x1=\"\(position)\" y1=\"\(format(top))\" x2=\"\(position)\" y2=\"\(format(top + plotHeight))\" "
        + "stroke=\"\(mark.color)\" stroke-width=\"1\" stroke-dasharray=\"2,2\"><title>\(escape(mark.label))</title></line>"
    }
    for line in lines {
      let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
        .filter { (!x.logarithmic || $0.x > 0) && (!y.logarithmic || $0.y > 0) }
      guard !points.isEmpty else { continue }
      let path = points.map { "\(format(xMap($0.x))),\(format(yMap($0.y)))" }.joined(separator: " ")
      let dash = line.dashed ? " stroke-dasharray=\"5,3\"" : ""
      svg +=
        "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.6\" stroke-opacity=\"\(line.opacity)\"\(dash) "
        + "points=\"\(path)\"><title>\(escape(line.name))</title></polyline>"
      if points.count == 1 {
        svg +=
          "<circle cx=\"\(format(xMap(points[0].x)))\" cy=\"\(format(yMap(points[0].y)))\" r=\"3\" fill=\"\(line.color)\"/>"
      }
    }
    svg += legend(legendItems, top: Double(height) + legendHeight - 4, width: Double(width))
    return svg + "</svg>"
  }

  /// Horizontal bars, one group per label, each bar with a min–max whisker, scaled per group so
  /// workloads of very different speeds each fill the width.
  public static func barGroups(
    title: String, groups: [(label: String, bars: [Bar])], unit: String, width: Int = 760
  ) -> String {
    let left = 150.0
    let right = 90.0
    let barHeight = 12.0
    let gap = 10.0
    let legendNames = groups.flatMap { $0.bars.map { ($0.name, $0.color) } }
    var seen: Set<String> = []
    let legendItems = legendNames.filter { seen.insert($0.0).inserted }.map { ($0.0, $0.1, false) }
    let groupHeight = { (count: Int) in Double(count) * (barHeight + 2) + gap }
    let plotHeight = groups.map { groupHeight($0.bars.count) }.reduce(0, +)
    let legendHeight = Double((legendItems.count + 1) / 2) * 16
    let height = 28 + plotHeight + 20 + legendHeight
    var svg = header(width: width, height: Int(height), title: title)
    let plotWidth = Double(width) - left - right
    var y = 28.0
    for group in groups {
      let scale = max(group.bars.map { max($0.high, $0.value) }.max() ?? 1, 1e-9)
      svg += text(left - 6, y + groupHeight(group.bars.count) / 2, group.label, anchor: "end")
      for bar in group.bars {
        let length = plotWidth * max(0, bar.value) / scale
        svg +=
          "<rect x=\"\(format(left))\" y=\"\(format(y))\" width=\"\(format(length))\" height=\"\(format(barHeight))\" "
          + "fill=\"\(bar.color)\" fill-opacity=\"0.8\"><title>\(escape(bar.name)): \(GateFormat.compact(bar.value)) "
          + "\(escape(unit))</title></rect>"
        let low = left + plotWidth * max(0, bar.low) / scale
        let high = left + plotWidth * max(0, bar.high) / scale
        let middle = y + barHeight / 2
        svg +=
          "<line x1=\"\(format(low))\" y1=\"\(format(middle))\" x2=\"\(format(high))\" y2=\"\(format(middle))\" stroke=\"#222\"/>"
        svg +=
          "<line x1=\"\(format(low))\" y1=\"\(format(y + 2))\" x2=\"\(format(low))\" y2=\"\(format(y + barHeight - 2))\" stroke=\"#222\"/>"
        svg +=
          "<line x1=\"\(format(high))\" y1=\"\(format(y + 2))\" x2=\"\(format(high))\" y2=\"\(format(y + barHeight - 2))\" stroke=\"#222\"/>"
        svg += text(
          max(length, high - left) + left + 4, y + barHeight - 2, GateFormat.compact(bar.value) + " " + unit)
        y += barHeight + 2
      }
      y += gap
    }
    svg += legend(legendItems, top: height - 4, width: Double(width))
    return svg + "</svg>"
  }

  // MARK: Pieces

  static func header(width: Int, height: Int, title: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
      + "font-family=\"sans-serif\" font-size=\"10\"><rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
      + "<text x=\"\(width / 2)\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">"
      + "\(escape(title))</text>"
  }

  static func frame(left: Double, top: Double, width: Double, height: Double) -> String {
    "<rect x=\"\(format(left))\" y=\"\(format(top))\" width=\"\(format(width))\" height=\"\(format(height))\" "
      + "fill=\"none\" stroke=\"#444\"/>"
  }

  static func gridLine(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
    "<line x1=\"\(format(x1))\" y1=\"\(format(y1))\" x2=\"\(format(x2))\" y2=\"\(format(y2))\" stroke=\"#ddd\"/>"
  }

  static func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start") -> String {
    "<text x=\"\(format(x))\" y=\"\(format(y))\" text-anchor=\"\(anchor)\">\(escape(content))</text>"
  }

  static func legend(_ items: [(String, String, Bool)], top: Double, width: Double) -> String {
    let rows = (items.count + 1) / 2
    var svg = ""
    for (index, item) in items.enumerated() {
      let x = 20 + Double(index % 2) * (width / 2)
      let y = top - Double(rows - index / 2 - 1) * 16 - 4
      let dash = item.2 ? " stroke-dasharray=\"5,3\"" : ""
      svg +=
        "<line x1=\"\(format(x))\" y1=\"\(format(y - 4))\" x2=\"\(format(x + 22))\" y2=\"\(format(y - 4))\" "
      svg += "stroke=\"\(item.1)\" stroke-width=\"3\"\(dash)/>"
      svg += text(x + 28, y, item.0)
    }
    return svg
  }

  static func range(_ values: [Double], axis: Axis) -> (Double, Double) {
    // A log axis cannot show zero or negative values (a latency of 0 from an empty run):
    // range over the positive ones.
    let shown = (axis.logarithmic ? values.filter { $0 > 0 } : values).filter(\.isFinite)
    var low = shown.min() ?? 1
    var high = shown.max() ?? 1
    if let include = axis.includes {
      low = min(low, include)
      high = max(high, include)
    }
    if axis.logarithmic {
      low = pow(10, floor(log10(low)))
      high = pow(10, ceil(log10(high)))
      if low == high { high = low * 10 }
      return (low, high)
    }
    if low == high {
      let pad = low == 0 ? 1 : abs(low) * 0.1
      return (low - pad, high + pad)
    }
    let pad = (high - low) * 0.05
    return (axis.includes == low ? low : low - pad, high + pad)
  }

  static func mapper(_ range: (Double, Double), axis: Axis, from: Double, to: Double) -> (Double) -> Double {
    if axis.logarithmic {
      let low = log10(range.0)
      let high = log10(range.1)
      return { from + (log10(Swift.max($0, range.0)) - low) / (high - low) * (to - from) }
    }
    return { from + ($0 - range.0) / (range.1 - range.0) * (to - from) }
  }

  static func ticks(_ range: (Double, Double), axis: Axis) -> [(value: Double, text: String)] {
    if axis.logarithmic {
      var ticks: [(Double, String)] = []
      guard range.0 > 0, range.0.isFinite, range.1.isFinite else { return [] }
      var value = range.0
      let decades = log10(range.1 / range.0)
      while value <= range.1 * 1.0001 && ticks.count < 100 {
        ticks.append((value, axis.format(value)))
        if decades <= 2 {
          for factor in [2.0, 5.0] where value * factor < range.1 {
            ticks.append((value * factor, axis.format(value * factor)))
          }
        }
        value *= 10
      }
      return ticks
    }
    let span = range.1 - range.0
    // A single point (a first history entry) or a span lost in the values' precision (Unix
    // times) has no tick spacing: label the ends only. Never loop on a zero step.
    guard span.isFinite, span > 0, span > abs(range.1) * 1e-12 else {
      return range.0 == range.1 || !span.isFinite
        ? [(range.0, axis.format(range.0))]
        : [(range.0, axis.format(range.0)), (range.1, axis.format(range.1))]
    }
    let rough = span / 5
    let magnitude = pow(10, floor(log10(rough)))
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough } ?? rough
    var ticks: [(Double, String)] = []
    var value = ceil(range.0 / step) * step
    while value <= range.1 + step * 1e-9 && ticks.count < 50 {
      ticks.append((value, axis.format(value)))
      let next = value + step
      guard next > value else { break }
      value = next
    }
    return ticks
  }

  static func format(_ value: Double) -> String { String(format: "%.1f", value) }

  /// Escapes text for HTML and SVG.
  public static func escape(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      default: escaped.append(character)
      }
    }
    return escaped
  }
}
