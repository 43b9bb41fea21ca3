// liburing.h defines _XOPEN_SOURCE/_GNU_SOURCE before its libc includes; in debug and
// sanitizer builds that breaks fd_set unless the libc headers come first.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/select.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <inttypes.h>
#include <time.h>
#include <fcntl.h>
#include <sched.h>
#include <liburing.h>
