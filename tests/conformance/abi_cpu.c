/*
 * abi_cpu.c - control registers and the FPU, as a PV kernel sees them.
 *
 * Rules (reference §1.7, docs/hypercalls.md "Instructions the hypervisor
 * emulates"; Xen's pv/emul-priv-op.c read_cr/write_cr, pv/traps.c
 * do_device_not_available):
 *   - `mov %cr3, reg` gives the machine address of the kernel L4, i.e.
 *     P2M[pfn of pt_base] << 12; writing the same value back is allowed;
 *   - `mov %cr2, reg` gives the address of the last page fault;
 *   - fpu_taskswitch(1) sets the virtual CR0.TS: the next x87 instruction
 *     raises #NM in the guest, whose handler clears TS with
 *     fpu_taskswitch(0) and returns to run the instruction again;
 *   - loading a frame that is not a page table into CR3 fails with #GP.
 * Each register access has a fixup, so a hypervisor that does not emulate
 * it shows up as a failed case instead of a dead guest.
 */
#include "kernel.h"
#include "ktap.h"
#include "traps.h"
#include "mm.h"
#include "abi.h"
#include "guest-hypercall.h"

#define X86_CR0_TS 0x8UL

/* Read control register n; returns 1 if the mov faulted. */
#define READ_CR(n, val)                                                  \
    ({                                                                   \
        int f_;                                                          \
        unsigned long v_ = 0;                                            \
        __asm__ volatile ("movl $1, %[f]\n"                              \
                          "1: movq %%cr" #n ", %[v]\n\t"                 \
                          "xorl %[f], %[f]\n"                            \
                          "2:\n\t"                                       \
                          EXTABLE(1b, 2b)                                \
                          : [f] "=&r" (f_), [v] "+r" (v_) : : "memory"); \
        (val) = v_;                                                      \
        f_;                                                              \
    })

static int write_cr3(unsigned long val)
{
    int f;

    __asm__ volatile ("movl $1, %[f]\n"
                      "1: movq %[v], %%cr3\n\t"
                      "xorl %[f], %[f]\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b)
                      : [f] "=&r" (f) : [v] "r" (val) : "memory");
    return f;
}

static unsigned long l4_machine_address(void)
{
    return pfn_to_mfn(virt_to_pfn((void *)start_info->pt_base)) << PAGE_SHIFT;
}

static const char *cr3_read(void)
{
    unsigned long cr3;

    if (READ_CR(3, cr3))
        return ktap_reason("mov from %%cr3 raised %s", trap_name(last_trap.vector));
    ktap_fact("local.cr3", "%#lx", cr3);
    abi_fact("cr3_is_p2m_of_pt_base", "%d", cr3 == l4_machine_address());
    return cr3 == l4_machine_address() ? NULL
        : ktap_reason("cr3 %#lx, expected %#lx", cr3, l4_machine_address());
}

static const char *cr3_write_same(void)
{
    unsigned long cr3 = 0;
    int faulted = write_cr3(l4_machine_address());

    abi_fact("cr3_write_same_faulted", "%d", faulted);
    if (faulted)
        return ktap_reason("mov to %%cr3 raised %s", trap_name(last_trap.vector));
    if (READ_CR(3, cr3) || cr3 != l4_machine_address())
        return ktap_reason("cr3 reads %#lx afterwards", cr3);
    return NULL;
}

static const char *cr2_after_fault(void)
{
    unsigned long cr2 = 0;
    uint64_t v;

    if (!probe_read_u64(0x2000, &v))
        return "reading 0x2000 did not fault";
    if (READ_CR(2, cr2))
        return ktap_reason("mov from %%cr2 raised %s", trap_name(last_trap.vector));
    abi_fact("cr2_after_pf", "%lx", cr2);
    return cr2 == 0x2000 ? NULL : ktap_reason("cr2 %#lx, expected 0x2000", cr2);
}

static const char *cr0_cr4_read(void)
{
    unsigned long cr0 = 0, cr4 = 0;
    int f0 = READ_CR(0, cr0), f4 = READ_CR(4, cr4);

    ktap_fact("local.cr0", "%#lx", cr0);
    ktap_fact("local.cr4", "%#lx", cr4);
    abi_fact("cr0_ts_at_boot", "%d", !!(cr0 & X86_CR0_TS));
    if (f0 || f4)
        return ktap_reason("mov from %%cr%d raised %s", f0 ? 0 : 4,
                           trap_name(last_trap.vector));
    return NULL;
}

