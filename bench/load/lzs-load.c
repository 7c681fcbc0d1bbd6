/* lzs-load.c — open-loop HTTP load generator for lzs-searchd (loopback only).
 *
 *   lzs-load --port PORT [--host 127.0.0.1] [--source 127.0.0.2] [--urls FILE] [--conns N]
 *            [--timeout MS]
 *            --rates R1,R2,... [--duration SECONDS]      constant-rate runs
 *   lzs-load --port PORT ... --soak SECONDS --rate R [--pid PID]   soak
 *   lzs-load --port PORT --probe FILE [--limit-ms MS]             one request per line
 *   lzs-load --port PORT --slowloris N [--slow-per-addr 32] [--slow-interval 4]
 *            [--slow-warmup 5] --rates R [--duration S]       a rate run under attack
 *
 * Open loop: request k of a run at rate R is due at t0 + k/R whatever happened to the
 * earlier ones, and its latency is measured from that intended time, not from when a
 * connection was free to send it. A stalled server therefore shows as growing latency
 * (and a queue), never as a politely slower client ("coordinated omission").
 * The query mix is the URL paths of --urls (one per line), used round-robin; without it a
 * built-in mix of searches. Requests go over up to --conns keep-alive connections.
 *
 * Output: per rate, requests sent and completed, answers by kind, errors (by kind),
 * throughput (answered requests, 2xx or 4xx, per second from the first intended send to
 * the last answer: the goodput), and the latency of the answered requests, p50/p90/p99/
 * p99.9/max in ms. A 503 "busy" answer (the daemon shed the request: it waited too long
 * in the daemon's queue, or too many exports ran) is counted apart as "shed": neither
 * answered nor an error, and left out of the latencies, which would otherwise look better
 * the more the daemon refuses. Soak: every 10 s a line with the window's figures and the
 * daemon's resident memory (VmRSS of --pid), then the growth after the first minute.
 * Probe: each URL once, alone, with its status and time; lines over --limit-ms (default
 * 200) are marked and make the exit status 1. The time of an /api/export is that of its
 * headers (an export is answered when it starts streaming), printed with the time of the
 * whole transfer beside it.
 * A request times out when no answer has begun --timeout ms after its intended time, or
 * when an answer under way (a streamed export) stalls that long.
 * --source binds the client side to another loopback address, so that the daemon counts
 * it apart from other local clients in its per-address connection limit.
 * Slowloris: --slow-per-addr connections (default 32) from each of N loopback addresses
 * 127.0.0.2 ... 127.0.0.(N+1) each send a request line, then one header byte every
 * --slow-interval seconds (default 4), never ending their heads; a connection the daemon
 * closes is opened again (at once when the daemon answered it, after an interval when it
 * was closed unanswered, as a refusal). The attack runs alone for --slow-warmup seconds
 * (default 5), then the rate runs are made (from --source, which must not be one of the
 * attacking addresses) while it goes on. Printed: the rate runs as usual (the latency of
 * a normal client under attack), then what the attack met: connections opened, refused
 * at once, closed by the daemon at their head deadline (a 408 answer) with how long they
 * were held, closed otherwise, and held at the end.
 * Exit status: 0, or 1 when any request failed (a 5xx status other than 503 busy, a
 * connection error, a timeout) or a probe was over its limit; 2 on a usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1024

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- configuration ------------------------------------------------------------------ */

static struct {
    char host[64];
    unsigned port;
    struct sockaddr_in addr;
    struct sockaddr_in source; /* local address to bind, or sin_family 0 */
    char **urls;
    size_t nurls;
    unsigned conns;
    double timeout; /* seconds */
} g;

static const char *const k_builtin_urls[] = {
    "/api/search?q=child",
    "/api/search?q=sexual+abuse",
    "/api/search?q=%22circle+of+trust%22",
    "/api/search?q=educat*",
    "/api/search?q=victims&party=NO",
    "/api/search?q=online+grooming&level=require",
    "/api/search?q=protection&year=2015..2022&sort=newest",
    "/api/search?q=enfants",
    "/api/search?party=FR&level=invite",
    "/api/search?q=report&group=document&size=20&facets=1",
    "/api/search?q=Norway+OR+Iceland",
    "/api/search?q=article:23",
};

/* ---- latency records ------------------------------------------------------------------ */

typedef struct {
    double *v;
    size_t n, cap;
} lat_t;

static void lat_add(lat_t *l, double x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4096;
        double *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "lzs-load: out of memory\n");
            exit(1);
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile p (0..100) of the sorted records, nearest rank. */
static double pct(const lat_t *l, double p)
{
    if (l->n == 0) {
        return NAN;
    }
    size_t k = (size_t)ceil(p / 100.0 * (double)l->n);
    if (k == 0) {
        k = 1;
    }
    return l->v[k - 1];
}

