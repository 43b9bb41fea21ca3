import Dispatch
import Foundation
import Synchronization

/// SIGINT, SIGTERM and SIGHUP during `load`/`run`: the first one asks the workers to stop (they
/// look every `faster.completependinginterval` operations and while throttled), so the phase
/// ends normally, the report of what ran is printed and written marked as interrupted, the
/// temporary log directory is removed, and the command exits 128 + the signal number. A second
/// signal exits at once. A signal the process inherited as ignored (`nohup`) stays ignored.
///
/// The signals are taken by dispatch sources, not a signal handler, so the reaction runs as
/// ordinary code on a dispatch queue.
public enum RunInterruption {
  /// The first signal received, or 0.
  private static let received = Atomic<Int32>(0)
  private static let sources = Mutex<[DispatchSourceSignal]>([])

  /// The signals that stop a run.
  public static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  /// Whether a stop was asked for. A relaxed load: cheap enough for the workers' loop.
  @inline(__always)
  static var isRequested: Bool { received.load(ordering: .relaxed) != 0 }

  /// The signal that stopped the run, if any.
  public static var signal: Int32? {
    let number = received.load(ordering: .acquiring)
    return number == 0 ? nil : number
  }

  /// The signal's name, e.g. `SIGINT`.
  public static func name(of signal: Int32) -> String {
    switch signal {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(signal)"
    }
  }

  /// The exit status a shell expects after the signal: 128 + its number (130, 143, 129).
  public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

  private static func isIgnore(_ handler: __sighandler_t?) -> Bool {
    unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
  }

  /// Takes over the handled signals for the rest of the process, and ignores SIGXFSZ so that a
  /// file-size limit (`ulimit -f`) makes the write fail with EFBIG, which is reported, instead
  /// of killing the process silently.
  public static func install(status: StatusSink = .standardError) {
    Foundation.signal(SIGXFSZ, SIG_IGN)
    sources.withLock { sources in
      guard sources.isEmpty else { return }
      for number in handledSignals {
        // A signal the parent ignores stays ignored: `nohup` (SIGHUP) and a non-interactive
        // shell's background jobs (SIGINT) ask for exactly that.
        let previous = Foundation.signal(number, SIG_IGN)
        if isIgnore(previous) { continue }
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
          let (exchanged, _) = received.compareExchange(
            expected: 0, desired: number, ordering: .acquiringAndReleasing)
          if exchanged {
            status.write(
              "fasterbench: \(name(of: number)) received: stopping the workers; the report covers what ran "
                + "(send it again to quit at once)")
          } else {
            status.write("fasterbench: \(name(of: number)) received again: quitting now")
            exit(exitStatus(for: number))
          }
        }
        source.resume()
        sources.append(source)
      }
    }
  }
}
