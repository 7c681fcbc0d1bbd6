/* screen.c — the listening socket, and the screening of request heads before the HTTP
 * library reads them (see screen.h). */
#define _GNU_SOURCE /* accept4 */
#include "screen.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "lzs/search.h"
#include "metrics.h"
#include "page.h"
#include "reply.h"
#include "routes.h"

enum { S_HEAD, S_ANSWER, S_DRAIN };

/* Bytes a refused client may still send after its answer before it is cut off. */
#define DRAIN_MAX (4u << 20)
/* Seconds accepting pauses when the process is out of file descriptors. */
#define ACCEPT_PAUSE 0.1
/* Connections accepted at most before the other events are looked at again. */
#define ACCEPT_BATCH 64

typedef struct {
    int fd; /* -1: the slot is free */
    int state;
    struct sockaddr_storage addr;
    socklen_t addrlen;
    double accepted; /* monotonic seconds */
    double deadline; /* of the present state */
    char *out;       /* S_ANSWER: the answer, of outlen bytes, outoff of them sent */
    size_t outlen, outoff;
    size_t drained;
} conn_t;

struct lzs_sd_screen {
    lzs_sd_screen_config_t cfg;
    int lfd, ep, stopfd;
    uint16_t port;
    conn_t *conns;              /* LZS_SD_CONN_LIMIT slots: never more connections than that */
    char *buf;                  /* LZS_SD_PEEK_MAX bytes */
    double accept_paused_until; /* 0: accepting */
    pthread_t thread;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void conn_close(lzs_sd_screen_t *scr, conn_t *c)
{
    epoll_ctl(scr->ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    lzs_sd_conns_release(scr->cfg.conns, (struct sockaddr *)&c->addr, c->addrlen);
    free(c->out);
    c->out = NULL;
    c->fd = -1;
}

/* The client went away, or never sent a whole head in time: no request, no answer. */
static void close_without_request(lzs_sd_screen_t *scr, conn_t *c)
{
    lzs_sd_metrics_closed_without_request();
    conn_close(scr, c);
}

/* Sends what is left of the answer; once all of it is sent, ends the sending side and
 * drains. */
static void answer_write(lzs_sd_screen_t *scr, conn_t *c)
{
    while (c->outoff < c->outlen) {
        ssize_t w = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (w <= 0) {
            conn_close(scr, c);
            return;
        }
        c->outoff += (size_t)w;
    }
    free(c->out);
    c->out = NULL;
    /* The client reads the answer, then the end of the stream. */
    shutdown(c->fd, SHUT_WR);
    c->state = S_DRAIN;
}

/* Reads and drops whatever the client still sends; closes at its end. */
static void drain(lzs_sd_screen_t *scr, conn_t *c)
{
    for (;;) {
        ssize_t r = recv(c->fd, scr->buf, LZS_SD_PEEK_MAX, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r <= 0 || (c->drained += (size_t)r) > DRAIN_MAX) {
            conn_close(scr, c);
            return;
        }
    }
}

/* Reads and drops what has arrived so far, the end of the stream included: a client that
 * sent its head and closed its sending side still gets its answer. Bounded, so that a
 * client sending without end cannot hold the screening thread here: the rest is left to
 * drain(). */
static void discard(lzs_sd_screen_t *scr, conn_t *c)
{
    while (c->drained < LZS_SD_PEEK_MAX) {
        ssize_t r = recv(c->fd, scr->buf, LZS_SD_PEEK_MAX, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return;
        c->drained += (size_t)r;
    }
}

/* The daemon's own answer to a head it refuses (or that came too late): status, a body
 * of type (owned: freed here; NULL when it could not be made) and the same headers as any
 * other answer; then the connection is closed. message is what the log says. */
static void answer_body(lzs_sd_screen_t *scr, conn_t *c, unsigned status, const char *type,
                        char *body, size_t blen, const char *message, int head_only)
{
    double t = now_s();
    char date[64];
    time_t wall = time(NULL);
    struct tm tm;
    lzs_sd_buf_t b = {0};

    if (status == 408) {
        lzs_sd_metrics_closed_without_request();
    } else {
        lzs_sd_metrics_request(LZS_SD_M_OTHER, status, t - c->accepted);
        fprintf(stderr, "lzs-searchd: - - %u %.1f ms (request head refused: %s)\n", status,
                (t - c->accepted) * 1e3, message);
    }
    /* What was peeked is dropped: this connection ends with the answer. */
    discard(scr, c);
    if (!body) {
        conn_close(scr, c);
        return;
    }
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&wall, &tm));
    lzs_sd_buf_printf(&b,
                      "HTTP/1.1 %u %s\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n",
                      status, MHD_get_reason_phrase_for(status), date, type, blen);
    for (const lzs_sd_header_t *hd = lzs_sd_reply_headers; hd->name; hd++)
        lzs_sd_buf_printf(&b, "%s: %s\r\n", hd->name, hd->value);
    lzs_sd_buf_puts(&b, "\r\n");
    if (!head_only)
        lzs_sd_buf_append(&b, body, blen);
    free(body);
    if (b.failed) {
        lzs_sd_buf_free(&b);
        conn_close(scr, c);
        return;
    }
    c->out = b.data;
    c->outlen = b.len;
    c->outoff = 0;
    c->state = S_ANSWER;
    c->deadline = t + LZS_SD_DRAIN_SECONDS;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c};
    epoll_ctl(scr->ep, EPOLL_CTL_MOD, c->fd, &ev);
    answer_write(scr, c);
}

