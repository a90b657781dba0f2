/*
 * mm_env.h - the narrow interface between the PV-MMU core and the machine.
 *
 * The PV-MMU core (xen-like/mm/: page types and counts, validation,
 * mmu_update, mmuext_op, update_va_mapping, multicall) is plain C.  It
 * reaches the hardware only through what this header declares:
 *
 *   frame access    mfn_to_virt() and the frame table / M2P (page.h, mm.h);
 *   TLB flushes     the four arch_flush_* / arch_invlpg / arch_load_cr3 calls;
 *   guest memory    copy_from_guest() / copy_to_guest() (guest_access.h);
 *   logging         gprintk() (console.h);
 *   preemption      hypercall_preempt_check() and continuations.
 *
 * In the hypervisor, arch/x86/mm_env.c implements them on the CPU.  In the
 * host test build (HOST_TEST), tests/host/sim/ implements them over an
 * array that plays machine memory, so the very same core files run as
 * unit tests and fuzzers with several simulated domains.
 */
#ifndef XL_MM_ENV_H
#define XL_MM_ENV_H

#include <stdbool.h>
#include "page.h"

struct domain;
struct vcpu;

/* TLB maintenance.  The core says what must be flushed; the env does it. */
void arch_flush_tlb_local(void);                  /* this CPU, all entries */
void arch_flush_tlb_domain(const struct domain *d); /* every CPU d ran on */
void arch_invlpg(unsigned long va);               /* this CPU, one entry */
void arch_load_cr3(mfn_t l4);                     /* switch this CPU's root */
void arch_flush_cache(void);                      /* write back all caches */
void arch_clear_page(void *va);                   /* zero one 4 KiB frame */

/* The hypervisor's own slots (256-271) of a guest L4: filled at validation
 * (slot 256, the guest-visible M2P, only when ro_mpt). */
void init_xen_l4_slots(intpte_t *l4, const struct domain *d, bool ro_mpt);

/*
 * Should a long operation stop here and continue later?  True when real
 * work is pending, or every N calls when `mmu_preempt=N` forces it (so tests
 * can drive every restart path).  The core asks only between entries,
 * never before the first.
 */
bool hypercall_preempt_check(void);

/*
 * Continuations.  A hypercall that was preempted returns
 * hypercall_create_continuation(nr, nargs, a1..a5): the guest's argument
 * registers are rewritten with the new values and the guest re-executes
 * the same SYSCALL (Xen rewinds RIP by 2).  Inside a multicall the new
 * arguments go back into the multicall entry instead.  The return value is
 * what the handler should return now (its value is not seen by the guest).
 */
long hypercall_create_continuation(unsigned int nr, unsigned int nargs,
                                   unsigned long a1, unsigned long a2,
                                   unsigned long a3, unsigned long a4,
                                   unsigned long a5);

#endif