/* ---- connections ------------------------------------------------------------------ */

enum { C_FREE, C_CONNECTING, C_IDLE, C_BUSY };

typedef struct {
    int fd;
    int state;
    int served;  /* requests completed on this connection */
    double due;  /* intended send time of the request in flight */
    size_t url;  /* its URL index */
    int retried; /* already re-sent once after a keep-alive close */
    double head; /* when the headers of the answer had all arrived; 0 before */
    double rx;   /* when bytes last arrived */
    char *out;   /* the request */
    size_t outlen, outoff, outcap;
    char *in; /* the response so far */
    size_t inlen, incap;
} conn_t;

typedef struct {
    uint64_t sent, done, ok, status4xx, shed, status5xx, conn_err, timeouts, retries;
    lat_t lat; /* seconds from the intended send time to the answer: answered requests only */
    double first_due, last_done;
    /* The request that ended last, for --probe: seconds to its headers (NAN without an
     * answer) and to its end, and the bytes of its answer. */
    double last_head, last_total;
    size_t last_bytes;
} stats_t;

static conn_t g_conns[MAX_CONNS];
static int g_ep = -1;

static void conn_close(conn_t *c)
{
    if (c->fd >= 0) {
        epoll_ctl(g_ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
    }
    c->fd = -1;
    c->state = C_FREE;
    c->inlen = 0;
    c->served = 0;
    c->head = 0;
}

static int conn_open(conn_t *c)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (g.source.sin_family == AF_INET &&
        bind(fd, (const struct sockaddr *)&g.source, sizeof g.source) != 0) {
        close(fd);
        return -1;
    }
    int rc = connect(fd, (const struct sockaddr *)&g.addr, sizeof g.addr);
    if (rc != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(g_ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
        close(fd);
        return -1;
    }
    c->fd = fd;
    c->state = C_CONNECTING;
    c->served = 0;
    c->inlen = 0;
    c->head = 0;
    return 0;
}

static void conn_want(conn_t *c, unsigned events)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};
    epoll_ctl(g_ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void prepare(conn_t *c, size_t url, double due)
{
    size_t need = strlen(g.urls[url]) + strlen(g.host) + 96;
    if (need > c->outcap) {
        char *p = realloc(c->out, need);
        if (!p) {
            fprintf(stderr, "lzs-load: out of memory\n");
            exit(1);
        }
        c->out = p;
        c->outcap = need;
    }
    int n = snprintf(c->out, c->outcap,
                     "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: lzs-load\r\n\r\n", g.urls[url],
                     g.host, g.port);
    c->outlen = n > 0 && (size_t)n < c->outcap ? (size_t)n : 0;
    c->outoff = 0;
    c->url = url;
    c->due = due;
    c->inlen = 0;
    c->head = 0;
}

/* Parses a complete response in c->in. Returns the status code and sets *used to its
 * length and *close_after when the server will close; 0 when incomplete; -1 when
 * malformed. */
static int parse_response(conn_t *c, size_t *used, int *close_after)
{
    if (c->inlen < 12) {
        return 0;
    }
    char *hdr_end = memmem(c->in, c->inlen, "\r\n\r\n", 4);
    if (!hdr_end) {
        return c->inlen > 65536 ? -1 : 0;
    }
    if (strncmp(c->in, "HTTP/1.", 7) != 0) {
        return -1;
    }
    int status = atoi(c->in + 9);
    size_t hlen = (size_t)(hdr_end - c->in) + 4;
    long long clen = -1;
    int chunked = 0;
    *close_after = c->in[7] == '0';
    for (char *line = memchr(c->in, '\n', hlen); line && line < c->in + hlen;) {
        line++;
        char *eol = memchr(line, '\n', (size_t)(c->in + hlen - line));
        if (!eol) {
            break;
        }
        size_t ll = (size_t)(eol - line);
        if (ll > 15 && strncasecmp(line, "Content-Length:", 15) == 0) {
            clen = atoll(line + 15);
        } else if (ll > 18 && strncasecmp(line, "Transfer-Encoding:", 18) == 0 &&
                   memmem(line, ll, "chunked", 7)) {
            chunked = 1;
        } else if (ll > 11 && strncasecmp(line, "Connection:", 11) == 0 &&
                   memmem(line, ll, "close", 5)) {
            *close_after = 1;
        }
        line = eol;
    }
    if (chunked) {
        size_t p = hlen;
        for (;;) {
            char *crlf = memmem(c->in + p, c->inlen - p, "\r\n", 2);
            if (!crlf) {
                return 0;
            }
            unsigned long long sz = strtoull(c->in + p, NULL, 16);
            p = (size_t)(crlf - c->in) + 2;
            if (sz == 0) {
                char *end = memmem(c->in + p, c->inlen - p, "\r\n", 2);
                if (!end) {
                    return 0;
                }
                *used = (size_t)(end - c->in) + 2;
                return status;
            }
            if (c->inlen - p < sz + 2) {
                return 0;
            }
            p += sz + 2;
        }
    }
    if (clen < 0) {
        /* No length: the body ends when the server closes (handled by the caller). */
        *close_after = 1;
        *used = c->inlen;
        return -2;
    }
    if (c->inlen - hlen < (size_t)clen) {
        return 0;
    }
    *used = hlen + (size_t)clen;
    return status;
}

/* ---- the engine ------------------------------------------------------------------ */

typedef struct {
    double due;
    size_t url;
} pending_t;

/* A FIFO of due requests waiting for a connection. */
static pending_t *g_q;
static size_t g_qhead, g_qtail, g_qcap;

static void q_push(double due, size_t url)
{
    if (g_qtail == g_qcap) {
        if (g_qhead > 0) {
            memmove(g_q, g_q + g_qhead, (g_qtail - g_qhead) * sizeof *g_q);
            g_qtail -= g_qhead;
            g_qhead = 0;
        }
        if (g_qtail == g_qcap) {
            g_qcap = g_qcap ? g_qcap * 2 : 1024;
            g_q = realloc(g_q, g_qcap * sizeof *g_q);
            if (!g_q) {
                fprintf(stderr, "lzs-load: out of memory\n");
                exit(1);
            }
        }
    }
    g_q[g_qtail++] = (pending_t){due, url};
}

/* Counts an answer: status and its first len bytes (headers and body) in c->in. */
static void finish(conn_t *c, stats_t *st, int status, size_t len, double t)
{
    st->done++;
    st->last_total = t - c->due;
    st->last_head = (c->head > 0 ? c->head : t) - c->due;
    st->last_bytes = len;
    if (status >= 200 && status < 300) {
        st->ok++;
        lat_add(&st->lat, t - c->due);
    } else if (status >= 400 && status < 500) {
        st->status4xx++;
        lat_add(&st->lat, t - c->due);
    } else if (status == 503 && memmem(c->in, len, "\"code\":\"busy\"", 13)) {
        /* Refused on purpose, at once: the daemon protects the requests it does serve.
         * Any other 503 (index_unavailable) is a failure. */
        st->shed++;
    } else {
        st->status5xx++;
    }
    if (t > st->last_done) {
        st->last_done = t;
    }
}

/* Counts a request that got no answer under *kind (conn_err, timeouts). */
static void failed(stats_t *st, uint64_t *kind, double due, double t)
{
    (*kind)++;
    st->done++;
    st->last_head = NAN;
    st->last_total = t - due;
    st->last_bytes = 0;
}

/* Handles I/O on c. */
static void on_event(conn_t *c, unsigned events, stats_t *st)
{
    double t = now_s();
    if (c->state == C_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
            failed(st, &st->conn_err, c->due, t);
            conn_close(c);
            return;
        }
        c->state = C_BUSY;
    }
    if (c->state == C_IDLE) {
        /* The server closed an idle keep-alive connection (or sent something unasked). */
        conn_close(c);
        return;
    }
    if (c->outoff < c->outlen) {
        ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
        if (n > 0) {
            c->outoff += (size_t)n;
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            goto broken;
        }
        if (c->outoff == c->outlen) {
            conn_want(c, EPOLLIN);
        }
        return;
    }
    for (;;) {
        if (c->incap - c->inlen < 16384) {
            size_t cap = c->incap ? c->incap * 2 : 65536;
            char *p = realloc(c->in, cap);
            if (!p) {
                fprintf(stderr, "lzs-load: out of memory\n");
                exit(1);
            }
            c->in = p;
            c->incap = cap;
        }
        ssize_t n = recv(c->fd, c->in + c->inlen, c->incap - c->inlen, 0);
        if (n > 0) {
            c->inlen += (size_t)n;
            c->rx = now_s();
            if (c->head == 0 && memmem(c->in, c->inlen, "\r\n\r\n", 4)) {
                c->head = c->rx;
            }
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        }
        /* Closed by the server. */
        if (c->inlen > 0) {
            size_t used = 0;
            int close_after = 0;
            int status = parse_response(c, &used, &close_after);
            if (status > 0 || status == -2) {
                finish(c, st, status == -2 ? atoi(c->in + 9) : status, used, now_s());
                conn_close(c);
                return;
            }
        }
        goto broken;
    }
    size_t used = 0;
    int close_after = 0;
    int status = parse_response(c, &used, &close_after);
    if (status == 0 || status == -2) {
        return;
    }
    if (status < 0) {
        goto broken;
    }
    finish(c, st, status, used, now_s());
    c->served++;
    c->inlen = 0;
    if (close_after) {
        conn_close(c);
    } else {
        c->state = C_IDLE;
        conn_want(c, EPOLLIN);
    }
    return;

broken:
    if (c->inlen == 0 && c->served > 0 && !c->retried) {
        /* The keep-alive race: the server closed the connection as the request went out.
         * Sent again once, on a new connection, still timed from its intended time. */
        st->retries++;
        double due = c->due;
        size_t url = c->url;
        conn_close(c);
        if (conn_open(c) == 0) {
            prepare(c, url, due);
            c->retried = 1;
            return;
        }
    }
    failed(st, &st->conn_err, c->due, t);
    conn_close(c);
}

