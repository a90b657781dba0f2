/*
 * mmu.c - the "mmu" boot mode: run every table of PV-MMU cases
 * (mmu_test.h) as one KTAP plan.
 *
 * The order matters: the mmu_update basics come first (on the bootstrap
 * tables and fresh data frames), then trees, pins and base pointers built
 * from fresh frames, then linear page tables, multicall and the large
 * batches that exercise continuations (boot xen-like with mmu_preempt=N to
 * force them).  The expected values are what real Xen 4.17.7 answered as
 * dom0 with dom0_mem=32M; a comment says where that differs from the text
 * of the reference.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "mmu_test.h"

static const struct mmu_case *const tables[] = {
    mmu_update_cases,       /* §2.1, §2.2, §2.3, §2.9, §2.10 */
    mmu_io_cases,           /* §2.3 I/O frames, foreigndom DOMID_IO/XEN */
    mmu_flags_cases,        /* §2.3 flags per level, §2.8, PRESERVE_AD, plain stores */
    mmu_args_cases,         /* §2.9 MACHPHYS_UPDATE, §2.1/§2.10 argument corners */
    mmu_tree_cases,         /* §2.3, §2.4, §3.5: hooking new tables */
    mmu_pin_cases,          /* §2.12 PIN/UNPIN, §3.3 type conflicts */
    mmu_base_cases,         /* §2.12 NEW_BASEPTR / NEW_USER_BASEPTR, §2.7 */
    mmu_ext_cases,          /* §2.12 flushes, LDT, page ops, errors */
    mmu_state_cases,        /* §2.12 pin/unpin/base state, nested errors, L4 slots */
    mmu_linear_cases,       /* §2.5 linear page tables, §2.11 otherdomain */
    mmu_uvmf_cases,         /* §2.11 update_va_mapping flags and va */
    mmu_ptwr_cases,         /* §2.14 / §7.1 writable page tables for dom0 */
    mmu_multicall_cases,    /* §2.13 */
    mmu_batch_cases,        /* §2.1, §3.6: big batches, continuations */
};

/*
 * With the word "pace" on the command line, wait ~2.5 s (5e9 TSC ticks)
 * before each case, so that a hypervisor that rate-limits its one-line
 * refusal reasons (xen-like: 20 lines, then one per 100 ms) prints all
 * of them.  Slow (~3 minutes); for reading the hypervisor's log only.
 */
static void pace(void)
{
    uint32_t lo, hi;
    uint64_t t0, t;

    __asm__ volatile ("rdtsc" : "=a" (lo), "=d" (hi));
    t0 = ((uint64_t)hi << 32) | lo;
    do {
        __asm__ volatile ("rdtsc" : "=a" (lo), "=d" (hi));
        t = ((uint64_t)hi << 32) | lo;
    } while (t - t0 < 5000000000UL);
}

int mmu_main(void)
{
    bool paced = has_word((const char *)start_info->cmd_line, "pace");

    unsigned int n = 1;     /* + mmu_setup */

    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mmu_case *c = tables[t]; c->name; c++)
            n++;

    ktap_begin(n);
    printk("# guest-kernel mmu: PV-MMU rules, as Xen 4.17 answers them\n");
    mt_init();
    ktap_case("mmu_setup", mt_take());
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mmu_case *c = tables[t]; c->name; c++) {
            if (paced)
                pace();
            printk("# case %s\n", c->name);
            c->run();
            ktap_case(c->name, mt_take());
        }
    return (int)ktap_end();
}
