/*
 * xsa_pt.c - advisories about validating page-table entries.
 *
 * XSA-148: Xen's PV superpage support left PSE out of the L2 disallow
 *   mask, and mod_l2_entry's "nothing important changed" fast path did not
 *   look at PSE, so a guest could turn an existing L2 entry into a 2 MiB
 *   writable mapping over its own page tables.  We re-write a live L2
 *   entry with only PSE (and PSE+RW+D) added and check it is refused, the
 *   entry is unchanged and the L1 below it still cannot be mapped writable.
 * XSA-182: the same fast path let RW be added to an existing recursive
 *   (linear) L4 entry without re-validation: a writable self-map of the
 *   live L4.  We add a read-only recursive entry (allowed), then the same
 *   entry with RW (refused), at L4 and at L3, and check the entry stays
 *   read-only and the table itself still cannot be mapped writable.
 * XSA-240: linear entries could chain tables of the same level without
 *   bound (L2 -> L2 -> L2 ...), so tearing the chain down recursed without
 *   limit.  Xen 4.17 (pv-linear-pt, the default) lets a table either hold
 *   linear entries or be the target of them, never both, so a chain is at
 *   most one link long.  We try to build chains of 6 tables at L2, L3 and
 *   L4, see which links are accepted, then unpin everything and check no
 *   type reference is left (every frame maps writable again).
 */
#include "kernel.h"
#include "mm.h"
#include "xsa.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF

/* A free slot of a bootstrap table (from the top, below `below`). */
static unsigned int free_slot(unsigned long pfn, unsigned int below)
{
    for (unsigned int s = below; s-- > 0;)
        if (!mt_get(pfn, s))
            return s;
    panic("xsa: no free slot in table pfn %#lx", pfn);
}

/* ---- XSA-148 ---- */
static void xsa148(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);
    unsigned long l1 = mt_pt_new();
    unsigned int s = free_slot(l2, 400);
    uint64_t e = mt_ma(l1) | P_ | RW_ | A_;
    uint64_t big = (mt_ma(mt_l4_pfn) & ~0x1fffffUL) | P_ | RW_ | A_ | D_ | PSE_;

    xsa_setup("hook a fresh L1 into the live L2", mt_set(l2, s, e));
    conf_rc("mmu_update.xsa148.pse_added_to_live_l2e_is_einval",
            "re-writing an existing L2 entry with only PSE added is refused: PV guests have no superpages (XSA-148)",
            mt_set(l2, s, e | PSE_), -XEN_EINVAL);
    conf_rc("mmu_update.xsa148.pse_rw_dirty_added_to_live_l2e_is_einval",
            "re-writing an existing L2 entry with PSE and D added is refused too (XSA-148)",
            mt_set(l2, s, e | PSE_ | D_), -XEN_EINVAL);
    conf_rc("mmu_update.xsa148.pse_l2e_over_own_page_tables_is_einval",
            "an L2 entry mapping the 2 MiB around our L4 writable with PSE is refused (XSA-148)",
            mt_set(l2, s, big), -XEN_EINVAL);
    conf_hex("mmu_update.xsa148.refused_pse_leaves_l2e_unchanged",
             "after the refused PSE re-writes the L2 entry is the one first written (Xen adds U)",
             mt_get(l2, s) == (e | U_), 1);
    conf_rc("update_va_mapping.xsa148.l1_below_refused_pse_is_not_writable",
            "the L1 under the entry is still a page table: mapping it writable is -EBUSY (XSA-148)",
            mt_rw(l1), -XEN_EBUSY);
    conf_rc("mmu_update.xsa148.fast_path_accessed_change_is_accepted",
            "changing only the accessed bit of a live L2 entry is still accepted (the fast path)",
            mt_set(l2, s, e & ~A_), 0);
    conf_rc("mmu_update.xsa148.clear_l2e_is_accepted",
            "clearing the L2 entry is accepted",
            mt_set(l2, s, 0), 0);
    conf_rc("update_va_mapping.xsa148.unhooked_l1_maps_writable",
            "once unhooked, the L1 frame has no type left and maps writable",
            mt_rw(l1), 0);
}