/* Sends due requests on idle (or new) connections. */
static void dispatch(stats_t *st)
{
    while (g_qhead < g_qtail) {
        conn_t *c = NULL;
        for (unsigned i = 0; i < g.conns && !c; i++) {
            if (g_conns[i].state == C_IDLE) {
                c = &g_conns[i];
            }
        }
        for (unsigned i = 0; i < g.conns && !c; i++) {
            if (g_conns[i].state == C_FREE && conn_open(&g_conns[i]) == 0) {
                c = &g_conns[i];
            }
        }
        if (!c) {
            return;
        }
        pending_t p = g_q[g_qhead++];
        st->sent++;
        int was_idle = c->state == C_IDLE;
        prepare(c, p.url, p.due);
        c->retried = 0;
        if (was_idle) {
            c->state = C_BUSY;
            conn_want(c, EPOLLOUT);
        }
    }
}

/* Expires requests with no answer begun for longer than the timeout, answers that stalled
 * that long, and requests still waiting for a connection: a request is never sent after
 * its client would have given up on it. */
static void expire(stats_t *st, double t)
{
    while (g_qhead < g_qtail && t - g_q[g_qhead].due > g.timeout) {
        st->sent++;
        failed(st, &st->timeouts, g_q[g_qhead].due, t);
        g_qhead++;
    }
    for (unsigned i = 0; i < g.conns; i++) {
        conn_t *c = &g_conns[i];
        double since = c->head > 0 ? t - c->rx : t - c->due;
        if ((c->state == C_BUSY || c->state == C_CONNECTING) && since > g.timeout) {
            failed(st, &st->timeouts, c->due, t);
            conn_close(c);
        }
    }
}

