/// The lock-free part of `LightEpoch`: the per-thread entries and the global epoch words,
/// as pointers into memory `LightEpoch` owns, so the hot path (protect, refresh) needs no
/// reference to the object.
///
/// Memory layout: `capacity` entries of 64 bytes (word 0: the thread's published epoch,
/// 0 = unprotected; word 1: 1 when the entry is owned), then at `globalsOffset` four
/// cache lines: the current epoch, the safe-to-reclaim epoch, the pending (queued, not
/// yet taken) action count, the unfinished (queued or running) action count.
///
/// Thread safety: all words are atomic; an entry's epoch word is written only by its owner.
@frozen
@usableFromInline
struct EpochTable {
  @usableFromInline let memory: UnsafeMutableRawPointer
  @usableFromInline let globalsOffset: Int

  /// Bytes of the global words after the entries.
  @inlinable static var globalsSizeBytes: Int { 4 * 64 }

  @inlinable
  init(memory: UnsafeMutableRawPointer, globalsOffset: Int) {
    self.memory = memory
    self.globalsOffset = globalsOffset
  }

  @inlinable var currentEpochWord: AtomicWord { AtomicWord(memory + globalsOffset) }
  @inlinable var safeToReclaimWord: AtomicWord { AtomicWord(memory + (globalsOffset &+ 64)) }
  @inlinable var pendingActionWord: AtomicWord { AtomicWord(memory + (globalsOffset &+ 128)) }
  @inlinable var unfinishedActionWord: AtomicWord { AtomicWord(memory + (globalsOffset &+ 192)) }

  @inlinable
  func epochWord(_ slot: Int) -> AtomicWord { AtomicWord(memory + slot &* LightEpoch.entrySizeBytes) }

  @inlinable
  func ownerWord(_ slot: Int) -> AtomicWord { AtomicWord(memory + (slot &* LightEpoch.entrySizeBytes &+ 8)) }

  /// Debug builds: `slot` is an entry of the table and is owned (acquired, not released).
  @inlinable
  func assertOwned(_ slot: Int) {
    assert(
      slot >= 0 && slot &* LightEpoch.entrySizeBytes < globalsOffset && ownerWord(slot).load(.relaxed) == 1,
      "epoch slot \(slot) is not owned: used after release, or never acquired")
  }

  /// Publishes the current epoch in `slot`. Returns true if epoch actions are waiting to
  /// be drained (the caller then calls `LightEpoch.drainIfPending`).
  @inlinable
  func protect(_ slot: Int) -> Bool {
    assertOwned(slot)
    // Sequentially consistent: the publication must be visible before this thread reads
    // shared memory, and to a bumping thread that then scans the table.
    epochWord(slot).store(currentEpochWord.load(.sequentiallyConsistent), .sequentiallyConsistent)
    return pendingActionWord.load(.relaxed) != 0
  }
}
