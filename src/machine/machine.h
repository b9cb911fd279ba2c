/* SPDX-License-Identifier: MIT */
/*
 * The machine: the transitions the engine chooses from (an actor's next
 * step, a CPU taking an interrupt, QEMU's main loop reading an eventfd, a
 * vCPU taking a guest interrupt, a device sending from its PBA, the
 * IOAPIC's and the vector cleanup timers, KVM's queued irqfd injection),
 * the world a machine starts
 * from, and its canonical form for fingerprints. Then the model built
 * from a scenario: the world its setup leaves, the runtime its runs
 * read, and the engine's ops table (the transitions and the oracles).
 */
#ifndef IRQSIM_MACHINE_H
#define IRQSIM_MACHINE_H

#include "vmm/vmm.h"

/* Transition kinds (code = kind << 8 | index). */
enum machine_transition {
	T_STEP,		/* index: actor */
	T_IRQ,		/* index: host CPU takes an interrupt */
	T_QEMU_MAIN,	/* index: eventfd the main loop handles */
	T_GUEST_IRQ,	/* index: vCPU takes a guest interrupt */
	T_DEV_PBA,	/* index: device sends a pending message */
	T_IOAPIC_TIMER,	/* QEMU's delayed_ioapic_service_timer fires */
	T_TIMER,	/* index: host CPU runs its vector cleanup timer */
	T_KVM_INJECT,	/* index: GSI whose irqfd_inject() work runs */
};

/**
 * machine_world_init - an empty machine world: CPUs, actors bound to CPUs,
 * QEMU's eventfds for every device vector open
 */
void machine_world_init(struct vmm_world *w, const struct vmm_machine *m);

/* The transitions of the machine, for the engine's model ops. */
void machine_canonical(void *scratch);
int machine_enabled(const void *world, const struct irqsim_rt *rt,
		    uint16_t *out);
int machine_nprocs(const struct irqsim_rt *rt);
bool machine_proc_next(const void *world, const struct irqsim_rt *rt,
		       int proc, uint16_t *code);
int machine_transition_actor(const void *world, const struct irqsim_rt *rt,
			     uint16_t t);
void machine_fire(struct irqsim_ctx *ctx, uint16_t t);
const char *machine_transition_name(const void *world,
				    const struct irqsim_rt *rt, uint16_t t,
				    char *buf, size_t len);
int machine_transition_parse(const struct irqsim_rt *rt, const char *name);

/*
 * The scenario a trace describes (src/cli parses it): the machine, each
 * actor's program, the setup, the devices, and what irqsim check expects.
 */
#define SCENARIO_MAX_SETUP	16
#define SCENARIO_MAX_EXPECT	12
/* profiles and settings; a saved run sets every knob */
#define SCENARIO_MAX_CONFIG	(IRQSIM_MAX_KNOBS + 16)

/* device ... msi=: MSI-X (default), or an MSI capability with or without
 * per-vector masking. */
enum scenario_msi {
	SCENARIO_MSIX,
	SCENARIO_MSI_MASKABLE,
	SCENARIO_MSI_NOMASK,
};

/* device ... intx=: no INTx pin, a PCI 2.3 device, an older one. */
enum scenario_intx {
	SCENARIO_INTX_NONE,
	SCENARIO_INTX_PCI23,
	SCENARIO_INTX_NOPCI23,
};

/* A configuration: profiles then --set overrides, applied in order. */
struct scenario_config {
	int n;
	struct {
		int profile;	/* profile index, or -1 for a knob setting */
		int knob, value;
	} item[SCENARIO_MAX_CONFIG];
};

/*
 * Verdicts not reported: whole kinds, and kinds about one object each
 * (KIND:OBJECT, e.g. lost-interrupt:nic0).
 */
struct scenario_ignore {
	uint32_t kinds;			/* 1 << kind */
	int n;
	struct irqsim_scope scoped[IRQSIM_MAX_SCOPED];
	/* type 0, or judge only verdicts about it (irqsim_rt.scope) */
	struct irqsim_object only;
};

struct scenario_expect {
	int kind;			/* enum check_kind */
	struct irqsim_object obj;	/* KIND:OBJECT; type 0: any */
	struct scenario_config config;
	int runs;			/* 0: the scenario's */
	/* verdicts not judged; KIND:OBJECT judges only OBJECT (.only) */
	struct scenario_ignore ignore;
	bool exhaustive;		/* strategy=dfs: judge every schedule */
	int preemption_bound;		/* with strategy=dfs; -1: none */
	uint32_t reaches;		/* race windows a none must open */
	int line;
};

struct scenario {
	char name[64];
	char file[256];
	struct vmm_machine machine;
	struct irqsim_program prog[IRQSIM_MAX_ACTORS];
	int nsetup;
	struct {
		int actor;
		struct irqsim_op op;
	} setup[SCENARIO_MAX_SETUP];
	int ndev;
	struct {
		char name[IRQSIM_NAME_LEN];
		int nvec;
		int behaviour;
		uint8_t affinity;
		int intx;	/* enum scenario_intx */
		int msi;	/* enum scenario_msi */
	} dev[IRQSIM_MAX_DEVS];
	/* matrix-used: vectors per CPU held by devices not modeled */
	int matrix_used[IRQSIM_MAX_CPUS];
	struct scenario_config config;
	int nexpect;
	struct scenario_expect expect[SCENARIO_MAX_EXPECT];
	struct irqsim_schedule schedule;	/* fixed schedule, if any */
	bool has_schedule;
	uint32_t bound;
	int runs;
	char *text;				/* the source, for saved files */
};

/* Register every layer's functions and knobs once. */
void scenario_init(void);

/**
 * scenario_world - the world after the scenario's setup ran sequentially
 * Return: 0, or -EINVAL with a message (a setup operation failed).
 */
int scenario_world(const struct scenario *s, const int *knobs,
		   struct vmm_world *w, char *err, size_t errlen);

/* The engine model: the machine's transitions and the oracles. */
extern const struct irqsim_model scenario_model;

/* Point @rt at @ig (which must outlive the runs). */
void scenario_ignore_rt(const struct scenario_ignore *ig,
			struct irqsim_rt *rt);

void scenario_rt(const struct scenario *s, const int *knobs,
		 struct irqsim_log *log, struct irqsim_rt *rt);

#endif /* IRQSIM_MACHINE_H */