/* Runs rate requests/s for seconds. Calls tick(ud, t) about every 100 ms. */
static void run_rate(double rate, double seconds, stats_t *st, void (*tick)(void *, double),
                     void *ud)
{
    memset(st, 0, sizeof *st);
    g_qhead = g_qtail = 0;
    double t0 = now_s() + 0.05, interval = 1.0 / rate;
    uint64_t total = (uint64_t)llround(rate * seconds), next = 0;
    st->first_due = t0;
    double last_tick = t0;
    static size_t url_rr;
    for (;;) {
        double t = now_s();
        while (next < total && t0 + (double)next * interval <= t) {
            q_push(t0 + (double)next * interval, url_rr++ % g.nurls);
            next++;
        }
        expire(st, t);
        dispatch(st);
        if (tick && t - last_tick >= 0.1) {
            tick(ud, t);
            last_tick = t;
        }
        if (next >= total && st->done >= total) {
            break;
        }
        double wait = next < total ? t0 + (double)next * interval - t : 0.05;
        int ms = wait <= 0 ? 0 : (int)(wait * 1000.0);
        if (ms > 50) {
            ms = 50;
        }
        struct epoll_event evs[256];
        int n = epoll_wait(g_ep, evs, 256, ms);
        for (int i = 0; i < n; i++) {
            on_event(evs[i].data.ptr, evs[i].events, st);
        }
    }
    for (unsigned i = 0; i < g.conns; i++) {
        conn_close(&g_conns[i]);
    }
}

static uint64_t errors_of(const stats_t *st)
{
    return st->status5xx + st->conn_err + st->timeouts;
}

