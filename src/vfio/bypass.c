// SPDX-License-Identifier: MIT
/*
 * Models virt/lib/irqbypass.c (Linux v6.18): producers and consumers
 * registered under one global mutex (so each registration is one step
 * here) pair up when their tokens match; __connect() calls the
 * consumer's add_producer (KVM: kvm_arch_irq_bypass_add_producer ->
 * vmx_pi_update_irte, which puts the IRTE in posted mode), __disconnect()
 * its del_producer (the IRTE back to remapped mode).
 *
 * VFIO's producer: token = the vector's trigger eventfd, irq = its Linux
 * irq (vfio_msi_set_vector_signal). KVM's consumer: token = the irqfd's
 * eventfd (kvm_irqfd_assign). So a vector is posted only while its
 * trigger is the KVM irqfd's eventfd, and "the token is only used for
 * pairing" (Ben Luo): the host action's dev_id is not consulted.
 */
#include "vfio/internal.h"

#include <errno.h>

static const struct irq_bypass_consumer_ops *consumer_ops;

void irq_bypass_set_consumer_ops(const struct irq_bypass_consumer_ops *ops)
{
	consumer_ops = ops;
}

void irq_bypass_init(struct irq_bypass *b)
{
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++)
		for (int v = 0; v < IRQSIM_MAX_VECS; v++)
			b->prod[d][v] = (struct irq_bypass_producer){
				.token = -1, .irq = -1, .consumer = -1,
			};
	for (int e = 0; e < IRQSIM_MAX_EVENTFDS; e++)
		b->cons[e] = (struct irq_bypass_consumer){
			.gsi = -1, .producer = -1,
		};
}

const struct irq_bypass_producer *
irq_bypass_producer_of(const struct vfio_world *vw, int dev, int vec)
{
	const struct irq_bypass_producer *p = &vw->bypass.prod[dev][vec];

	return p->token >= 0 ? p : NULL;
}

static bool bypass_connect(struct irqsim_ctx *ctx, int dev, int vec, int efd)
{
	struct irq_bypass *b = &vfio_w(ctx)->bypass;
	struct irq_bypass_producer *p = &b->prod[dev][vec];

	p->consumer = (int8_t)efd;
	b->cons[efd].producer = (int8_t)(dev * IRQSIM_MAX_VECS + vec);
	return consumer_ops && consumer_ops->add_producer(ctx, efd, p->irq);
}

static bool bypass_disconnect(struct irqsim_ctx *ctx, int dev, int vec)
{
	struct irq_bypass *b = &vfio_w(ctx)->bypass;
	struct irq_bypass_producer *p = &b->prod[dev][vec];
	int efd = p->consumer;

	if (efd < 0)
		return false;
	p->consumer = -1;
	b->cons[efd].producer = -1;
	return consumer_ops && consumer_ops->del_producer(ctx, efd, p->irq);
}

int irq_bypass_register_producer(struct irqsim_ctx *ctx, int dev, int vec,
				 int token, int irq, bool *visible)
{
	struct irq_bypass *b = &vfio_w(ctx)->bypass;
	struct irq_bypass_producer *p = &b->prod[dev][vec];

	*visible = false;
	if (token < 0 || token >= IRQSIM_MAX_EVENTFDS)
		return -EINVAL;
	/* the same token twice in the producer list: -EBUSY */
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++)
		for (int v = 0; v < IRQSIM_MAX_VECS; v++)
			if (b->prod[d][v].token == token)
				return -EBUSY;
	p->token = (int8_t)token;
	p->irq = (int8_t)irq;
	p->consumer = -1;
	if (b->cons[token].registered && b->cons[token].producer < 0)
		*visible = bypass_connect(ctx, dev, vec, token);
	return 0;
}

void irq_bypass_unregister_producer(struct irqsim_ctx *ctx, int dev, int vec,
				    bool *visible)
{
	struct irq_bypass_producer *p = &vfio_w(ctx)->bypass.prod[dev][vec];

	*visible = false;
	if (p->token < 0)
		return;
	*visible = bypass_disconnect(ctx, dev, vec);
	*p = (struct irq_bypass_producer){
		.token = -1, .irq = -1, .consumer = -1,
	};
}

int irq_bypass_register_consumer(struct irqsim_ctx *ctx, int efd, int gsi,
				 bool *visible)
{
	struct irq_bypass *b = &vfio_w(ctx)->bypass;

	*visible = false;
	if (efd < 0 || efd >= IRQSIM_MAX_EVENTFDS)
		return -EINVAL;
	if (b->cons[efd].registered)
		return -EBUSY;
	b->cons[efd] = (struct irq_bypass_consumer){
		.registered = 1, .gsi = (int8_t)gsi, .producer = -1,
	};
	for (int d = 0; d < IRQSIM_MAX_DEVS; d++)
		for (int v = 0; v < IRQSIM_MAX_VECS; v++)
			if (b->prod[d][v].token == efd) {
				*visible = bypass_connect(ctx, d, v, efd);
				return 0;
			}
	return 0;
}

void irq_bypass_unregister_consumer(struct irqsim_ctx *ctx, int efd,
				    bool *visible)
{
	struct irq_bypass *b = &vfio_w(ctx)->bypass;
	int producer;

	*visible = false;
	if (efd < 0 || efd >= IRQSIM_MAX_EVENTFDS || !b->cons[efd].registered)
		return;
	producer = b->cons[efd].producer;
	if (producer >= 0)
		*visible = bypass_disconnect(ctx, producer / IRQSIM_MAX_VECS,
					     producer % IRQSIM_MAX_VECS);
	b->cons[efd] = (struct irq_bypass_consumer){
		.gsi = -1, .producer = -1,
	};
}
