// SPDX-License-Identifier: MIT
/*
 * Program point coverage (sched/cover.h): a byte per resume point, marked
 * by the resume macros while a search records it, and the report that
 * gathers the points by modeled function.
 */
#include "sched/cover.h"
#include "sched/alloc.h"

#include <ck_pr.h>
#include <stdlib.h>
#include <string.h>

/* The marks while coverage is on; NULL otherwise (the macros test it). */
unsigned char *irqsim_cover_map;
/* The marks of the last recording, kept for the report. */
static unsigned char *cover_marks;

/* Both sections as the linker gathered them; weak: a program may have none. */
extern const struct irqsim_point __start_irqsim_point[] __attribute__((weak));
extern const struct irqsim_point __stop_irqsim_point[] __attribute__((weak));
extern const struct irqsim_fn_def __start_irqsim_fn[] __attribute__((weak));
extern const struct irqsim_fn_def __stop_irqsim_fn[] __attribute__((weak));

static size_t npoints(void)
{
	return __start_irqsim_point ?
		       (size_t)(__stop_irqsim_point - __start_irqsim_point) :
		       0;
}

/*
 * Out of line and cold, so that a point costs the code around it only
 * the test of irqsim_cover_map. Workers of one search mark the same
 * bytes: an atomic store (ck_pr, whose assembly the instrumented twin
 * leaves alone), the same value from every thread.
 */
void irqsim_cover_hit(const struct irqsim_point *p)
{
	unsigned char *map = irqsim_cover_map;

	if (map && p >= __start_irqsim_point && p < __stop_irqsim_point)
		ck_pr_store_8(&map[p - __start_irqsim_point], 1);
}

int irqsim_cover_start(void)
{
#ifdef IRQSIM_FP_BUILD
	size_t n = npoints();

	free(cover_marks);
	cover_marks = irqsim_calloc(n ? n : 1, 1);
	if (!cover_marks)
		return -12; /* -ENOMEM */
	irqsim_cover_map = cover_marks;
	return 0;
#else
	/* the plain tool's points mark nothing (sched/sched.h) */
	return -95; /* -EOPNOTSUPP */
#endif
}

void irqsim_cover_stop(void)
{
	irqsim_cover_map = NULL;
}

static int def_cmp(const void *a, const void *b)
{
	const struct irqsim_fn_def *const *x = a, *const *y = b;

	return strcmp((*x)->cname, (*y)->cname);
}

/* By step function (its C name), then source line, the entry first. */
static int point_cmp(const void *a, const void *b)
{
	const struct irqsim_point *const *x = a, *const *y = b;
	int c = strcmp((*x)->func, (*y)->func);

	if (c)
		return c;
	if ((*x)->at != (*y)->at)
		return (*x)->at < (*y)->at ? -1 : 1;
	return ((*x)->pc > (*y)->pc) - ((*x)->pc < (*y)->pc);
}

static int fn_cmp(const void *a, const void *b)
{
	const struct irqsim_cover_fn *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/*
 * The points grouped by the C function whose body holds them, named as
 * the modeled function IRQSIM_DEFINE_FN() registered for it, or by its C
 * name: a body a step function hands its frame to (vfio_msi_set_vector_
 * signal() runs vfio_msi_set_vector_signal_series() under a knob) has
 * its own entry and points.
 */
int irqsim_cover_report(struct irqsim_cover_report *r)
{
	size_t ndefs = 0, n = npoints(), nfn = 0;
	const struct irqsim_fn_def **by_c = NULL;
	const struct irqsim_point **sorted = NULL;
	int ret = -12;

	memset(r, 0, sizeof(*r));
	if (__start_irqsim_fn)
		ndefs = (size_t)(__stop_irqsim_fn - __start_irqsim_fn);
	by_c = irqsim_calloc(ndefs + 1, sizeof(*by_c));
	sorted = irqsim_calloc(n + 1, sizeof(*sorted));
	r->fn = irqsim_calloc(n + 1, sizeof(*r->fn));
	r->point = irqsim_calloc(n + 1, sizeof(*r->point));
	if (!by_c || !sorted || !r->fn || !r->point)
		goto out;
	for (size_t i = 0; i < ndefs; i++)
		by_c[i] = &__start_irqsim_fn[i];
	qsort(by_c, ndefs, sizeof(*by_c), def_cmp);
	for (size_t i = 0; i < n; i++)
		sorted[i] = &__start_irqsim_point[i];
	qsort(sorted, n, sizeof(*sorted), point_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct irqsim_point *p = sorted[i];
		struct irqsim_cover_fn *f = nfn ? &r->fn[nfn - 1] : NULL;
		size_t idx = (size_t)(p - __start_irqsim_point);

		r->point[i].p = p;
		r->point[i].reached = cover_marks && cover_marks[idx];
		if (!f || strcmp(f->point[0].p->func, p->func)) {
			struct irqsim_fn_def key = { .cname = p->func };
			const struct irqsim_fn_def *kp = &key, **def;

			def = ndefs ? bsearch(&kp, by_c, ndefs, sizeof(*by_c),
					      def_cmp) :
				      NULL;
			f = &r->fn[nfn++];
			f->name = def ? (*def)->name : p->func;
			f->registered = def != NULL;
			f->file = p->file;
			f->point = &r->point[i];
			r->unregistered += !def;
		}
		f->n++;
		f->reached += r->point[i].reached;
	}
	qsort(r->fn, nfn, sizeof(*r->fn), fn_cmp);
	r->nfn = nfn;
	r->npoints = n;
	ret = 0;
out:
	free(by_c);
	free(sorted);
	return ret;
}

void irqsim_cover_report_free(struct irqsim_cover_report *r)
{
	free(r->fn);
	free(r->point);
	memset(r, 0, sizeof(*r));
}
