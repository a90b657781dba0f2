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
    return conf_dec("cpu.cr3.read_is_l4_machine_address",
                    "mov from %cr3 gives the kernel L4's machine address, P2M[pfn of pt_base] << 12",
                    cr3 == l4_machine_address(), 1);
}

static const char *cr3_write_same(void)
{
    unsigned long cr3 = 0;
    int faulted = write_cr3(l4_machine_address());
    const char *r = conf_dec("cpu.cr3.write_same_value_is_accepted",
                             "mov to %cr3 of the current L4's machine address is emulated, no fault",
                             faulted, 0);

    if (faulted)
        return r;
    return conf_dec("cpu.cr3.write_same_value_reads_back",
                    "after writing the same L4 to %cr3 it still reads back as that L4",
                    !READ_CR(3, cr3) && cr3 == l4_machine_address(), 1);
}

static const char *cr2_after_fault(void)
{
    unsigned long cr2 = 0;
    uint64_t v;

    if (!probe_read_u64(0x2000, &v))
        return "reading 0x2000 did not fault";
    if (READ_CR(2, cr2))
        return ktap_reason("mov from %%cr2 raised %s", trap_name(last_trap.vector));
    return conf_hex("cpu.cr2.read_is_last_page_fault_address",
                    "mov from %cr2 gives the address of the last page fault",
                    cr2, 0x2000);
}

static const char *cr0_cr4_read(void)
{
    unsigned long cr0 = 0, cr4 = 0;
    int f0 = READ_CR(0, cr0), f4 = READ_CR(4, cr4);
    const char *r;

    ktap_fact("local.cr0", "%#lx", cr0);
    ktap_fact("local.cr4", "%#lx", cr4);
    r = conf_dec("cpu.cr0.ts_clear_at_boot",
                 "a PV vCPU starts with the virtual CR0.TS clear",
                 !!(cr0 & X86_CR0_TS), 0);
    r = conf_dec("cpu.cr0.read_is_emulated",
                 "mov from %cr0 in the guest kernel is emulated, no fault",
                 f0, 0) ?: r;
    return conf_dec("cpu.cr4.read_is_emulated",
                    "mov from %cr4 in the guest kernel is emulated, no fault",
                    f4, 0) ?: r;
}

static const char *ts_set(void)
{
    long rc = HYPERVISOR_fpu_taskswitch(1);
    unsigned long cr0 = 0;
    int faulted = READ_CR(0, cr0);
    const char *r = conf_rc("fpu_taskswitch.ts.set_succeeds",
                            "fpu_taskswitch(1) sets the virtual CR0.TS and returns 0",
                            rc, 0);

    return conf_dec("fpu_taskswitch.ts.set_reads_back_in_cr0",
                    "after fpu_taskswitch(1) mov from %cr0 shows TS set",
                    !faulted && (cr0 & X86_CR0_TS), 1) ?: r;
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
    const char *r;

    nm_count = 0;
    trap_hook = nm_handler;
    __asm__ volatile ("1: fnop\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b) ::: "memory");
    trap_hook = NULL;
    r = conf_dec("fpu_taskswitch.nm.raised_once_to_handler",
                 "with TS set the next x87 insn raises #NM once; the handler clears TS and it runs again",
                 nm_count, 1);
    return conf_dec("fpu_taskswitch.nm.no_other_trap",
                    "the x87 insn after the #NM handler runs without trapping again",
                    last_trap.count - before, 1) ?: r;
}

static const char *ts_clear_after(void)
{
    unsigned long cr0 = 0, before = last_trap.count;
    int faulted = READ_CR(0, cr0);

    const char *r = conf_dec("fpu_taskswitch.ts.clear_after_handler",
                             "fpu_taskswitch(0) in the #NM handler clears the virtual CR0.TS",
                             !!(cr0 & X86_CR0_TS), 0);

    if (faulted || (cr0 & X86_CR0_TS))
        return r ? r : ktap_reason("mov from %%cr0 raised %s", trap_name(last_trap.vector));
    __asm__ volatile ("1: fnop\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b) ::: "memory");
    return conf_dec("fpu_taskswitch.ts.x87_runs_with_ts_clear",
                    "with TS clear an x87 insn raises nothing",
                    last_trap.count - before, 0);
}

/* Xen clears the virtual TS itself when it delivers #NM (so a handler
 * that does not call fpu_taskswitch(0) still makes progress). */
static const char *nm_clears_ts(void)
{
    unsigned long cr0 = 0, before = last_trap.count;
    long rc = HYPERVISOR_fpu_taskswitch(1);
    const char *r;

    __asm__ volatile ("1: fnop\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b) ::: "memory");
    READ_CR(0, cr0);
    HYPERVISOR_fpu_taskswitch(0);
    r = conf_dec("fpu_taskswitch.nm.delivery_clears_ts",
                 "Xen clears the virtual TS itself when it delivers #NM to the guest",
                 !!(cr0 & X86_CR0_TS), 0);
    return conf_dec("fpu_taskswitch.nm.raised_after_ts_set",
                    "after fpu_taskswitch(1) an x87 insn raises exactly one #NM",
                    !rc && last_trap.count == before + 1 && last_trap.vector == X86_EXC_NM,
                    1) ?: r;
}

/* A writable frame of ours as CR3: it cannot become an L4, so #GP. */
static uint64_t not_a_table[512] __attribute__((aligned(4096)));

static const char *cr3_write_bad(void)
{
    unsigned long before = last_trap.count;
    int faulted = write_cr3(virt_to_machine(not_a_table));

    /* The vector raised, 256 if none. */
    unsigned int vector = faulted && last_trap.count == before + 1
                          ? last_trap.vector : 256;

    if (!faulted)
        write_cr3(l4_machine_address());
    return conf_dec("cpu.cr3.load_of_writable_frame_is_gp",
                    "mov to %cr3 of a frame that cannot become an L4 (mapped writable) is #GP",
                    vector, X86_EXC_GP);
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