static void report(const char *label, stats_t *st)
{
    qsort(st->lat.v, st->lat.n, sizeof *st->lat.v, cmp_double);
    double span = st->last_done - st->first_due;
    printf("%-12s sent %7llu  done %7llu  2xx %7llu  4xx %5llu  shed %6llu  errors %5llu (5xx "
           "%llu, conn %llu, timeout %llu)  %8.1f answered/s  p50 %7.2f  p90 %7.2f  p99 %7.2f  "
           "p99.9 %7.2f  max %7.2f ms (answered)\n",
           label, (unsigned long long)st->sent, (unsigned long long)st->done,
           (unsigned long long)st->ok, (unsigned long long)st->status4xx,
           (unsigned long long)st->shed, (unsigned long long)errors_of(st),
           (unsigned long long)st->status5xx, (unsigned long long)st->conn_err,
           (unsigned long long)st->timeouts,
           span > 0 ? (double)(st->ok + st->status4xx) / span : 0.0, pct(&st->lat, 50) * 1e3,
           pct(&st->lat, 90) * 1e3, pct(&st->lat, 99) * 1e3, pct(&st->lat, 99.9) * 1e3,
           pct(&st->lat, 100) * 1e3);
    fflush(stdout);
}

/* ---- soak ------------------------------------------------------------------------- */

typedef struct {
    long pid;
    double start, next_report;
    long rss_first_minute; /* kB, at 60 s */
    long rss_start, rss_max;
    stats_t *st;
    uint64_t last_done, last_err, last_shed;
    size_t last_lat;
} soak_t;

static long rss_kb(long pid)
{
    if (pid <= 0) {
        return -1;
    }
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = atol(line + 6);
        }
    }
    fclose(f);
    return kb;
}

static void soak_tick(void *ud, double t)
{
    soak_t *s = ud;
    if (t < s->next_report) {
        return;
    }
    s->next_report += 10.0;
    long rss = rss_kb(s->pid);
    if (rss > s->rss_max) {
        s->rss_max = rss;
    }
    if (s->rss_first_minute < 0 && t - s->start >= 60.0) {
        s->rss_first_minute = rss;
    }
    /* The window's latencies: the records added since the last report. */
    size_t n = s->st->lat.n - s->last_lat;
    double *w = malloc((n ? n : 1) * sizeof *w);
    double p99 = NAN, p50 = NAN;
    if (w && n > 0) {
        memcpy(w, s->st->lat.v + s->last_lat, n * sizeof *w);
        qsort(w, n, sizeof *w, cmp_double);
        p50 = w[(size_t)ceil(0.5 * (double)n) - 1];
        p99 = w[(size_t)ceil(0.99 * (double)n) - 1];
    }
    free(w);
    uint64_t err = errors_of(s->st);
    printf("soak %6.0f s  done %7llu (+%llu)  shed %llu (+%llu)  errors %llu (+%llu)  window "
           "p50 %.2f ms  p99 %.2f ms (answered)  daemon RSS %ld kB\n",
           t - s->start, (unsigned long long)s->st->done,
           (unsigned long long)(s->st->done - s->last_done), (unsigned long long)s->st->shed,
           (unsigned long long)(s->st->shed - s->last_shed), (unsigned long long)err,
           (unsigned long long)(err - s->last_err), p50 * 1e3, p99 * 1e3, rss);
    fflush(stdout);
    s->last_done = s->st->done;
    s->last_shed = s->st->shed;
    s->last_err = err;
    s->last_lat = s->st->lat.n;
}

/* ---- slow clients (slowloris) ------------------------------------------------------- */

enum { SL_IDLE, SL_CONNECTING, SL_TRICKLING };

typedef struct {
    int fd;
    int state;
    unsigned addr;  /* the source is 127.0.0.(2 + addr) */
    double opened;  /* when connect() was called */
    double next;    /* SL_IDLE: when to open again; SL_TRICKLING: when the next byte is due */
    char first[16]; /* the first bytes the daemon sent */
    size_t nfirst;
} slow_t;

typedef struct {
    slow_t *c;
    size_t n;
    double interval;
    uint64_t opened, refused, timed_out, closed_other, open_errors;
    lat_t held; /* seconds from connect to the daemon's 408 */
} slowloris_t;

static void slow_close(slow_t *c, double retry_at)
{
    if (c->fd >= 0) {
        close(c->fd);
    }
    c->fd = -1;
    c->state = SL_IDLE;
    c->next = retry_at;
    c->nfirst = 0;
}

static void slow_open(slowloris_t *sl, slow_t *c, double t)
{
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl(0x7F000002u + c->addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (const struct sockaddr *)&src, sizeof src) != 0 ||
        (connect(fd, (const struct sockaddr *)&g.addr, sizeof g.addr) != 0 &&
         errno != EINPROGRESS)) {
        if (fd >= 0) {
            close(fd);
        }
        sl->open_errors++;
        c->next = t + sl->interval;
        return;
    }
    sl->opened++;
    c->fd = fd;
    c->state = SL_CONNECTING;
    c->opened = t;
}