/* ---- XSA-182 ---- */
static void xsa182_l4(void)
{
    unsigned int s = free_slot(mt_l4_pfn, 256);
    uint64_t self = mt_ma(mt_l4_pfn) | P_;
    unsigned long va = (unsigned long)s << 39 | (unsigned long)s << 30 |
                       (unsigned long)s << 21 | (unsigned long)s << 12;
    uint64_t v = 0;

    conf_rc("mmu_update.xsa182.ro_recursive_l4e_is_accepted",
            "a read-only L4 entry pointing at the live L4 itself is accepted (linear page table)",
            mt_set(mt_l4_pfn, s, self), 0);
    conf_rc("mmu_update.xsa182.rw_added_to_recursive_l4e_is_einval",
            "adding RW to that existing recursive L4 entry is refused: the RW change re-validates (XSA-182)",
            mt_set(mt_l4_pfn, s, self | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.xsa182.rw_accessed_dirty_recursive_l4e_is_einval",
            "adding RW together with A and D to the recursive L4 entry is refused too (XSA-182)",
            mt_set(mt_l4_pfn, s, self | RW_ | A_ | D_), -XEN_EINVAL);
    conf_hex("mmu_update.xsa182.recursive_l4e_stays_read_only",
             "after the refusals the recursive L4 entry is still read-only",
             mt_get(mt_l4_pfn, s) & RW_, 0);
    conf_hex("mmu_update.xsa182.recursive_l4e_reads_the_l4",
             "through the recursive entry the L4 reads as itself",
             !mt_peek(va + 511 * 8, &v) && v == mt_get(mt_l4_pfn, 511), 1);
    conf_rc("update_va_mapping.xsa182.live_l4_not_writable_with_recursive_l4e",
            "the live L4 still cannot be mapped writable (-EBUSY)",
            mt_rw(mt_l4_pfn), -XEN_EBUSY);
    conf_rc("mmu_update.xsa182.rw_recursive_l4e_in_new_slot_is_einval",
            "a recursive L4 entry written RW from the start is refused",
            mt_set(mt_l4_pfn, s - 1, self | RW_), -XEN_EINVAL);
    conf_rc("mmu_update.xsa182.clear_recursive_l4e_is_accepted",
            "clearing the recursive L4 entry is accepted",
            mt_set(mt_l4_pfn, s, 0), 0);
}

static void xsa182_l3(void)
{
    unsigned long l3 = mt_table_pfn(VIRT_BASE, 3);
    unsigned int s = free_slot(l3, 500);
    uint64_t self = mt_ma(l3) | P_;

    conf_rc("mmu_update.xsa182.ro_recursive_l3e_is_accepted",
            "a read-only L3 entry pointing at the live L3 itself is accepted",
            mt_set(l3, s, self), 0);
    conf_rc("mmu_update.xsa182.rw_added_to_recursive_l3e_is_einval",
            "adding RW to that existing recursive L3 entry is refused (XSA-182)",
            mt_set(l3, s, self | RW_), -XEN_EINVAL);
    conf_hex("mmu_update.xsa182.recursive_l3e_stays_read_only",
             "after the refusal the recursive L3 entry is still read-only",
             mt_get(l3, s) & RW_, 0);
    conf_rc("update_va_mapping.xsa182.live_l3_not_writable_with_recursive_l3e",
            "the live L3 still cannot be mapped writable (-EBUSY)",
            mt_rw(l3), -XEN_EBUSY);
    conf_rc("mmu_update.xsa182.clear_recursive_l3e_is_accepted",
            "clearing the recursive L3 entry is accepted",
            mt_set(l3, s, 0), 0);
}

/* ---- XSA-240 ---- */
#define CHAIN 6

struct chain {
    unsigned int links;     /* bit i: t[i] -> t[i+1] was accepted */
    long second_link;       /* t[1] -> t[2]: t[1] is already a target */
    long close_loop;        /* t[5] -> t[0] */
    long second_holder;     /* t[2] -> t[1]: another holder of one target */
    unsigned int unpinned;  /* unpins that returned 0 */
    unsigned int rw;        /* frames that map RW afterwards */
};

static struct chain chain(unsigned int level)
{
    unsigned long t[CHAIN];
    struct chain c = { 0 };
    long rc;

    for (int i = 0; i < CHAIN; i++) {
        t[i] = mt_pt_new();
        xsa_setup("pin a chain table", mt_pin(level, t[i]));
    }
    for (int i = 0; i + 1 < CHAIN; i++) {
        rc = mt_set(t[i], 0, mt_ma(t[i + 1]) | P_);
        if (i == 1)
            c.second_link = rc;
        c.links |= (rc == 0) << i;
    }
    c.close_loop = mt_set(t[CHAIN - 1], 1, mt_ma(t[0]) | P_);
    c.second_holder = mt_set(t[2], 2, mt_ma(t[1]) | P_);
    for (int i = 0; i < CHAIN; i++)
        c.unpinned += mt_unpin(t[i]) == 0;
    c.rw = xsa_rw_count(t, CHAIN);
    return c;
}

static void xsa240_l2(void)
{
    struct chain c = chain(2);

    conf_hex("mmu_update.xsa240.l2_chain_accepts_alternate_links",
             "in a chain of L2 linear entries t0->t1->...->t5 only t0->t1, t2->t3, t4->t5 are accepted: a target may not hold one (XSA-240)",
             c.links, 0x15);
    conf_rc("mmu_update.xsa240.l2_linear_entry_in_target_is_einval",
            "an L2 that is the target of a linear entry may not hold one itself (XSA-240)",
            c.second_link, -XEN_EINVAL);
    conf_rc("mmu_update.xsa240.l2_linear_loop_is_einval",
            "closing the chain into a loop (t5 -> t0) is refused (XSA-240)",
            c.close_loop, -XEN_EINVAL);
    conf_rc("mmu_update.xsa240.l2_second_holder_of_target_is_accepted",
            "another L2 that holds linear entries may point at the same target",
            c.second_holder, 0);
    conf_dec("mmuext_op.xsa240.l2_chain_tables_unpin",
             "every table of the chain unpins, in any order",
             c.unpinned, CHAIN);
    conf_dec("update_va_mapping.xsa240.l2_chain_frames_writable_after_teardown",
             "after the unpins no type reference is left: every chain frame maps writable",
             c.rw, CHAIN);
}

static void xsa240_l3(void)
{
    struct chain c = chain(3);

    conf_hex("mmu_update.xsa240.l3_chain_accepts_alternate_links",
             "in a chain of L3 linear entries only every other link is accepted (XSA-240)",
             c.links, 0x15);
    conf_rc("mmu_update.xsa240.l3_linear_entry_in_target_is_einval",
            "an L3 that is the target of a linear entry may not hold one itself (XSA-240)",
            c.second_link, -XEN_EINVAL);
    conf_rc("mmu_update.xsa240.l3_linear_loop_is_einval",
            "closing the L3 chain into a loop is refused (XSA-240)",
            c.close_loop, -XEN_EINVAL);
    conf_rc("mmu_update.xsa240.l3_second_holder_of_target_is_accepted",
            "another L3 that holds linear entries may point at the same target",
            c.second_holder, 0);
    conf_dec("mmuext_op.xsa240.l3_chain_tables_unpin",
             "every L3 of the chain unpins",
             c.unpinned, CHAIN);
    conf_dec("update_va_mapping.xsa240.l3_chain_frames_writable_after_teardown",
             "after the unpins every L3 chain frame maps writable",
             c.rw, CHAIN);
}

static void xsa240_l4(void)
{
    struct chain c = chain(4);

    conf_hex("mmu_update.xsa240.l4_chain_accepts_alternate_links",
             "in a chain of L4 linear entries only every other link is accepted (XSA-240)",
             c.links, 0x15);
    conf_rc("mmu_update.xsa240.l4_linear_entry_in_target_is_einval",
            "an L4 that is the target of a linear entry may not hold one itself (XSA-240)",
            c.second_link, -XEN_EINVAL);
    conf_rc("mmu_update.xsa240.l4_linear_loop_is_einval",
            "closing the L4 chain into a loop is refused (XSA-240)",
            c.close_loop, -XEN_EINVAL);
    conf_rc("mmu_update.xsa240.l4_second_holder_of_target_is_accepted",
            "another L4 that holds linear entries may point at the same target",
            c.second_holder, 0);
    conf_dec("mmuext_op.xsa240.l4_chain_tables_unpin",
             "every L4 of the chain unpins",
             c.unpinned, CHAIN);
    conf_dec("update_va_mapping.xsa240.l4_chain_frames_writable_after_teardown",
             "after the unpins every L4 chain frame maps writable",
             c.rw, CHAIN);
}

const struct mmu_case xsa_pt_cases[] = {
    { "xsa148_l2_pse_fast_path",             xsa148 },
    { "xsa182_l4_recursive_ro_then_rw",      xsa182_l4 },
    { "xsa182_l3_recursive_ro_then_rw",      xsa182_l3 },
    { "xsa240_l2_linear_chain",              xsa240_l2 },
    { "xsa240_l3_linear_chain",              xsa240_l3 },
    { "xsa240_l4_linear_chain",              xsa240_l4 },
    { NULL, NULL }
};
