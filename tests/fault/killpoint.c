/* killpoint.c — liblzs-killpoint.so, preloaded into lzs-index by the crash tests
 * (tests/index/crash.sh, tests/fault/kill_test.sh) so that a signal reaches the indexer at a
 * chosen point of its run instead of after a chosen delay. A delay means a different point
 * of the run on a loaded machine (ctest -j8), and a signal that lands before the program
 * can handle it or after the run has ended; a numbered event is the same point at any
 * load, and a failure is reproduced by its number.
 *
 * Events are the calls that change files, whichever library makes them: open, openat,
 * write and pwrite (but to standard output and error), fsync, fdatasync, ftruncate,
 * rename, unlink, mkdir. lzs-index opens the corpus files on its worker threads and writes
 * the index (libxapian) on its main thread, so the events spread over the whole run, the
 * commit included. They are counted from the moment the program installs its SIGTERM
 * handler (lzs-index does so just before the run), so that a point never falls in the
 * start-up, where a SIGTERM would end the program before it could handle it.
 *
 * Environment (read once, when the library is loaded):
 *   LZS_KILLPOINT_AT=N        at the Nth event, before the call, the process sends itself
 *                             the signal below (unset or 0: only count)
 *   LZS_KILLPOINT_SIGNAL=S    KILL (default), TERM, or STOP (the test looks at the index
 *                             while the run is held at the point, then kills it)
 *   LZS_KILLPOINT_COUNT=FILE  when the program exits normally, the number of events is
 *                             written to FILE (a test spreads its points over a run so)
 *   LZS_KILLPOINT_TRACE=FILE  each event is written to FILE as it happens, its number and
 *                             the call (which call a failing point is)
 *
 * Not a part of the product: built in tests/fault/fault.cmake, loaded with LD_PRELOAD. */
#define _GNU_SOURCE
/* The fortified headers define open() and openat() as inline checks: this file defines them. */
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static unsigned long g_at;      /* the event that signals; 0: none */
static int g_sig = SIGKILL;     /* what it sends */
static const char *g_count_to;  /* where the count goes at exit; NULL: nowhere */
static atomic_int g_armed;      /* the program has its SIGTERM handler: the run has begun */
static atomic_ulong g_events;   /* events since then */
static int g_trace = -1;        /* LZS_KILLPOINT_TRACE, open; -1: none */

__attribute__((constructor)) static void killpoint_init(void)
{
    const char *at = getenv("LZS_KILLPOINT_AT");
    const char *sig = getenv("LZS_KILLPOINT_SIGNAL");
    if (at != NULL && *at != '\0') {
        char *end = NULL;
        g_at = strtoul(at, &end, 10);
        if (*end != '\0') {
            fprintf(stderr, "liblzs-killpoint: LZS_KILLPOINT_AT='%s' is not a number\n", at);
            _exit(125);
        }
    }
    if (sig != NULL && strcmp(sig, "TERM") == 0) {
        g_sig = SIGTERM;
    } else if (sig != NULL && strcmp(sig, "STOP") == 0) {
        g_sig = SIGSTOP;
    } else if (sig != NULL && *sig != '\0' && strcmp(sig, "KILL") != 0) {
        fprintf(stderr, "liblzs-killpoint: LZS_KILLPOINT_SIGNAL='%s': KILL, TERM or STOP\n",
                sig);
        _exit(125);
    }
    g_count_to = getenv("LZS_KILLPOINT_COUNT");
    const char *trace = getenv("LZS_KILLPOINT_TRACE");
    if (trace != NULL && *trace != '\0') {
        /* (Not an event: the run has not begun.) */
        g_trace = open(trace, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
        if (g_trace < 0) {
            fprintf(stderr, "liblzs-killpoint: cannot write %s\n", trace);
            _exit(125);
        }
    }
}

__attribute__((destructor)) static void killpoint_fini(void)
{
    if (g_count_to == NULL || *g_count_to == '\0')
        return;
    FILE *f = fopen(g_count_to, "w");
    if (f == NULL) {
        fprintf(stderr, "liblzs-killpoint: cannot write the count to %s\n", g_count_to);
        return;
    }
    fprintf(f, "%lu\n", atomic_load(&g_events));
    fclose(f);
}

static void event(const char *call)
{
    if (!atomic_load(&g_armed))
        return;
    unsigned long n = atomic_fetch_add(&g_events, 1) + 1;
    if (g_trace >= 0)
        dprintf(g_trace, "%lu %s\n", n, call); /* one write(2), by libc itself: no event */
    if (n == g_at)
        kill(getpid(), g_sig);
}

/* The next definition of a function: libc's, or a sanitizer's interceptor preloaded ahead
 * of this library. Looked up at the first call, as calls may come before the constructor. */
static void *next(_Atomic(void *) *slot, const char *name)
{
    void *fn = atomic_load(slot);
    if (fn == NULL) {
        fn = dlsym(RTLD_NEXT, name);
        if (fn == NULL) {
            fprintf(stderr, "liblzs-killpoint: no %s to call\n", name);
            abort();
        }
        atomic_store(slot, fn);
    }
    return fn;
}

#define NEXT(name)                                                                            \
    static _Atomic(void *) slot_##name;                                                      \
    __typeof__(&name) next_##name = (__typeof__(&name))next(&slot_##name, #name)

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    NEXT(sigaction);
    int rc = next_sigaction(sig, act, old);
    if (rc == 0 && sig == SIGTERM && act != NULL && act->sa_handler != SIG_DFL &&
        act->sa_handler != SIG_IGN)
        atomic_store(&g_armed, 1);
    return rc;
}

/* O_CREAT and O_TMPFILE are the flags that take a mode. */
static mode_t mode_arg(int flags, va_list ap)
{
    if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
        return va_arg(ap, mode_t);
    return 0;
}

int open(const char *path, int flags, ...)
{
    NEXT(open);
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    event("open");
    return next_open(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    NEXT(openat);
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    event("openat");
    return next_openat(dirfd, path, flags, mode);
}

ssize_t write(int fd, const void *buf, size_t len)
{
    NEXT(write);
    if (fd > STDERR_FILENO)
        event("write");
    return next_write(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
    NEXT(pwrite);
    event("pwrite");
    return next_pwrite(fd, buf, len, off);
}

int fsync(int fd)
{
    NEXT(fsync);
    event("fsync");
    return next_fsync(fd);
}

int fdatasync(int fd)
{
    NEXT(fdatasync);
    event("fdatasync");
    return next_fdatasync(fd);
}

int ftruncate(int fd, off_t len)
{
    NEXT(ftruncate);
    event("ftruncate");
    return next_ftruncate(fd, len);
}

int rename(const char *from, const char *to)
{
    NEXT(rename);
    event("rename");
    return next_rename(from, to);
}

int unlink(const char *path)
{
    NEXT(unlink);
    event("unlink");
    return next_unlink(path);
}

int mkdir(const char *path, mode_t mode)
{
    NEXT(mkdir);
    event("mkdir");
    return next_mkdir(path, mode);
}
