/*
 * gnttab.c - the "gnttab" boot mode: the grant-table conformance group
 * (gnttab_test.h) as one KTAP plan, after mt_init() (mmu_lib.c) has set
 * up the frame allocator and the window.
 *
 * The grant table itself was set up at boot (guest-kernel/gnttab.c); in
 * this mode a boot without one is a failure of the first scenario, and
 * the others still run (their answers are then the hypervisor's refusals).
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "gnttab_test.h"

unsigned long gt_data, gt_copy;

static const struct mmu_case *const tables[] = {
    gnttab_table_cases,     /* setup_table, query_size, versions, copy */
    gnttab_map_cases,       /* map/unmap, contains_pte, pin probe, XSAs */
    gnttab_xsa255_cases,    /* v2 -> v1 with a status frame mapped */
    gnttab_last_cases,      /* a grant PTE overwritten: leaves it active */
};

void gt_fill(unsigned long pfn, uint64_t tag)
{
    for (unsigned int i = 0; i < 512; i++)
        ((uint64_t *)mt_va(pfn))[i] = tag | ((uint64_t)i << 1);
}

int gt_holds(unsigned long pfn, uint64_t tag)
{
    for (unsigned int i = 0; i < 512; i++)
        if (mt_get(pfn, i) != (tag | ((uint64_t)i << 1)))
            return 0;
    return 1;
}

long gt_map(domid_t dom, grant_ref_t ref, uint64_t addr, uint32_t flags,
            grant_handle_t *h)
{
    int16_t st;
    long rc = gnttab_map(dom, ref, addr, flags, &st, h);

    return rc ? rc : st;
}

long gt_unmap(uint64_t addr, grant_handle_t h)
{
    int16_t st;
    long rc = gnttab_unmap(addr, h, 0, &st);

    return rc ? rc : st;
}

static void gnttab_setup(void)
{
    mt_init();
    gt_data = mt_alloc();
    gt_copy = mt_alloc();
    mt_local("gnttab_data_mfn", mt_mfn(gt_data));
    if (!gnttab.shared) {
        mt_fail("no grant table at boot: rc %ld status %d", gnttab.rc, gnttab.status);
        return;
    }
    mt_local("gnttab_frame0", gnttab.frame[0]);
    conf_dec("grant_table_op.setup_table.boot_maps_4_frames",
             "at boot the guest sets up and maps 4 grant frames (query_size, setup_table, update_va_mapping)",
             gnttab.nr_frames, GNT_BOOT_FRAMES);
}

int gnttab_main(void)
{
    unsigned int n = 1;     /* + gnttab_setup */

    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mmu_case *c = tables[t]; c->name; c++)
            n++;
    ktap_begin(n);
    printk("# guest-kernel gnttab: grant tables, dom0 granting to itself, as Xen 4.17 answers\n");
    gnttab_setup();
    ktap_case("gnttab_setup", mt_take());
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
        for (const struct mmu_case *c = tables[t]; c->name; c++) {
            printk("# case %s\n", c->name);
            if (gnttab.shared)
                c->run();
            else
                mt_fail("no grant table");
            ktap_case(c->name, mt_take());
        }
    return (int)ktap_end();
}
