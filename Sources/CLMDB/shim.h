// LMDB (Debian: liblmdb-dev), for fasterbench's lmdb binding.
#include <stddef.h>
#include <sys/types.h>
#include <lmdb.h>