/* The daemon closed c (end of stream or reset): what it was. */
static void slow_closed(slowloris_t *sl, slow_t *c, double t)
{
    if (c->nfirst >= 12 && memcmp(c->first, "HTTP/1.1 408", 12) == 0) {
        sl->timed_out++;
        lat_add(&sl->held, t - c->opened);
        slow_close(c, t); /* the attacker comes back at once */
    } else if (t - c->opened < 1.0 && c->nfirst == 0) {
        sl->refused++;
        slow_close(c, t + sl->interval);
    } else {
        sl->closed_other++;
        slow_close(c, t + sl->interval);
    }
}

/* Called about every 100 ms: opens, trickles, and notices closes. */
static void slow_tick(void *ud, double t)
{
    slowloris_t *sl = ud;
    static const char line[] = "GET /api/search?q=child HTTP/1.1\r\nHost: lzs-load\r\nX-Slow: ";
    for (size_t i = 0; i < sl->n; i++) {
        slow_t *c = &sl->c[i];
        if (c->state == SL_IDLE) {
            if (t >= c->next) {
                slow_open(sl, c, t);
            }
            continue;
        }
        if (c->state == SL_CONNECTING) {
            int err = 0;
            socklen_t len = sizeof err;
            struct sockaddr_in peer;
            socklen_t plen = sizeof peer;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0) {
                slow_closed(sl, c, t);
                continue;
            }
            if (getpeername(c->fd, (struct sockaddr *)&peer, &plen) != 0) {
                continue; /* still connecting */
            }
            if (send(c->fd, line, sizeof line - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof line - 1)) {
                slow_closed(sl, c, t);
                continue;
            }
            c->state = SL_TRICKLING;
            c->next = t + sl->interval;
            continue;
        }
        char buf[4096];
        ssize_t r = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0) {
            size_t k =
                (size_t)r < sizeof c->first - c->nfirst ? (size_t)r : sizeof c->first - c->nfirst;
            memcpy(c->first + c->nfirst, buf, k);
            c->nfirst += k;
            continue; /* the end of the stream follows the answer */
        }
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            slow_closed(sl, c, t);
            continue;
        }
        if (t >= c->next) {
            c->next += sl->interval;
            if (send(c->fd, "X", 1, MSG_NOSIGNAL) != 1 && errno != EAGAIN) {
                slow_closed(sl, c, t);
            }
        }
    }
}

static void slow_report(slowloris_t *sl, double seconds)
{
    size_t held = 0;
    for (size_t i = 0; i < sl->n; i++) {
        held += sl->c[i].state != SL_IDLE;
    }
    qsort(sl->held.v, sl->held.n, sizeof *sl->held.v, cmp_double);
    printf("slowloris over %.0f s: %llu connections opened, %llu refused at once, %llu closed "
           "by the daemon with a 408 (held p50 %.1f s, max %.1f s), %llu closed otherwise, "
           "%llu could not be opened; %zu of %zu held at the end\n",
           seconds, (unsigned long long)sl->opened, (unsigned long long)sl->refused,
           (unsigned long long)sl->timed_out, pct(&sl->held, 50), pct(&sl->held, 100),
           (unsigned long long)sl->closed_other, (unsigned long long)sl->open_errors, held, sl->n);
    fflush(stdout);
}

/* ---- probe: one URL at a time -------------------------------------------------------- */

static int probe(const char *file, double limit_ms)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "lzs-load: cannot open %s: %s\n", file, strerror(errno));
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int bad = 0;
    g.conns = 1;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            line[--len] = '\0';
        }
        if (len == 0 || line[0] == '#') {
            continue;
        }
        char *urls[1] = {line};
        char **saved = g.urls;
        size_t savedn = g.nurls;
        g.urls = urls;
        g.nurls = 1;
        stats_t st;
        run_rate(1000.0, 0.001, &st, NULL, NULL);
        g.urls = saved;
        g.nurls = savedn;
        /* An export is answered when it starts streaming: its headers are timed. */
        int export = strncmp(line, "/api/export", 11) == 0;
        double ms = (export ? st.last_head : st.last_total) * 1e3;
        const char *what = st.ok          ? "answered"
                           : st.status4xx ? "refused (4xx)"
                           : st.shed      ? "shed (503 busy)"
                           : st.status5xx ? "FAILED (5xx)"
                           : st.timeouts  ? "TIMEOUT"
                                          : "CONNECTION ERROR";
        int over = !(ms <= limit_ms) || errors_of(&st) > 0;
        bad |= over;
        char whole[96] = "";
        if (export) {
            snprintf(whole, sizeof whole, " to the headers (whole answer %.1f ms, %zu bytes)",
                     st.last_total * 1e3, st.last_bytes);
        }
        printf("%-16s %8.1f ms%s%s  %.150s%s\n", what, ms, whole, over ? "  OVER LIMIT" : "", line,
               len > 150 ? "..." : "");
        fflush(stdout);
        free(st.lat.v);
    }
    free(line);
    fclose(f);
    return bad ? 1 : 0;
}

