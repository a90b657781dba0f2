/*
 * traps.h - exceptions: from the CPU into the hypervisor, and bounced on
 * to the guest kernel's own handlers.
 */
#ifndef XL_TRAPS_H
#define XL_TRAPS_H

#include <stdbool.h>
#include <stdint.h>
#include "xen-abi.h"

struct vcpu;

#define TRAP_divide_error   0
#define TRAP_debug          1
#define TRAP_nmi            2
#define TRAP_int3           3
#define TRAP_overflow       4
#define TRAP_bounds         5
#define TRAP_invalid_op     6
#define TRAP_no_device      7
#define TRAP_double_fault   8
#define TRAP_invalid_tss    10
#define TRAP_no_segment     11
#define TRAP_stack_error    12
#define TRAP_gp_fault       13
#define TRAP_page_fault     14
#define TRAP_copro_error    16
#define TRAP_alignment_check 17
#define TRAP_machine_check  18
#define TRAP_simd_error     19

#define PFEC_present  (1U << 0)
#define PFEC_write    (1U << 1)
#define PFEC_user     (1U << 2)
#define PFEC_insn     (1U << 4)

#define X86_EVENT_NO_EC (~0U)

static inline bool guest_mode(const struct cpu_user_regs *r) { return (r->cs & 3) == 3; }

/*
 * Deliver exception `vector` to the current guest through its trap table:
 * build Xen's bounce frame on the guest kernel stack and point the saved
 * registers at the handler.  No handler, or a stack that cannot be
 * written, crashes the domain.
 */
void pv_inject_hw_exception(struct cpu_user_regs *regs, unsigned int vector,
                            uint32_t error_code);
/* Redirect the vCPU to a guest callback with a plain (no error code)
 * bounce frame, as for a system call from guest user mode. */
void pv_bounce(struct cpu_user_regs *regs, unsigned long eip, bool mask_events);
void pv_inject_page_fault(struct cpu_user_regs *regs, unsigned long cr2,
                          uint32_t error_code);

/* Switch the vCPU between guest kernel and guest user mode (page tables,
 * GS base).  Returns false if user mode has no page table (domain crashed). */
bool toggle_guest_mode(struct vcpu *v);

/* Emulation helpers (emul-priv-op.c, emul-inv-op.c). */
bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs);
bool pv_emulate_privileged_op(struct cpu_user_regs *regs);
bool pv_emulate_soft_interrupt(struct cpu_user_regs *regs);
bool pv_ptwr_emulate(struct cpu_user_regs *regs, unsigned long cr2, uint32_t ec);

/* Fatal hypervisor fault: print everything useful and stop. */
void __attribute__((noreturn)) fatal_trap(const struct cpu_user_regs *regs);
void show_backtrace(unsigned long rbp);

#endif