/* The answer with the daemon's JSON error (reply.h). */
static void answer(lzs_sd_screen_t *scr, conn_t *c, unsigned status, const char *code,
                   const char *message, int head_only)
{
    size_t blen = 0;
    char *body = lzs_sd_reply_error(code, NULL, -1, message, &blen);
    answer_body(scr, c, status, LZS_SD_JSON_TYPE, body, blen, message, head_only);
}

/* The answer to a target too long for the page's route: the page's HTML error page,
 * saying what a reader can do about it, which is shortening the query. */
static void answer_page_too_long(lzs_sd_screen_t *scr, conn_t *c, const lzs_sd_head_t *h)
{
    char sentence[400];
    lzs_sd_buf_t page = {0};
    snprintf(sentence, sizeof sentence,
             "This address is too long: its part after the site's name is %s%zu bytes, and "
             "at most %d are accepted. A search takes a query of at most %d bytes (a letter "
             "such as é counts as 2 bytes, and in the address as 6). Shorten the query to "
             "search.",
             h->target_whole ? "" : "over ",
             h->target_whole ? h->target_len : (size_t)LZS_SD_MAX_URI, LZS_SD_MAX_URI,
             LZS_SEARCH_MAX_QUERY);
    if (lzs_sd_page_error_html(scr->cfg.web, "This address is too long", NULL, sentence, &page) !=
        0) {
        lzs_sd_buf_free(&page);
        page.data = NULL;
    }
    answer_body(scr, c, h->status, LZS_SD_HTML_TYPE, page.data, page.len, h->message,
                h->method_head);
}

static void hand_over(lzs_sd_screen_t *scr, conn_t *c)
{
    struct sockaddr_storage addr = c->addr;
    socklen_t addrlen = c->addrlen;
    int fd = c->fd;
    epoll_ctl(scr->ep, EPOLL_CTL_DEL, fd, NULL);
    c->fd = -1;
    /* From here the connection is counted as the HTTP library's (server.c releases it). */
    scr->cfg.handoff(scr->cfg.cls, fd, (struct sockaddr *)&addr, addrlen);
}

