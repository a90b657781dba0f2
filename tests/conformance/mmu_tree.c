/*
 * mmu_tree.c - hooking new tables into the live tree (the bootstrap L4,
 * which is CR3): an L3 into L4 slot 0, then an L2 (with an L1 below it
 * mapping d1 and d2 at 0x40000000) into that L3.
 *
 * Rules (reference §2.3 mod_lN_entry, §2.4, §3.5, §3.6; §6 items 5, 6,
 * 14, 15):
 *   - an L2-L4 entry takes a type reference of the next lower level on its
 *     target, validating it (and everything below) on demand;
 *   - a target that is still mapped RW cannot take a table type: -EINVAL,
 *     also when the RW-mapped frame is one level further down;
 *   - Xen adds U to L2/L3 entries, U|A to L4 entries and U|bit 52 to the
 *     kernel L1 entries it validates;
 *   - removing the entry releases the subtree (deferred, but finished
 *     before the hypercall returns), so the frames can be mapped RW again.
 */
#include "kernel.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define LOW_VA 0x40000000UL     /* L4 slot 0, L3 slot 1, L2 slot 0 */

static unsigned long a3, a2, a1;

static void hook_l3(void)
{
    a3 = mt_pt_new();
    mt_rc("hook_l3", mt_mmu1(mt_slot(mt_l4_pfn, 0), mt_ma(a3) | P_ | RW_, SELF), 0);
    mt_hex("hook_l3_l4e_flags", mt_get(mt_l4_pfn, 0) & FLAGS_MASK, U_ | A_ | RW_ | P_);
    mt_rc("hook_l3_then_rw", mt_rw(a3), -XEN_EBUSY);
}

/* §2.4: a writable frame cannot become a table. */
static void hook_writable_l2(void)
{
    uint64_t *t;

    a1 = mt_alloc();
    t = mt_va(a1);
    t[0] = mt_ma(mt_d1) | P_ | RW_;
    t[1] = mt_ma(mt_d2) | P_;
    mt_rc("l1_ro", mt_ro(a1), 0);
    a2 = mt_alloc();
    ((uint64_t *)mt_va(a2))[0] = mt_ma(a1) | P_ | RW_;
    mt_rc("hook_rw_l2", mt_mmu1(mt_slot(a3, 1), mt_ma(a2) | P_ | RW_, SELF), -XEN_EINVAL);
    mt_hex("hook_rw_l2_entry", mt_get(a3, 1), 0);
}

/* §2.4, §2.12 "validation failures propagate": RW frame one level down. */
static void hook_l2_over_rw_l1(void)
{
    mt_rc("l1_back_rw", mt_rw(a1), 0);
    mt_rc("l2_ro", mt_ro(a2), 0);
    mt_rc("hook_l2_rw_l1", mt_mmu1(mt_slot(a3, 1), mt_ma(a2) | P_ | RW_, SELF),
          -XEN_EINVAL);
    mt_rc("failed_l2_rw_again", mt_rw(a2), 0);   /* nothing was kept */
    mt_rc("failed_l2_ro_again", mt_ro(a2), 0);
    mt_rc("l1_ro_again", mt_ro(a1), 0);
}

/* §3.5: hooking validates the subtree on demand; §2.8 bits added. */
static void hook_validates(void)
{
    uint64_t v = 0;

    mt_rc("hook_l2", mt_mmu1(mt_slot(a3, 1), mt_ma(a2) | P_ | RW_, SELF), 0);
    mt_hex("hook_l2_l3e_flags", mt_get(a3, 1) & FLAGS_MASK, U_ | RW_ | P_);
    mt_hex("validated_l2e_flags", mt_get(a2, 0) & FLAGS_MASK & ~(A_ | D_), U_ | RW_ | P_);
    mt_hex("validated_l1e_flags", mt_get(a1, 0) & FLAGS_MASK & ~(A_ | D_),
           GK_ | U_ | RW_ | P_);
    mt_hex("low_va2_reads_d2", mt_peek(LOW_VA + 0x1000 + 16, &v) ? 0 : v, D2_MARK | 2);
    mt_hex("low_va_reads_d1", mt_peek(LOW_VA + 8, &v) ? 0 : v, D1_MARK | 1);
    if (v == (D1_MARK | 1))     /* only write through a mapping that is there */
        ((volatile uint64_t *)LOW_VA)[40] = 0xabc;
    mt_hex("low_va_write_lands", mt_get(mt_d1, 40), 0xabc);
    mt_rc("hooked_l2_rw", mt_rw(a2), -XEN_EBUSY);
    mt_rc("hooked_l1_rw", mt_rw(a1), -XEN_EBUSY);
}

/* §2.3 "old entry's references are dropped deferred", §3.6. */
static void unhook(void)
{
    uint64_t v;

    mt_rc("unhook_l2", mt_mmu1(mt_slot(a3, 1), 0, SELF), 0);
    mt_dec("unhook_l2_low_va_faults", mt_peek(LOW_VA, &v), 1);
    mt_rc("unhooked_l2_rw", mt_rw(a2), 0);
    mt_rc("unhooked_l1_rw", mt_rw(a1), 0);
    mt_rc("unhook_l3", mt_mmu1(mt_slot(mt_l4_pfn, 0), 0, SELF), 0);
    mt_rc("unhooked_l3_rw", mt_rw(a3), 0);
}

/* The same subtree hooked in one multi-level step: L3 (with L2, L1). */
static void hook_whole_subtree(void)
{
    uint64_t v = 0;

    ((uint64_t *)mt_va(a3))[1] = mt_ma(a2) | P_ | RW_;
    mt_rc("subtree_ro_l3", mt_ro(a3), 0);
    mt_rc("subtree_ro_l2", mt_ro(a2), 0);
    mt_rc("subtree_ro_l1", mt_ro(a1), 0);
    mt_rc("hook_subtree", mt_mmu1(mt_slot(mt_l4_pfn, 0), mt_ma(a3) | P_ | RW_, SELF), 0);
    mt_hex("subtree_reads_d1", mt_peek(LOW_VA + 8, &v) ? 0 : v, D1_MARK | 1);
    mt_rc("unhook_subtree", mt_mmu1(mt_slot(mt_l4_pfn, 0), 0, SELF), 0);
    mt_dec("subtree_released", !mt_rw(a3) + !mt_rw(a2) + !mt_rw(a1), 3);
}

const struct mmu_case mmu_tree_cases[] = {
    { "tree_hook_empty_l3_into_live_l4",     hook_l3 },
    { "tree_hook_writable_l2_einval",        hook_writable_l2 },
    { "tree_hook_l2_over_writable_l1_einval", hook_l2_over_rw_l1 },
    { "tree_hook_validates_on_demand",       hook_validates },
    { "tree_unhook_releases_subtree",        unhook },
    { "tree_hook_three_levels_at_once",      hook_whole_subtree },
    { NULL, NULL }
};
