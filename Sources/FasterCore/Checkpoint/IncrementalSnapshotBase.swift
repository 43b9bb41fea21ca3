/// The newest snapshot or incremental checkpoint this store took, which the next
/// incremental snapshot's delta applies on top of.
///
/// Invariant (while set): since that checkpoint copied the log, every page in
/// [its snapshot start, its final address) that was changed in place has its dirty flag
/// set (`LogBuffer.markDirty`), so a delta of the dirty pages plus the log appended after
/// `finalAddress` holds every change since. A failed checkpoint clears the flags of pages
/// it never wrote out, so the driver drops the base when it starts and sets it again only
/// when a snapshot-kind checkpoint is durable.
struct IncrementalSnapshotBase: Sendable {
  var token: CheckpointToken
  var finalAddress: UInt64
  /// Deltas since the full snapshot the chain starts from (0 for the snapshot itself).
  var deltaCount: Int
}
