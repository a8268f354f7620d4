/* pipeline.h - the reader on one thread, the checks on another: a sink
 * that copies what a reader delivers into batches and hands them, in
 * order, to another sink on a worker thread. */
#ifndef BILLCHECK_PIPELINE_H
#define BILLCHECK_PIPELINE_H

#include "input.h"

typedef struct pipeline pipeline;

/* Starts a worker thread that delivers to `to` (borrowed; it must outlive
 * the pipeline).  Returns NULL when no thread can be started, and the
 * caller then delivers to `to` itself. */
pipeline *pipeline_new(const struct input_sink *to);

/* The sink a reader delivers to.  Lines, rejects, errors and notes reach
 * `to` in the order they were delivered here. */
const struct input_sink *pipeline_sink(pipeline *p);

/* Hands what has been delivered so far to the worker without waiting
 * for a full batch: for input that arrives slowly (a pipe). */
void pipeline_flush(pipeline *p);

/* Returns once everything delivered so far has reached `to`, so the
 * caller may use what `to` writes to. */
void pipeline_wait(pipeline *p);

/* Waits, then stops the worker.  NULL is a no-op. */
void pipeline_free(pipeline *p);

#endif
