import ArgumentParser
import FasterBenchKit
import Foundation

extension Fasterbench {
  struct Checkpoints: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List or validate a store's checkpoints without opening the store.",
      discussion: """
        Exit status: 0 every checkpoint looked at is valid, 1 one is corrupt or incomplete (named), \
        2 no such directory, checkpoint or token, 64 a bad argument.
        """,
      subcommands: [List.self, Validate.self])

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Tokens, kinds, versions, sizes and session commit points, newest first.")
      @Option(help: "The checkpoint directory (FasterKVOptions.checkpointDirectory).")
      var dir: String

      func run() throws {
        let (text, status) = CheckpointInventory.list(directory: dir)
        print(text)
        if status != .valid { throw ExitCode(status.rawValue) }
      }
    }

    struct Validate: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Check every checksum and cross-reference of one checkpoint (--token) or all.")
      @Option(help: "The checkpoint directory (FasterKVOptions.checkpointDirectory).")
      var dir: String
      @Option(help: "The checkpoint's token (as `list` prints it); all checkpoints when absent.")
      var token: String?

      func run() throws {
        let (text, status) = CheckpointInventory.validate(directory: dir, token: token)
        print(text)
        if status != .valid { throw ExitCode(status.rawValue) }
      }
    }
  }
}
