/*
 * domain.h - domains and their virtual CPUs.
 *
 * A domain is a guest: its memory (the frames it owns), its shared_info
 * page, its vCPUs and its lifecycle state.  A vCPU is one virtual processor:
 * the guest registers saved while it is not running, the PV "virtual CPU"
 * state a paravirtual kernel sets up with hypercalls (trap table, callbacks,
 * kernel stack, page-table bases, GDT), and whether it is in guest kernel or
 * guest user mode.  Both guest modes run in ring 3; the hypervisor tracks
 * the difference in kernel_mode and swaps page tables on each transition.
 */
#ifndef XL_DOMAIN_H
#define XL_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "xen-abi.h"
#include "page.h"
#include "event.h"
#include "grant_table.h"

#define MAX_DOMAINS 8
#define GUEST_GDT_FRAMES FIRST_RESERVED_GDT_PAGE   /* 14 frames = 7168 entries */

/* A pending exception/event delivery, as Xen's struct trap_bounce. */
struct trap_bounce {
    uint32_t error_code;
    bool has_error_code;
    bool mask_events;               /* set upcall_mask on delivery */
    unsigned long eip;
};

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;

    /* Guest registers while the vCPU is not running. */
    struct cpu_user_regs user_regs;
    bool kernel_mode;               /* guest kernel (true) or guest user */

    /* Set up by the guest with hypercalls. */
    struct trap_info trap_ctxt[256];
    unsigned long event_callback_eip, failsafe_callback_eip;
    unsigned long syscall_callback_eip, syscall32_callback_eip;
    unsigned long sysenter_callback_eip, nmi_callback_eip;
    bool event_mask, failsafe_mask, syscall_mask;
    unsigned long kernel_ss, kernel_sp;
    unsigned long fs_base, gs_base_kernel, gs_base_user;
    bool virtual_ts;                /* fpu_taskswitch(1): CR0.TS as seen by the guest */

    /* Page-table roots (machine frames of L4 tables); INVALID_MFN if none. */
    mfn_t guest_table;              /* kernel-mode CR3 */
    mfn_t guest_table_user;         /* user-mode CR3 (NEW_USER_BASEPTR) */

    /* Guest GDT frames installed with set_gdt. */
    mfn_t gdt_frames[GUEST_GDT_FRAMES];
    unsigned int gdt_ents;
    unsigned long ldt_base, ldt_ents;

    struct vcpu_info *vcpu_info;    /* inside the domain's shared_info */
    bool blocked;
    bool need_resched;              /* yield or tick: run someone else on the way out */
    unsigned long timer_deadline;   /* set_timer_op: system time in ns, 0 = none */
    unsigned long periodic_period;  /* VIRQ_TIMER every so many ns (0 = off) */
    unsigned long periodic_next;
    uint16_t virq_to_port[NR_VIRQS];
    bool hcall_preempted;           /* a continuation set the registers */

    /*
     * Deferred put (Xen's old_guest_table): a page-table reference this vCPU
     * still has to drop, because dropping it means devalidating a whole
     * tree and was preempted, or was postponed.  It is finished, preemptibly,
     * at the start of this vCPU's next MMU hypercall.
     */
    mfn_t old_guest_table;
    bool old_guest_table_partial;   /* its devalidation was started */

    /* Multicall state: inside a batch, continuations go to the entry. */
    bool in_multicall;
    struct multicall_entry *mc_entry;
    bool mc_preempted;
};

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_CRASHED, DOMAIN_DEAD };

struct domain {
    domid_t domain_id;
    bool is_privileged;             /* dom0: SIF_PRIVILEGED|SIF_INITDOMAIN */
    enum domain_state state;
    unsigned int shutdown_code;     /* SHUTDOWN_* reason */
    char crash_reason[160];         /* first reason given, kept */

    struct shared_info *shared_info;   /* a hypervisor page shared with the guest */
    mfn_t shared_info_mfn;

    unsigned long tot_pages;        /* frames owned now */
    unsigned long max_pages;
    unsigned long vm_assist;        /* VMASST_TYPE_* bits enabled */
    unsigned long nr_l4_pages;
    bool io_rights;                 /* may map I/O frames and use cache bits */
    bool translated;                /* translate mode: guest frames are pfns */
    unsigned long p2m_size;         /* translate mode: pfns in the P2M */
#define P2M_MAX_PAGES 2048          /* 1M pfns: 4 GiB */
    mfn_t p2m_pages[P2M_MAX_PAGES];  /* translate mode: leaves of the P2M */

    /* Per-domain mappings (L4 slot 260): each vCPU's GDT/LDT window. */
    mfn_t perdomain_l3;
    mfn_t perdomain_l2;
    mfn_t perdomain_l1;

    unsigned int max_vcpus;
    struct vcpu *vcpu[MAX_VIRT_CPUS_PER_DOMAIN];

    struct evtchn evtchn[NR_EVTCHN];
    struct grant_table grant_table;     /* grants, both sides (grant_table.h) */

    /* Guest console line buffer (printed on newline). */
    char conbuf[128];
    unsigned int conbuf_len;
};

/* The vCPU whose state is on this CPU's stack now (one physical CPU). */
extern struct vcpu *current;

struct domain *domain_create(domid_t domid, bool privileged, unsigned int max_vcpus);
struct domain *get_domain_by_id(domid_t domid);
struct domain *domain_list(unsigned int idx);

/*
 * domain_crash: the domain did something nobody can be told about (a fault
 * with no handler, a bad stack while delivering an exception...).  Its
 * first reason is kept and printed, it never runs again, and the
 * hypervisor carries on.  Only a broken hypervisor invariant panics.
 */
void domain_crash(struct domain *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void domain_shutdown(struct domain *d, unsigned int reason);

/* Does not return: picks the next runnable vCPU or ends the run. */
void __attribute__((noreturn)) schedule(void);

/*
 * While a vCPU runs, its registers live in the frame at the top of the
 * hypervisor stack (the hardware and entry.S build it there on every
 * entry); v->user_regs only holds them while it is descheduled.
 */
struct cpu_user_regs *guest_cpu_user_regs(void);
static inline bool guest_kernel_mode(const struct vcpu *v) { return v->kernel_mode; }

#endif
