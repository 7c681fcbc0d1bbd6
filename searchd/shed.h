/* shed.h — load shedding: how long a request waited in the server's queue, and whether it
 * is answered 503 busy unworked because of it.
 *
 * A request that searches and that waited longer than max_queue_ms between its last byte
 * arriving and its handler running (busy workers, the kernel's accept backlog) is answered
 * 503 busy at once, without searching: its client has most likely given up, and working
 * on it would only make every later request wait longer too. The routes that search say
 * so in their row of the route table (routes.h). Called on the pool thread serving c.
 */
#ifndef LZS_SEARCHD_SHED_H
#define LZS_SEARCHD_SHED_H

#include <microhttpd.h>

#include "server_internal.h"

/* Milliseconds since the last bytes of the request arrived on c, read when its handler
 * first runs: the time it waited in the server's queue (the kernel's accept backlog, a
 * worker busy with other connections), which the HTTP library does not see. 0 when it
 * cannot be known: not a TCP connection, not Linux, or the call fails. */
unsigned lzs_sd_shed_queue_ms(struct MHD_Connection *c);

/* Answers 503 busy at once (*res: what the handler returns) and returns 1 when rq waited
 * longer than srv's max_queue_ms (rq->queue_ms, counted in /metrics); 0 otherwise, and
 * nothing is answered. Called once the request's parameters are known to be valid (a bad
 * request is answered 400 whatever the load: trying it again later would not help). */
int lzs_sd_shed(lzs_sd_server_t *srv, struct MHD_Connection *c, lzs_sd_request_t *rq,
                enum MHD_Result *res);

#endif