/* Peeks at what has arrived on c and acts on the verdict. */
static void screen(lzs_sd_screen_t *scr, conn_t *c, unsigned events)
{
    ssize_t n = recv(c->fd, scr->buf, LZS_SD_PEEK_MAX, MSG_PEEK);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            close_without_request(scr, c);
        return;
    }
    if (n <= 0) {
        close_without_request(scr, c);
        return;
    }
    lzs_sd_head_t h;
    lzs_sd_head_verdict_t v = lzs_sd_head_check(scr->buf, (size_t)n, &h);
    if (v == LZS_SD_HEAD_MORE && (size_t)n >= LZS_SD_PEEK_MAX) {
        /* Cannot happen within the rules' own limits; kept so that a full buffer can
         * never wait forever. */
        answer(scr, c, 431, "headers_too_large", "the request head is too large", h.method_head);
        return;
    }
    if (v == LZS_SD_HEAD_MORE) {
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            close_without_request(scr, c);
        return;
    }
    if (v == LZS_SD_HEAD_BAD && h.status == 414 &&
        lzs_sd_route_html(scr->buf + h.target_off, h.target_len)) {
        answer_page_too_long(scr, c, &h);
        return;
    }
    if (v == LZS_SD_HEAD_BAD) {
        answer(scr, c, h.status, h.code, h.message, h.method_head);
        return;
    }
    hand_over(scr, c);
}

static void on_event(lzs_sd_screen_t *scr, conn_t *c, unsigned events)
{
    if (c->state == S_HEAD) {
        screen(scr, c, events);
        return;
    }
    if (c->state == S_ANSWER && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
        answer_write(scr, c);
    if (c->fd >= 0 && c->state == S_DRAIN)
        drain(scr, c);
}

static void set_accepting(lzs_sd_screen_t *scr, int on)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &scr->lfd};
    epoll_ctl(scr->ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, scr->lfd, on ? &ev : NULL);
}

/* Connections still sending their heads from addr's address. */
static unsigned slow_from(const lzs_sd_screen_t *scr, const struct sockaddr *addr,
                          socklen_t addrlen)
{
    unsigned n = 0;
    for (unsigned i = 0; i < LZS_SD_CONN_LIMIT; i++) {
        const conn_t *c = &scr->conns[i];
        if (c->fd >= 0 && c->state == S_HEAD &&
            lzs_sd_conns_same_address((const struct sockaddr *)&c->addr, c->addrlen, addr, addrlen))
            n++;
    }
    return n;
}

/* The daemon is full and a connection from addr is waiting: closes a connection that has
 * had its answer and is only drained, or else the oldest connection still sending its
 * head from the address that has the most of those, when it has at least two more of
 * them than addr's address (taking one then leaves it no fewer than the newcomer).
 * Returns 1 when a place was freed. Served connections are never closed for this: a
 * slowloris attack consists of connections sending their heads, while a busy client's
 * connections are being served; so a few attacking addresses cannot keep any client out,
 * and their shares even out. */
static int make_room(lzs_sd_screen_t *scr, const struct sockaddr *addr, socklen_t addrlen)
{
    unsigned most = slow_from(scr, addr, addrlen) + 1;
    conn_t *victim = NULL;
    /* First a connection already answered (a refused head, a 408) that is only drained
     * now: its client has its answer, it asks for nothing more. Many of them at once
     * follow a wave of slow connections reaching their deadline together. */
    for (unsigned i = 0; i < LZS_SD_CONN_LIMIT; i++) {
        conn_t *c = &scr->conns[i];
        if (c->fd >= 0 && c->state == S_DRAIN && (!victim || c->deadline < victim->deadline))
            victim = c;
    }
    if (victim) {
        conn_close(scr, victim);
        return 1;
    }
    for (unsigned i = 0; i < LZS_SD_CONN_LIMIT; i++) {
        conn_t *c = &scr->conns[i];
        if (c->fd < 0 || c->state != S_HEAD)
            continue;
        unsigned n = slow_from(scr, (struct sockaddr *)&c->addr, c->addrlen);
        if (n > most || (n == most && victim && c->accepted < victim->accepted)) {
            victim = c;
            most = n;
        }
    }
    if (!victim)
        return 0;
    lzs_sd_metrics_connection_evicted();
    close_without_request(scr, victim);
    return 1;
}

