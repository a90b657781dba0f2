/*
 * abi_int.c - software interrupts and the forced-emulation prefix.
 *
 * Rules (docs/hypercalls.md "Instructions the hypervisor emulates",
 * reference §1.7; Xen's pv/traps.c, traps.c do_general_protection and
 * x86_64/entry.S int80_direct_trap), as real Xen 4.17.7 showed them:
 *   - `int $n` reaches the guest's handler for n when the trap-table entry's
 *     DPL allows it (>= 1 from guest kernel mode); the frame's rip is after
 *     the instruction (a trap);
 *   - otherwise, and when no handler is registered at all, the guest gets
 *     #GP with the error code of an IDT fault, n * 8 + 2, and rip at the
 *     `int` (a fault);
 *   - `int $0x80` is special: Xen's own IDT gate for it has DPL 3 and its
 *     fast path only asks whether a handler is registered, so the handler
 *     runs whatever DPL the guest gave it; with no handler, #GP 0x402;
 *   - `int $3` (two bytes, CD 03) is a #BP like `int3`;
 *   - the prefix `ud2; .ascii "xen"` forces emulation of a following
 *     cpuid only: leaves 0x40000001 (version) and 0x40000002 (hypercall
 *     pages, MSR base); before anything else it is a plain #UD.
 */
#include "kernel.h"
#include "ktap.h"
#include "traps.h"
#include "abi.h"
#include "guest-hypercall.h"

/*
 * Execute `insn` with a fixup: returns 1 if it faulted (rip was at the
 * instruction), 0 if it completed or trapped (rip after it).  `at` and
 * `after` receive the instruction's address and the one after it.
 */
#define RUN_WITH_FIXUP(insn, at, after)                                  \
    ({                                                                   \
        int f_;                                                          \
        __asm__ volatile ("leaq 1f(%%rip), %[a]\n\t"                     \
                          "leaq 3f(%%rip), %[n]\n\t"                     \
                          "movl $1, %[f]\n"                              \
                          "1: " insn "\n"                                \
                          "3: xorl %[f], %[f]\n"                         \
                          "2:\n\t"                                       \
                          EXTABLE(1b, 2b)                                \
                          : [f] "=&r" (f_), [a] "=&r" (at),              \
                            [n] "=&r" (after)                            \
                          : : "memory");                                 \
        f_;                                                              \
    })

/* Add a handler for `vector` (0x80 or 0x90) with this DPL to the table. */
static long install_soft_int(unsigned int vector, unsigned int dpl)
{
    const struct trap_info t[] = {
        { vector, dpl, FLAT_KERNEL_CS,
          (unsigned long)(vector == 0x80 ? entry_int80 : entry_int90) },
        { 0, 0, 0, 0 },
    };

    return HYPERVISOR_set_trap_table(t);
}

/* Clear the whole virtual IDT and put ours back: 0x80 and 0x90 are gone. */
static void remove_soft_ints(void)
{
    long rc = HYPERVISOR_set_trap_table(NULL);

    if (rc || (rc = trap_table_install()))
        panic("re-installing the trap table failed: %ld", rc);
}

/* What the last trap was, in one fact value. */
static void trap_fact(const char *key, unsigned long before, unsigned long at,
                      unsigned long after)
{
    if (last_trap.count == before) {
        abi_fact(key, "none");
        return;
    }
    abi_fact(key, "vector=%#x ec=%#lx rip=%s", last_trap.vector,
             last_trap.error_code,
             last_trap.rip == at ? "insn" : last_trap.rip == after ? "next" : "other");
}

/* Expect a delivery to the handler of `vector` with rip after the insn. */
static const char *expect_delivered(unsigned int vector, unsigned long before,
                                    int faulted, unsigned long after)
{
    if (last_trap.count != before + 1)
        return ktap_reason("%lu traps, expected 1", last_trap.count - before);
    if (faulted || last_trap.vector != vector)
        return ktap_reason("got %s (vector %#x, error code %#lx)",
                           trap_name(last_trap.vector), last_trap.vector,
                           last_trap.error_code);
    if (last_trap.rip != after)
        return ktap_reason("frame rip %lx, expected %lx", last_trap.rip, after);
    return NULL;
}

static const char *expect_gp(unsigned long ec, unsigned long before, int faulted,
                             unsigned long at)
{
    if (last_trap.count != before + 1)
        return ktap_reason("%lu traps, expected 1", last_trap.count - before);
    if (!faulted || last_trap.vector != X86_EXC_GP)
        return ktap_reason("got vector %#x, expected #GP", last_trap.vector);
    if (last_trap.error_code != ec || last_trap.rip != at)
        return ktap_reason("#GP error code %#lx rip %lx, expected %#lx rip %lx",
                           last_trap.error_code, last_trap.rip, ec, at);
    return NULL;
}

