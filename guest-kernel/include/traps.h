/*
 * traps.h - exceptions and events as a PV guest sees them.
 *
 * A PV guest has no IDT of its own.  It gives the hypervisor a "virtual
 * IDT" (HYPERVISOR_set_trap_table) and two callbacks (events, failsafe).
 * When the guest faults, the hypervisor builds an exception frame on the
 * guest kernel stack and jumps to the registered handler; entry.S turns
 * that frame into a struct cpu_regs and calls do_trap().  Returning goes
 * through HYPERVISOR_iret.
 *
 * Exception fixups: an instruction that is *expected* to fault (a probe)
 * is listed in the .extable section with the address to resume at.
 * do_trap() looks the faulting rip up there and, when found, records the
 * trap in last_trap and resumes at the fixup instead of crashing.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include "xen-abi.h"

/* x86 exception vectors (architectural). */
enum {
    X86_EXC_DE = 0,  X86_EXC_DB = 1,  X86_EXC_NMI = 2, X86_EXC_BP = 3,
    X86_EXC_OF = 4,  X86_EXC_BR = 5,  X86_EXC_UD = 6,  X86_EXC_NM = 7,
    X86_EXC_DF = 8,  X86_EXC_TS = 10, X86_EXC_NP = 11, X86_EXC_SS = 12,
    X86_EXC_GP = 13, X86_EXC_PF = 14, X86_EXC_MF = 16, X86_EXC_AC = 17,
    X86_EXC_MC = 18, X86_EXC_XM = 19,
};

/* #PF error code bits. */
#define X86_PFEC_PRESENT (1u << 0)
#define X86_PFEC_WRITE   (1u << 1)
#define X86_PFEC_USER    (1u << 2)
#define X86_PFEC_INSN    (1u << 4)

/*
 * The registers entry.S saves, lowest address first.  The last five words
 * are the frame the hypervisor built (rcx and r11, which it also pushed,
 * are popped back into their registers first and saved with the rest).
 */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx;
    uint64_t r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
    uint64_t vector;        /* pushed by the entry stub */
    uint64_t error_code;    /* from the hypervisor, or 0 */
    uint64_t rip, cs, rflags, rsp, ss;
};

/* What do_trap() remembers about the most recent trap. */
struct trap_record {
    unsigned long count;        /* traps taken so far */
    unsigned int vector;
    unsigned long error_code;
    unsigned long rip;          /* where it happened */
    unsigned long cr2;          /* #PF only: vcpu_info.arch.cr2 */
};
extern volatile struct trap_record last_trap;

void trap_init(void);
/* Install (again) the trap table trap_init() installed, e.g. after a test
 * cleared it with set_trap_table(NULL).  Returns the hypercall's result. */
long trap_table_install(void);
void do_trap(struct cpu_regs *regs);

/*
 * A boot mode may look at a trap before do_trap() does: if trap_hook is set
 * and returns true, do_trap() returns to regs (which the hook may change)
 * without searching the fixups.  Used to act like a real handler, e.g. the
 * #NM handler that clears CR0.TS and lets the instruction run again.
 */
extern bool (*trap_hook)(struct cpu_regs *regs);

/* entry.S: entry points for the software interrupts `int $0x80` and
 * `int $0x90`, which no trap-table entry uses until a test installs them. */
void entry_int80(void);
void entry_int90(void);
void do_event(struct cpu_regs *regs);
/* Called by do_event() after the acknowledgement, if set (initmode.c). */
extern void (*event_hook)(struct cpu_regs *regs);
noreturn void do_failsafe(struct cpu_regs *regs);
const char *trap_name(unsigned int vector);

/* One .extable entry: "if `fault` traps, continue at `fixup`". */
#define EXTABLE(fault, fixup)                                        \
    ".pushsection .extable, \"a\"\n\t"                                \
    ".balign 8\n\t"                                                   \
    ".quad " #fault ", " #fixup "\n\t"                                \
    ".popsection\n\t"

/*
 * Read 8 bytes at `addr` without dying if it is not mapped.
 * Returns 0 and sets *val, or returns 1 if the read trapped.
 */
static inline int probe_read_u64(unsigned long addr, uint64_t *val)
{
    uint64_t v = 0;
    int faulted;

    __asm__ volatile ("movl $1, %[f]\n"
                      "1: movq (%[a]), %[v]\n\t"
                      "xorl %[f], %[f]\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b)
                      : [f] "=&r" (faulted), [v] "+r" (v)
                      : [a] "r" (addr)
                      : "memory");
    *val = v;
    return faulted;
}

/*
 * `mov %cr3` in a PV kernel is emulated by the hypervisor and gives the
 * current kernel L4's machine address (§1.7); 0 if it trapped instead.
 */
static inline unsigned long read_cr3(void)
{
    unsigned long v = 0;

    __asm__ volatile ("1: movq %%cr3, %0\n\t"
                      "2:\n\t"
                      EXTABLE(1b, 2b)
                      : "+r" (v) : : "memory");
    return v;
}

/*
 * CPUID through the PV forced-emulation prefix (XEN_CPUID, <xen/arch-x86/
 * xen.h>): `ud2; .ascii "xen"; cpuid`.  A plain cpuid in a PV guest runs
 * natively and reports the host; the prefix makes the hypervisor emulate
 * it and show the guest's view, including the hypervisor leaves at
 * 0x40000000.  Returns 1 if the prefix was not understood (#UD arrived).
 */
static inline int xen_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
    uint32_t a = leaf, b = 0, c = subleaf, d = 0;
    int faulted;

    __asm__ volatile ("movl $1, %[f]\n"
                      "1: " XEN_CPUID "\n\t"
                      "xorl %[f], %[f]\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b)
                      : [f] "=&r" (faulted), "+a" (a), "+b" (b), "+c" (c),
                        "+d" (d)
                      :
                      : "memory");
    r[0] = a; r[1] = b; r[2] = c; r[3] = d;
    return faulted;
}

#endif
