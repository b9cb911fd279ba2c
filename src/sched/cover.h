/* SPDX-License-Identifier: MIT */
/*
 * Program point coverage, as SPIN's "unreached in proctype": which resume
 * points of each modeled function (and which entries) no schedule of a
 * search reached.
 *
 * The points are the static records the resume macros leave in the
 * irqsim_point section (sched/sched.h): a function's list is exactly the
 * resume points the compiler saw in its body. While coverage is on,
 * irqsim_cover_map holds a byte per point and every point a schedule
 * passes marks its byte, from whatever thread runs it (--jobs workers
 * included). Only the instrumented twin's points mark (sched/sched.h).
 */
#ifndef IRQSIM_SCHED_COVER_H
#define IRQSIM_SCHED_COVER_H

#include "sched/sched.h"

/*
 * irqsim_cover_start - mark points from now on, from none reached
 * Return: 0, -ENOMEM, or -EOPNOTSUPP (-95) in the plain tool, whose
 * points mark nothing (the instrumented twin, irqsim-fp, records them).
 */
int irqsim_cover_start(void);
/* Stop marking (what was marked stays for irqsim_cover_report()). */
void irqsim_cover_stop(void);

/* One program point, and whether a schedule reached it. */
struct irqsim_cover_point {
	const struct irqsim_point *p;
	bool reached;
};

/**
 * struct irqsim_cover_fn - one modeled function's points
 * @name:    its registered name (the logs' and irqsim_fn_name()'s), or
 *           the C name of a body no IRQSIM_DEFINE_FN() registers (one a
 *           modeled function hands its frame to)
 * @registered: @name is a modeled function's
 * @file:    its source, as compiled
 * @point:   its points, by source line (the entry first)
 * @n:       their number
 * @reached: how many a schedule reached
 */
struct irqsim_cover_fn {
	const char *name;
	bool registered;
	const char *file;
	const struct irqsim_cover_point *point;
	size_t n, reached;
};

/**
 * struct irqsim_cover_report - every function with points, by name
 * @fn:      each C function whose body holds points
 * @point:   every point, grouped as @fn's point arrays
 * @unregistered: those of @fn no IRQSIM_DEFINE_FN() registers
 */
struct irqsim_cover_report {
	struct irqsim_cover_fn *fn;
	size_t nfn;
	struct irqsim_cover_point *point;
	size_t npoints, unregistered;
};

/*
 * irqsim_cover_report - the points and what the marking since the last
 * irqsim_cover_start() reached (none reached if it never started)
 * Return: 0, or -ENOMEM; irqsim_cover_report_free() it either way.
 */
int irqsim_cover_report(struct irqsim_cover_report *r);
void irqsim_cover_report_free(struct irqsim_cover_report *r);

#endif
