// RocksDB's C API (Debian: librocksdb-dev), for fasterbench's rocksdb binding.
#include <stddef.h>
#include <stdint.h>
#include <rocksdb/c.h>