static void accept_all(lzs_sd_screen_t *scr)
{
    /* The listening socket is level-triggered: what is left is reported again. */
    for (int k = 0; k < ACCEPT_BATCH; k++) {
        struct sockaddr_storage addr;
        socklen_t addrlen = sizeof addr;
        int fd =
            accept4(scr->lfd, (struct sockaddr *)&addr, &addrlen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
            continue;
        if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)) {
            /* The connection stays in the kernel's queue; the listening socket would
             * stay readable and spin the loop: look again a little later. */
            fprintf(stderr, "lzs-searchd: cannot accept a connection: %s\n", strerror(errno));
            scr->accept_paused_until = now_s() + ACCEPT_PAUSE;
            set_accepting(scr, 0);
            return;
        }
        if (fd < 0)
            return;
        lzs_sd_metrics_connection_accepted();
        conn_t *c = NULL;
        lzs_sd_admission_t adm =
            lzs_sd_conns_admit(scr->cfg.conns, (struct sockaddr *)&addr, addrlen);
        if (adm == LZS_SD_FULL && make_room(scr, (struct sockaddr *)&addr, addrlen))
            adm = lzs_sd_conns_admit(scr->cfg.conns, (struct sockaddr *)&addr, addrlen);
        if (adm == LZS_SD_ADMITTED) {
            for (unsigned i = 0; i < LZS_SD_CONN_LIMIT && !c; i++) {
                if (scr->conns[i].fd < 0)
                    c = &scr->conns[i];
            }
            if (!c) /* cannot happen: admitted connections never outnumber the slots */
                lzs_sd_conns_release(scr->cfg.conns, (struct sockaddr *)&addr, addrlen);
        }
        if (!c) {
            /* Over the cap or over the address's share: closed unanswered, at once. */
            lzs_sd_metrics_connection_refused();
            close(fd);
            continue;
        }
        memset(c, 0, sizeof *c);
        c->fd = fd;
        c->state = S_HEAD;
        c->addr = addr;
        c->addrlen = addrlen;
        c->accepted = now_s();
        c->deadline = c->accepted + scr->cfg.head_timeout;
        /* Edge-triggered: a peek consumes nothing, so a level-triggered socket with part
         * of a head would be reported ready again and again. Each new segment is an
         * edge; the head is judged anew from its first byte each time. */
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = c};
        if (epoll_ctl(scr->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
            c->fd = fd;
            close_without_request(scr, c);
            continue;
        }
        screen(scr, c, 0);
    }
}

/* Milliseconds until the earliest deadline (of a connection, or of the accept pause);
 * -1: none. */
static int next_timeout(const lzs_sd_screen_t *scr, double t)
{
    double next = scr->accept_paused_until > 0 ? scr->accept_paused_until : -1;
    for (unsigned i = 0; i < LZS_SD_CONN_LIMIT; i++) {
        const conn_t *c = &scr->conns[i];
        if (c->fd >= 0 && (next < 0 || c->deadline < next))
            next = c->deadline;
    }
    if (next < 0)
        return -1;
    double ms = (next - t) * 1e3;
    return ms <= 0 ? 0 : ms > 60000 ? 60000 : (int)ms + 1;
}

static void expire(lzs_sd_screen_t *scr, double t)
{
    char msg[96];
    if (scr->accept_paused_until > 0 && t >= scr->accept_paused_until) {
        scr->accept_paused_until = 0;
        set_accepting(scr, 1);
    }
    for (unsigned i = 0; i < LZS_SD_CONN_LIMIT; i++) {
        conn_t *c = &scr->conns[i];
        if (c->fd < 0 || t < c->deadline)
            continue;
        if (c->state == S_HEAD) {
            snprintf(msg, sizeof msg, "the request head did not arrive in full within %u seconds",
                     scr->cfg.head_timeout);
            answer(scr, c, 408, "request_timeout", msg, 0);
        } else {
            conn_close(scr, c);
        }
    }
}

