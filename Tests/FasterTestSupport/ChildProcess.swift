#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A child process started with `posix_spawn` (fork + exec, safe in a multi-threaded parent),
/// its standard output on a pipe that the parent reads line by line.
///
/// Thread safety: one thread drives a child.
public final class ChildProcess {
  /// How a child ended.
  public enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var description: String {
      switch self {
      case .exited(let code): return "exited with status \(code)"
      case .signaled(let signal): return "killed by signal \(signal)"
      }
    }
  }

  public struct SpawnError: Error, CustomStringConvertible {
    public var description: String
  }

  public let pid: pid_t
  private var output: Int32
  private var pending: [UInt8] = []
  private var termination: Termination?

  /// Starts `executable` with `arguments`, the parent's environment plus `environment`, and
  /// standard output on a pipe (standard error is inherited).
  public init(executable: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe failed: errno \(errno)") }
    // Close-on-exec on both ends, so no other child inherits them; dup2 below gives the
    // child its own fd 1, without the flag.
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)

    var environmentLines: [String] = []
    var index = 0
    while let entry = environ[index] {
      let line = String(cString: entry)
      let name = String(line.prefix { $0 != "=" })
      if environment[name] == nil { environmentLines.append(line) }
      index += 1
    }
    environmentLines += environment.map { "\($0.key)=\($0.value)" }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environmentLines.map { strdup($0) } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid = pid_t()
    let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    close(fds[1])
    guard status == 0 else {
      close(fds[0])
      throw SpawnError(description: "posix_spawn \(executable) failed: \(String(cString: strerror(status)))")
    }
    self.pid = pid
    output = fds[0]
  }

  deinit {
    if termination == nil {
      sendSignal(pid, SIGKILL)
      _ = wait()
    }
    if output >= 0 { close(output) }
  }

  /// The next complete line of the child's output; nil at the end of its output (a last line
  /// without a newline, cut off by the child's death, does not count) or when nothing arrived
  /// for `timeoutSeconds` (a watchdog, not a measurement).
  public func nextLine(timeoutSeconds: Int32 = 300) -> String? {
    while true {
      if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
      }
      guard output >= 0 else { return nil }
      var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, timeoutSeconds * 1000)
      if ready < 0 && errno == EINTR { continue }
      guard ready > 0 else { return nil }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        close(output)
        output = -1
        return nil
      }
      pending += chunk[..<count]
    }
  }

  /// Sends `signal` (SIGKILL by default: no handler, no flush, no exit code) to the child.
  public func kill(_ signal: Int32 = SIGKILL) {
    if termination == nil { sendSignal(pid, signal) }
  }

  /// Waits for the child to end (reaps it) and says how it ended.
  @discardableResult
  public func wait() -> Termination {
    if let termination { return termination }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WTERMSIG are C macros: the low 7 bits are the signal, 0 for a normal exit.
    let result: Termination =
      status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    termination = result
    return result
  }
}

/// `kill(2)`, out of reach of `ChildProcess.kill`'s name.
private func sendSignal(_ pid: pid_t, _ signal: Int32) { _ = kill(pid, signal) }