static const char *ts_set(void)
{
    long rc = HYPERVISOR_fpu_taskswitch(1);
    unsigned long cr0 = 0;
    int faulted = READ_CR(0, cr0);
    const char *r = expect_rc("fpu_taskswitch_1", rc, 0);

    abi_fact("cr0_ts_after_fpu_taskswitch1", "%d", !!(cr0 & X86_CR0_TS));
    if (!r && (faulted || !(cr0 & X86_CR0_TS)))
        r = ktap_reason("cr0 reads %#lx: TS clear", cr0);
    return r;
}

/* The #NM handler a lazy-FPU kernel has: clear TS, run the insn again. */
static unsigned int nm_count;
static bool nm_handler(struct cpu_regs *regs)
{
    if (regs->vector != X86_EXC_NM)
        return false;
    if (++nm_count > 1)
        return false;           /* TS stuck: let the fixup skip it */
    HYPERVISOR_fpu_taskswitch(0);
    return true;
}

static const char *nm_delivered(void)
{
    unsigned long before = last_trap.count;

    nm_count = 0;
    trap_hook = nm_handler;
    __asm__ volatile ("1: fnop\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b) ::: "memory");
    trap_hook = NULL;
    abi_fact("fpu_nm_count", "%u", nm_count);
    if (nm_count != 1 || last_trap.count != before + 1)
        return ktap_reason("%u #NM, %lu traps; expected 1 and 1", nm_count,
                           last_trap.count - before);
    return NULL;
}

static const char *ts_clear_after(void)
{
    unsigned long cr0 = 0, before = last_trap.count;
    int faulted = READ_CR(0, cr0);

    abi_fact("cr0_ts_after_nm", "%d", !!(cr0 & X86_CR0_TS));
    if (faulted || (cr0 & X86_CR0_TS))
        return ktap_reason("cr0 reads %#lx", cr0);
    __asm__ volatile ("1: fnop\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b) ::: "memory");
    return last_trap.count == before ? NULL : "fnop trapped with TS clear";
}

/* Xen clears the virtual TS itself when it delivers #NM (so a handler
 * that does not call fpu_taskswitch(0) still makes progress). */
static const char *nm_clears_ts(void)
{
    unsigned long cr0 = 0, before = last_trap.count;
    long rc = HYPERVISOR_fpu_taskswitch(1);

    __asm__ volatile ("1: fnop\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b) ::: "memory");
    READ_CR(0, cr0);
    HYPERVISOR_fpu_taskswitch(0);
    abi_fact("cr0_ts_after_unhandled_nm", "%d", !!(cr0 & X86_CR0_TS));
    if (rc || last_trap.count != before + 1 || last_trap.vector != X86_EXC_NM)
        return "no #NM after fpu_taskswitch(1)";
    return cr0 & X86_CR0_TS ? "TS still set after the #NM was delivered" : NULL;
}

/* A writable frame of ours as CR3: it cannot become an L4, so #GP. */
static uint64_t not_a_table[512] __attribute__((aligned(4096)));

static const char *cr3_write_bad(void)
{
    unsigned long before = last_trap.count;
    int faulted = write_cr3(virt_to_machine(not_a_table));

    abi_fact("cr3_write_rw_frame", "%s",
             !faulted ? "accepted" : trap_name(last_trap.vector));
    if (!faulted)
        write_cr3(l4_machine_address());
    if (!faulted || last_trap.count != before + 1 || last_trap.vector != X86_EXC_GP)
        return "loading a writable frame into cr3 did not raise #GP";
    return NULL;
}

const struct abi_case abi_cpu_cases[] = {
    { "cr3_read_is_l4_machine_address", cr3_read },
    { "cr3_write_same_value",           cr3_write_same },
    { "cr2_is_last_fault_address",      cr2_after_fault },
    { "cr0_cr4_readable",               cr0_cr4_read },
    { "fpu_taskswitch_sets_ts",         ts_set },
    { "fpu_nm_delivered_to_handler",    nm_delivered },
    { "fpu_ts_clear_after_handler",     ts_clear_after },
    { "fpu_nm_delivery_clears_ts",      nm_clears_ts },
    { "cr3_write_writable_frame_gp",    cr3_write_bad },
    { NULL, NULL }
};
