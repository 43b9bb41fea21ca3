#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>

#include "CFasterShims.h"

int cfaster_pin_current_thread_to_cpu(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int cfaster_set_current_thread_affinity(const int *cpus, int count) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int i = 0; i < count; i++) {
    if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE) return EINVAL;
    CPU_SET(cpus[i], &set);
  }
  return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int cfaster_current_cpu(void) { return sched_getcpu(); }

int cfaster_current_affinity_count(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set) != 0) return -1;
  return CPU_COUNT(&set);
}

int cfaster_o_direct(void) { return O_DIRECT; }

// MARK: CRC32C (Castagnoli, reflected polynomial 0x82F63B78), as in RFC 3720 / iSCSI.

static uint32_t crc32c_table[256];
static pthread_once_t crc32c_table_once = PTHREAD_ONCE_INIT;

static void crc32c_build_table(void) {
  for (uint32_t byte = 0; byte < 256; byte++) {
    uint32_t crc = byte;
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    crc32c_table[byte] = crc;
  }
}

uint32_t cfaster_crc32c_software(uint32_t crc, const void *data, size_t count) {
  pthread_once(&crc32c_table_once, crc32c_build_table);
  const uint8_t *bytes = (const uint8_t *)data;
  crc = ~crc;
  for (size_t i = 0; i < count; i++) crc = crc32c_table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

#if defined(__x86_64__)
#include <nmmintrin.h>
#include <string.h>

__attribute__((target("sse4.2"))) static uint32_t crc32c_hardware(uint32_t crc, const void *data, size_t count) {
  const uint8_t *bytes = (const uint8_t *)data;
  uint64_t state = ~crc;
  while (count > 0 && ((uintptr_t)bytes & 7) != 0) {
    state = _mm_crc32_u8((uint32_t)state, *bytes++);
    count--;
  }
  while (count >= 8) {
    uint64_t word;
    memcpy(&word, bytes, 8);
    state = _mm_crc32_u64(state, word);
    bytes += 8;
    count -= 8;
  }
  while (count > 0) {
    state = _mm_crc32_u8((uint32_t)state, *bytes++);
    count--;
  }
  return ~(uint32_t)state;
}

int cfaster_crc32c_is_hardware(void) { return __builtin_cpu_supports("sse4.2") ? 1 : 0; }

uint32_t cfaster_crc32c(uint32_t crc, const void *data, size_t count) {
  static int hardware = -1;  // benign race: every thread computes the same value
  int use = __atomic_load_n(&hardware, __ATOMIC_RELAXED);
  if (use < 0) {
    use = cfaster_crc32c_is_hardware();
    __atomic_store_n(&hardware, use, __ATOMIC_RELAXED);
  }
  return use ? crc32c_hardware(crc, data, count) : cfaster_crc32c_software(crc, data, count);
}
#else
int cfaster_crc32c_is_hardware(void) { return 0; }

uint32_t cfaster_crc32c(uint32_t crc, const void *data, size_t count) {
  return cfaster_crc32c_software(crc, data, count);
}
#endif