static void *screen_main(void *arg)
{
    lzs_sd_screen_t *scr = arg;
    struct epoll_event evs[64];
    for (;;) {
        int n = epoll_wait(scr->ep, evs, 64, next_timeout(scr, now_s()));
        int stop = 0;
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == &scr->stopfd)
                stop = 1;
            else if (evs[i].data.ptr == &scr->lfd)
                accept_all(scr);
            else if (((conn_t *)evs[i].data.ptr)->fd >= 0)
                on_event(scr, evs[i].data.ptr, evs[i].events);
        }
        if (stop)
            break;
        expire(scr, now_s());
    }
    for (unsigned i = 0; i < LZS_SD_CONN_LIMIT; i++) {
        conn_t *c = &scr->conns[i];
        if (c->fd >= 0 && c->state == S_HEAD)
            close_without_request(scr, c);
        else if (c->fd >= 0)
            conn_close(scr, c);
    }
    return NULL;
}

/* Frees what lzs_sd_screen_start() made; the thread is not running. */
static void screen_free(lzs_sd_screen_t *scr)
{
    if (scr->lfd >= 0)
        close(scr->lfd);
    if (scr->ep >= 0)
        close(scr->ep);
    if (scr->stopfd >= 0)
        close(scr->stopfd);
    free(scr->conns);
    free(scr->buf);
    free(scr);
}

lzs_status_t lzs_sd_screen_start(const lzs_sd_screen_config_t *cfg, lzs_sd_screen_t **out,
                                 char **errmsg)
{
    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    lzs_sd_screen_t *scr = calloc(1, sizeof *scr);
    if (!scr)
        return LZS_ERR_NOMEM;
    scr->cfg = *cfg;
    scr->ep = scr->stopfd = -1;
    int v6 = cfg->addr.ss_family == AF_INET6;
    scr->lfd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    scr->conns = calloc(LZS_SD_CONN_LIMIT, sizeof *scr->conns);
    scr->buf = malloc(LZS_SD_PEEK_MAX);
    if (scr->lfd < 0 || !scr->conns || !scr->buf) {
        int e = errno;
        screen_free(scr);
        if (errmsg)
            *errmsg = strdup(strerror(e));
        return e == ENOMEM ? LZS_ERR_NOMEM : LZS_ERR_IO;
    }
    for (unsigned i = 0; i < LZS_SD_CONN_LIMIT; i++)
        scr->conns[i].fd = -1;
    int one = 1;
    setsockopt(scr->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (v6) /* [::1]:8080 means IPv6 only, as the HTTP library had it */
        setsockopt(scr->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    socklen_t alen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    if (bind(scr->lfd, (const struct sockaddr *)&cfg->addr, alen) != 0 ||
        listen(scr->lfd, SOMAXCONN) != 0 ||
        getsockname(scr->lfd, (struct sockaddr *)&bound, &blen) != 0) {
        int e = errno;
        screen_free(scr);
        if (errmsg)
            *errmsg = strdup(strerror(e));
        return LZS_ERR_IO;
    }
    scr->port = ntohs(v6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                         : ((struct sockaddr_in *)&bound)->sin_port);
    scr->ep = epoll_create1(EPOLL_CLOEXEC);
    scr->stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &scr->stopfd};
    if (scr->ep < 0 || scr->stopfd < 0 ||
        epoll_ctl(scr->ep, EPOLL_CTL_ADD, scr->stopfd, &ev) != 0) {
        int e = errno;
        screen_free(scr);
        if (errmsg)
            *errmsg = strdup(strerror(e));
        return LZS_ERR_IO;
    }
    set_accepting(scr, 1);
    if (pthread_create(&scr->thread, NULL, screen_main, scr) != 0) {
        screen_free(scr);
        if (errmsg)
            *errmsg = strdup("cannot start the screening thread");
        return LZS_ERR_IO;
    }
    *out = scr;
    return LZS_OK;
}

uint16_t lzs_sd_screen_port(const lzs_sd_screen_t *scr)
{
    return scr->port;
}

void lzs_sd_screen_stop(lzs_sd_screen_t *scr)
{
    if (!scr)
        return;
    uint64_t one = 1;
    while (write(scr->stopfd, &one, sizeof one) < 0 && errno == EINTR)
        ;
    pthread_join(scr->thread, NULL);
    screen_free(scr);
}