/* ---- main -------------------------------------------------------------------------- */

static int load_urls(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "lzs-load: cannot open %s: %s\n", file, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            line[--len] = '\0';
        }
        if (len == 0 || line[0] == '#') {
            continue;
        }
        if (line[0] != '/') {
            fprintf(stderr, "lzs-load: %s: not a URL path: %.60s\n", file, line);
            fclose(f);
            free(line);
            return -1;
        }
        char **u = realloc(g.urls, (g.nurls + 1) * sizeof *u);
        if (!u || !(u[g.nurls] = strdup(line))) {
            fclose(f);
            free(line);
            return -1;
        }
        g.urls = u;
        g.nurls++;
    }
    free(line);
    fclose(f);
    if (g.nurls == 0) {
        fprintf(stderr, "lzs-load: %s has no URL\n", file);
        return -1;
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: lzs-load --port PORT [--host 127.0.0.1] [--source 127.0.0.2] [--urls FILE] "
            "[--conns N] [--timeout MS]\n"
            "                (--rates R1,R2,... [--duration S] | --soak S --rate R [--pid PID] "
            "| --probe FILE [--limit-ms MS])\n"
            "                [--slowloris N [--slow-per-addr 32] [--slow-interval 4] "
            "[--slow-warmup 5]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *rates = NULL, *urls = NULL, *probe_file = NULL;
    double duration = 30, soak = 0, soak_rate = 0, limit_ms = 200;
    double slow_interval = 4, slow_warmup = 5;
    unsigned slow_addrs = 0, slow_per_addr = 32;
    long pid = 0;
    snprintf(g.host, sizeof g.host, "127.0.0.1");
    g.conns = 24;
    g.timeout = 5.0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            return usage();
        }
        i++;
        if (strcmp(a, "--port") == 0) {
            g.port = (unsigned)atoi(v);
        } else if (strcmp(a, "--host") == 0) {
            snprintf(g.host, sizeof g.host, "%s", v);
        } else if (strcmp(a, "--source") == 0) {
            g.source.sin_family = AF_INET;
            if (inet_pton(AF_INET, v, &g.source.sin_addr) != 1 ||
                (ntohl(g.source.sin_addr.s_addr) >> 24) != 127) {
                fprintf(stderr, "lzs-load: --source %s is not an IPv4 loopback address\n", v);
                return 2;
            }
        } else if (strcmp(a, "--urls") == 0) {
            urls = v;
        } else if (strcmp(a, "--conns") == 0) {
            g.conns = (unsigned)atoi(v);
        } else if (strcmp(a, "--timeout") == 0) {
            g.timeout = atof(v) / 1000.0;
        } else if (strcmp(a, "--rates") == 0) {
            rates = v;
        } else if (strcmp(a, "--duration") == 0) {
            duration = atof(v);
        } else if (strcmp(a, "--soak") == 0) {
            soak = atof(v);
        } else if (strcmp(a, "--rate") == 0) {
            soak_rate = atof(v);
        } else if (strcmp(a, "--pid") == 0) {
            pid = atol(v);
        } else if (strcmp(a, "--probe") == 0) {
            probe_file = v;
        } else if (strcmp(a, "--limit-ms") == 0) {
            limit_ms = atof(v);
        } else if (strcmp(a, "--slowloris") == 0) {
            slow_addrs = (unsigned)atoi(v);
        } else if (strcmp(a, "--slow-per-addr") == 0) {
            slow_per_addr = (unsigned)atoi(v);
        } else if (strcmp(a, "--slow-interval") == 0) {
            slow_interval = atof(v);
        } else if (strcmp(a, "--slow-warmup") == 0) {
            slow_warmup = atof(v);
        } else {
            return usage();
        }
    }
    if (g.port == 0 || g.port > 65535 || g.conns == 0 || g.conns > MAX_CONNS || g.timeout <= 0 ||
        (!rates && soak <= 0 && !probe_file) || slow_addrs > 200 || slow_per_addr > 1024 ||
        slow_interval <= 0 || slow_warmup < 0 || (slow_addrs && !rates)) {
        return usage();
    }
    if (slow_addrs && g.source.sin_family == AF_INET) {
        uint32_t src = ntohl(g.source.sin_addr.s_addr);
        if (src >= 0x7F000002u && src < 0x7F000002u + slow_addrs) {
            fprintf(stderr, "lzs-load: --source is one of the attacking addresses\n");
            return 2;
        }
    }
    /* Loopback only: this program is for measuring one's own daemon. */
    g.addr.sin_family = AF_INET;
    g.addr.sin_port = htons((uint16_t)g.port);
    if (inet_pton(AF_INET, g.host, &g.addr.sin_addr) != 1 ||
        (ntohl(g.addr.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr,
                "lzs-load: %s is not an IPv4 loopback address (127.0.0.0/8): "
                "refusing to load another machine\n",
                g.host);
        return 2;
    }
    for (unsigned i = 0; i < MAX_CONNS; i++) {
        g_conns[i].fd = -1;
    }
    g_ep = epoll_create1(EPOLL_CLOEXEC);
    if (g_ep < 0) {
        perror("lzs-load: epoll_create1");
        return 1;
    }
    if (probe_file) {
        return probe(probe_file, limit_ms);
    }
    if (urls) {
        if (load_urls(urls) != 0) {
            return 2;
        }
    } else {
        g.urls = (char **)k_builtin_urls;
        g.nurls = sizeof k_builtin_urls / sizeof *k_builtin_urls;
    }
    int failed = 0;
    slowloris_t sl;
    memset(&sl, 0, sizeof sl);
    double slow_t0 = now_s();
    if (slow_addrs) {
        sl.n = (size_t)slow_addrs * slow_per_addr;
        sl.interval = slow_interval;
        sl.c = calloc(sl.n, sizeof *sl.c);
        if (!sl.c) {
            fprintf(stderr, "lzs-load: out of memory\n");
            return 1;
        }
        for (size_t i = 0; i < sl.n; i++) {
            sl.c[i].fd = -1;
            sl.c[i].addr = (unsigned)(i / slow_per_addr);
        }
        printf("slowloris: %u connections from each of %u addresses (127.0.0.2 to "
               "127.0.0.%u), a request line then one header byte every %g s; the rate runs "
               "start after %g s of it\n",
               slow_per_addr, slow_addrs, 1 + slow_addrs, slow_interval, slow_warmup);
        fflush(stdout);
        for (double t = now_s(); t - slow_t0 < slow_warmup; t = now_s()) {
            slow_tick(&sl, t);
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (rates) {
        printf("open-loop runs: %zu URLs round-robin, %u connections, %.0f s per rate, "
               "latency of the answered (2xx, 4xx) requests from the intended send time; "
               "shed: 503 busy answers, not errors\n",
               g.nurls, g.conns, duration);
        char *list = strdup(rates), *save = NULL;
        for (char *r = strtok_r(list, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
            double rate = atof(r);
            if (rate <= 0) {
                fprintf(stderr, "lzs-load: bad rate %s\n", r);
                return 2;
            }
            stats_t st;
            run_rate(rate, duration, &st, slow_addrs ? slow_tick : NULL, &sl);
            char label[32];
            snprintf(label, sizeof label, "%g/s", rate);
            report(label, &st);
            failed |= errors_of(&st) > 0;
            free(st.lat.v);
        }
        free(list);
    }
    if (slow_addrs) {
        slow_report(&sl, now_s() - slow_t0);
        for (size_t i = 0; i < sl.n; i++) {
            slow_close(&sl.c[i], 0);
        }
        free(sl.c);
        free(sl.held.v);
    }
    if (soak > 0) {
        if (soak_rate <= 0) {
            return usage();
        }
        printf("soak: %.0f s at %g req/s, %u connections\n", soak, soak_rate, g.conns);
        stats_t st;
        soak_t s = {.pid = pid, .rss_first_minute = -1, .st = &st};
        s.start = now_s();
        s.next_report = s.start + 10.0;
        s.rss_start = rss_kb(pid);
        run_rate(soak_rate, soak, &st, soak_tick, &s);
        long rss_end = rss_kb(pid);
        report("soak", &st);
        printf("soak: errors %llu; daemon RSS %ld kB at start, %ld kB after the first "
               "minute, %ld kB at the end (max %ld kB): growth after the first minute %+ld "
               "kB\n",
               (unsigned long long)errors_of(&st), s.rss_start, s.rss_first_minute, rss_end,
               s.rss_max,
               s.rss_first_minute >= 0 && rss_end >= 0 ? rss_end - s.rss_first_minute : 0);
        failed |= errors_of(&st) > 0;
        free(st.lat.v);
    }
    return failed ? 1 : 0;
}