/*
 * Install `vector` with `dpl` (or nothing if dpl < 0), run `int $vector`,
 * and expect delivery (deliver = 1) or #GP with error code vector*8+2.
 */
static const char *soft_int(unsigned int vector, int dpl, int deliver,
                            const char *key)
{
    unsigned long before, at, after;
    int faulted;
    long rc = dpl < 0 ? 0 : install_soft_int(vector, (unsigned int)dpl);
    const char *r;

    if (rc)
        return ktap_reason("set_trap_table for %#x returned %ld", vector, rc);
    before = last_trap.count;
    if (vector == 0x80)
        faulted = RUN_WITH_FIXUP("int $0x80", at, after);
    else
        faulted = RUN_WITH_FIXUP("int $0x90", at, after);
    trap_fact(key, before, at, after);
    if (deliver)
        r = expect_delivered(vector, before, faulted, after);
    else
        r = expect_gp(vector * 8 + 2, before, faulted, at);
    remove_soft_ints();
    return r;
}

static const char *int80_dpl3(void)  { return soft_int(0x80, 3, 1, "int80_dpl3"); }
static const char *int80_dpl0(void)  { return soft_int(0x80, 0, 1, "int80_dpl0"); }
static const char *int80_none(void)  { return soft_int(0x80, -1, 0, "int80_no_handler"); }
static const char *int90_dpl3(void)  { return soft_int(0x90, 3, 1, "int90_dpl3"); }
static const char *int90_dpl1(void)  { return soft_int(0x90, 1, 1, "int90_dpl1"); }
static const char *int90_dpl0(void)  { return soft_int(0x90, 0, 0, "int90_dpl0"); }

static const char *int81_no_handler(void)
{
    unsigned long before = last_trap.count, at, after;
    int faulted = RUN_WITH_FIXUP("int $0x81", at, after);

    trap_fact("int81_no_handler", before, at, after);
    return expect_gp(0x81 * 8 + 2, before, faulted, at);
}

static const char *int_3_long_form(void)
{
    unsigned long before = last_trap.count, at, after;
    int faulted = RUN_WITH_FIXUP(".byte 0xcd, 0x03", at, after);

    trap_fact("int_3_cd03", before, at, after);
    return expect_delivered(X86_EXC_BP, before, faulted, after);
}

static const char *cpuid_version_leaf(void)
{
    uint32_t r[4];

    if (xen_cpuid(0x40000001, 0, r))
        return ktap_reason("forced-emulation prefix raised %s",
                           trap_name(last_trap.vector));
    abi_fact("cpuid_40000001_eax", "%#x", r[0]);
    return r[0] == 0x00040011 ? NULL : ktap_reason("eax %#x, expected 4.17", r[0]);
}

static const char *cpuid_hypercall_leaf(void)
{
    uint32_t r[4];

    if (xen_cpuid(0x40000002, 0, r))
        return ktap_reason("forced-emulation prefix raised %s",
                           trap_name(last_trap.vector));
    abi_fact("cpuid_40000002_eax_ebx", "%#x %#x", r[0], r[1]);
    return r[0] == 1 && r[1] == 0x40000000 ? NULL
        : ktap_reason("eax %#x ebx %#x, expected 1 page, MSR 0x40000000",
                      r[0], r[1]);
}

/* The prefix followed by something other than cpuid: #UD at the ud2. */
static const char *forced_non_cpuid(void)
{
    unsigned long before = last_trap.count, at, after;
    int faulted = RUN_WITH_FIXUP("ud2; .ascii \"xen\"; nop", at, after);

    trap_fact("forced_emulation_nop", before, at, after);
    if (last_trap.count != before + 1 || !faulted ||
        last_trap.vector != X86_EXC_UD || last_trap.rip != at)
        return ktap_reason("expected #UD at the prefix, got %lu traps, %s",
                           last_trap.count - before, trap_name(last_trap.vector));
    return NULL;
}

const struct abi_case abi_int_cases[] = {
    { "int80_dpl3_delivered",            int80_dpl3 },
    { "int80_dpl0_delivered_anyway",     int80_dpl0 },
    { "int80_no_handler_gp_402",         int80_none },
    { "int90_dpl3_delivered",            int90_dpl3 },
    { "int90_dpl1_delivered_from_kernel", int90_dpl1 },
    { "int90_dpl0_gp_482",               int90_dpl0 },
    { "int81_no_handler_gp_40a",         int81_no_handler },
    { "int_3_two_byte_form_is_bp",       int_3_long_form },
    { "cpuid_40000001_version",          cpuid_version_leaf },
    { "cpuid_40000002_hypercall_page",   cpuid_hypercall_leaf },
    { "forced_emulation_only_cpuid",     forced_non_cpuid },
    { NULL, NULL }
};
