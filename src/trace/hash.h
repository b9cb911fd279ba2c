/* SPDX-License-Identifier: MIT */
/*
 * Private to src/trace: uthash, the design's package for lookup tables,
 * set up for the tool. Its tables allocate through irqsim_malloc(), so
 * IRQSIM_FAIL_ALLOC reaches them, and running out of memory is an error
 * to unwind from, not an exit: an item HASH_ADD could not add is left
 * out of the table, and trace_hash_added() says so.
 *
 * The keys are short (an object id, an edge's ends, a graph name): FNV-1a
 * hashes them in fewer instructions than uthash's default, Jenkins
 * (docs/architecture.md, "Renderers' tables", has the measurements).
 *
 * A table only finds things: nothing is printed by walking one. Output
 * follows the arrays the items live in, so no output's order can depend
 * on a table's.
 */
#ifndef IRQSIM_TRACE_HASH_H
#define IRQSIM_TRACE_HASH_H

#include <stdlib.h>

#include "sched/alloc.h"

#define uthash_malloc(size)	irqsim_malloc(size)
#define uthash_free(ptr, size)	free(ptr)
#define HASH_NONFATAL_OOM	1
#define HASH_FUNCTION		HASH_FNV

#include <uthash.h>

/* After HASH_ADD*(hh, ...): whether @item went in (false: out of memory). */
#define trace_hash_added(item)	((item)->hh.tbl != NULL)

#endif
