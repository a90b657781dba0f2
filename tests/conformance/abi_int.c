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
#include "lib.h"
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

/* What the last trap was, as one fact value (static buffer). */
static const char *trap_desc(unsigned long before, unsigned long at,
                             unsigned long after)
{
    static char d[64];

    if (last_trap.count == before)
        return "none";
    snprintf(d, sizeof(d), "vector=%#x ec=%#lx rip=%s", last_trap.vector,
             last_trap.error_code,
             last_trap.rip == at ? "insn" : last_trap.rip == after ? "next" : "other");
    return d;
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

/* One `int $vector` and what it did. */
struct soft_int_run {
    unsigned long before, at, after;
    int faulted;
};

/*
 * Install `vector` with `dpl` (or nothing if dpl < 0) and run `int
 * $vector`.  Returns a reason if the handler could not be installed.  The
 * caller records the trap, checks it, and calls remove_soft_ints().
 */
static const char *soft_int(unsigned int vector, int dpl, struct soft_int_run *o)
{
    long rc = dpl < 0 ? 0 : install_soft_int(vector, (unsigned int)dpl);

    if (rc)
        return ktap_reason("set_trap_table for %#x returned %ld", vector, rc);
    o->before = last_trap.count;
    if (vector == 0x80)
        o->faulted = RUN_WITH_FIXUP("int $0x80", o->at, o->after);
    else
        o->faulted = RUN_WITH_FIXUP("int $0x90", o->at, o->after);
    return NULL;
}

/* Check a delivery (or #GP vector*8+2), then clear 0x80 and 0x90 again. */
static const char *delivered_then_remove(unsigned int vector, const struct soft_int_run *o)
{
    const char *r = expect_delivered(vector, o->before, o->faulted, o->after);

    remove_soft_ints();
    return r;
}

static const char *gp_then_remove(unsigned int vector, const struct soft_int_run *o)
{
    const char *r = expect_gp(vector * 8 + 2, o->before, o->faulted, o->at);

    remove_soft_ints();
    return r;
}

#define DESC(o) trap_desc((o).before, (o).at, (o).after)

static const char *int80_dpl3(void)
{
    struct soft_int_run o = { 0, 0, 0, 0 };
    const char *r = soft_int(0x80, 3, &o);

    if (r)
        return r;
    conf_fact("cpu.int80.dpl3_handler_is_delivered",
              "int $0x80 reaches a DPL 3 handler as a trap (rip after the insn)",
              "%s", DESC(o));
    return delivered_then_remove(0x80, &o);
}

static const char *int80_dpl0(void)
{
    struct soft_int_run o = { 0, 0, 0, 0 };
    const char *r = soft_int(0x80, 0, &o);

    if (r)
        return r;
    conf_fact("cpu.int80.dpl0_handler_is_delivered_anyway",
              "int $0x80's fast path ignores the handler's DPL: a DPL 0 handler runs",
              "%s", DESC(o));
    return delivered_then_remove(0x80, &o);
}

static const char *int80_none(void)
{
    struct soft_int_run o = { 0, 0, 0, 0 };
    const char *r = soft_int(0x80, -1, &o);

    if (r)
        return r;
    conf_fact("cpu.int80.no_handler_is_gp_402",
              "int $0x80 with no handler registered is #GP, error code 0x402, rip at the insn",
              "%s", DESC(o));
    return gp_then_remove(0x80, &o);
}

static const char *int90_dpl3(void)
{
    struct soft_int_run o = { 0, 0, 0, 0 };
    const char *r = soft_int(0x90, 3, &o);

    if (r)
        return r;
    conf_fact("cpu.int90.dpl3_handler_is_delivered",
              "int $n reaches a DPL 3 handler for n as a trap (rip after the insn)",
              "%s", DESC(o));
    return delivered_then_remove(0x90, &o);
}

static const char *int90_dpl1(void)
{
    struct soft_int_run o = { 0, 0, 0, 0 };
    const char *r = soft_int(0x90, 1, &o);

    if (r)
        return r;
    conf_fact("cpu.int90.dpl1_handler_is_delivered_from_kernel",
              "from guest kernel mode a handler DPL of 1 or more allows int $n",
              "%s", DESC(o));
    return delivered_then_remove(0x90, &o);
}

static const char *int90_dpl0(void)
{
    struct soft_int_run o = { 0, 0, 0, 0 };
    const char *r = soft_int(0x90, 0, &o);

    if (r)
        return r;
    conf_fact("cpu.int90.dpl0_handler_is_gp_482",
              "int $n to a DPL 0 handler is #GP with the IDT error code n*8+2, rip at the insn",
              "%s", DESC(o));
    return gp_then_remove(0x90, &o);
}

static const char *int81_no_handler(void)
{
    unsigned long before = last_trap.count, at, after;
    int faulted = RUN_WITH_FIXUP("int $0x81", at, after);

    conf_fact("cpu.int81.no_handler_is_gp_40a",
              "int $n with no handler registered is #GP with error code n*8+2, rip at the insn",
              "%s", trap_desc(before, at, after));
    return expect_gp(0x81 * 8 + 2, before, faulted, at);
}

static const char *int_3_long_form(void)
{
    unsigned long before = last_trap.count, at, after;
    int faulted = RUN_WITH_FIXUP(".byte 0xcd, 0x03", at, after);

    conf_fact("cpu.int3.two_byte_form_is_bp",
              "int $3 in its two-byte form (CD 03) is a #BP trap like int3",
              "%s", trap_desc(before, at, after));
    return expect_delivered(X86_EXC_BP, before, faulted, after);
}

static const char *cpuid_version_leaf(void)
{
    uint32_t r[4];

    if (xen_cpuid(0x40000001, 0, r))
        return ktap_reason("forced-emulation prefix raised %s",
                           trap_name(last_trap.vector));
    return conf_hex("cpu.cpuid.leaf_40000001_eax_is_version_4_17",
                    "forced-emulated cpuid leaf 0x40000001 gives the version in eax: 4.17",
                    r[0], 0x00040011);
}

static const char *cpuid_hypercall_leaf(void)
{
    uint32_t r[4];
    const char *why;

    if (xen_cpuid(0x40000002, 0, r))
        return ktap_reason("forced-emulation prefix raised %s",
                           trap_name(last_trap.vector));
    why = conf_hex("cpu.cpuid.leaf_40000002_eax_is_one_hypercall_page",
                   "cpuid leaf 0x40000002 eax is the number of hypercall pages: 1",
                   r[0], 1);
    return conf_hex("cpu.cpuid.leaf_40000002_ebx_is_msr_base_40000000",
                    "cpuid leaf 0x40000002 ebx is the hypercall-page MSR base: 0x40000000",
                    r[1], 0x40000000) ?: why;
}

/* The prefix followed by something other than cpuid: #UD at the ud2. */
static const char *forced_non_cpuid(void)
{
    unsigned long before = last_trap.count, at, after;
    int faulted = RUN_WITH_FIXUP("ud2; .ascii \"xen\"; nop", at, after);

    conf_fact("cpu.forced_emulation.non_cpuid_is_ud",
              "the forced-emulation prefix before anything but cpuid is a plain #UD at the prefix",
              "%s", trap_desc(before, at, after));
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
