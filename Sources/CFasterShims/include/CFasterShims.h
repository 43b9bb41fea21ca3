#ifndef CFASTER_SHIMS_H
#define CFASTER_SHIMS_H

#include <stdint.h>
#include <stddef.h>

/// Pins the calling thread to one CPU (pthread_setaffinity_np). Returns 0 or an errno.
int cfaster_pin_current_thread_to_cpu(int cpu);
/// Clears the calling thread's affinity to all of the given CPUs (count entries). Returns 0 or an errno.
int cfaster_set_current_thread_affinity(const int *cpus, int count);
/// The CPU the calling thread runs on now (sched_getcpu), or -1.
int cfaster_current_cpu(void);
/// The number of CPUs in the calling thread's affinity mask, or -1.
int cfaster_current_affinity_count(void);
/// The O_DIRECT open flag, which Swift's Glibc module does not export.
int cfaster_o_direct(void);

/// CRC32C (Castagnoli) of `count` bytes at `data`, continuing from `crc` (0 to start): the
/// standard pre- and post-inverted checksum of RFC 3720, so that
/// `cfaster_crc32c(cfaster_crc32c(0, a), b)` is the checksum of `a` followed by `b`. Uses the
/// SSE4.2 `crc32` instruction when the CPU has it, a table otherwise.
uint32_t cfaster_crc32c(uint32_t crc, const void *data, size_t count);
/// The table-driven CRC32C, whatever the CPU (for tests that compare the two paths).
uint32_t cfaster_crc32c_software(uint32_t crc, const void *data, size_t count);
/// 1 when `cfaster_crc32c` uses the CPU's crc32 instruction, 0 otherwise.
int cfaster_crc32c_is_hardware(void);

/// The CPU's time-stamp counter (rdtsc on x86_64, cntvct_el0 on aarch64; 0 elsewhere).
static inline uint64_t cfaster_read_cycle_counter(void) {
#if defined(__x86_64__)
  uint32_t lo, hi;
  __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
  uint64_t value;
  __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(value));
  return value;
#else
  return 0;
#endif
}

/// A compiler-and-CPU pause for spin loops.
static inline void cfaster_spin_pause(void) {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/// Prefetches the cache line at address for reading.
static inline void cfaster_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
