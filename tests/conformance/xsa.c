/*
 * xsa.c - the "xsa" boot mode: run the XSA regression cases (xsa.h) as
 * one KTAP plan, after mt_init() (mmu_lib.c) has set up the frame
 * allocator and the window.
 *
 * Expected values are what real Xen 4.17.7 answered as dom0 with
 * dom0_mem=32M.  On xen-like the same cases also run with mmu_preempt=N
 * (continuations forced) and mmu_audit=1 (the invariant auditor after
 * every MMU hypercall): the answers must not change.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "xsa.h"

static const struct mmu_case *const tables[] = {
    xsa_pt_cases,       /* 148, 182, 240: entry validation, linear tables */
    xsa_ops_cases,      /* 32, 167, 279: bogus frame numbers and addresses */
    xsa_batch_cases,    /* 213, 286: multicall batches */
    xsa_299_cases,      /* 299, 309, 310: interrupted (partial) validation */
};

unsigned int xsa_rw_count(const unsigned long *pfn, unsigned int n)
{
    unsigned int ok = 0;

    for (unsigned int i = 0; i < n; i++)
        ok += mt_rw(pfn[i]) == 0;
    for (unsigned int i = 0; i < n; i++)
        if (mt_ro(pfn[i]))
            panic("xsa: cannot remap frame %#lx read-only", pfn[i]);
    return ok;
}

void xsa_setup(const char *what, long rc)
{
    if (rc)
        mt_fail("setup: %s: %ld", what, rc);
}

int xsa_main(void)
{
    unsigned int n = 1;     /* + xsa_setup */

    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mmu_case *c = tables[t]; c->name; c++)
            n++;

    ktap_begin(n);
    printk("# guest-kernel xsa: PV-MMU advisories, as Xen 4.17 answers them\n");
    mt_init();
    ktap_case("xsa_setup", mt_take());
    if (has_word((const char *)start_info->cmd_line, "xsa252"))
        xsa252_probe();
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mmu_case *c = tables[t]; c->name; c++) {
            printk("# case %s\n", c->name);
            c->run();
            ktap_case(c->name, mt_take());
        }
    return (int)ktap_end();
}
