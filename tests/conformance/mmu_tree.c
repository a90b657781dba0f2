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
    conf_rc("mmu_update.tree.hook_empty_l3_into_live_l4_ok",
            "an L4 entry may name an empty read-only frame, which validates as an L3",
            mt_mmu1(mt_slot(mt_l4_pfn, 0), mt_ma(a3) | P_ | RW_, SELF), 0);
    conf_hex("mmu_update.tree.hooked_l4e_gets_u_and_a",
             "Xen adds U and A to an L4 entry",
             mt_get(mt_l4_pfn, 0) & FLAGS_MASK, U_ | A_ | RW_ | P_);
    conf_rc("update_va_mapping.tree.hooked_l3_rw_is_ebusy",
            "a frame in use as an L3 may not be mapped writable: -EBUSY",
            mt_rw(a3), -XEN_EBUSY);
}

/* §2.4: a writable frame cannot become a table. */
static void hook_writable_l2(void)
{
    uint64_t *t;

    a1 = mt_alloc();
    t = mt_va(a1);
    t[0] = mt_ma(mt_d1) | P_ | RW_;
    t[1] = mt_ma(mt_d2) | P_;
    conf_rc("update_va_mapping.tree.remap_l1_to_be_ro_ok",
            "a filled data frame may be remapped read-only",
            mt_ro(a1), 0);
    a2 = mt_alloc();
    ((uint64_t *)mt_va(a2))[0] = mt_ma(a1) | P_ | RW_;
    conf_rc("mmu_update.tree.hook_rw_mapped_l2_is_einval",
            "an L3 entry may not name a frame that is mapped writable: -EINVAL",
            mt_mmu1(mt_slot(a3, 1), mt_ma(a2) | P_ | RW_, SELF), -XEN_EINVAL);
    conf_hex("mmu_update.tree.hook_rw_mapped_l2_entry_kept",
             "a refused L3 entry stays empty",
             mt_get(a3, 1), 0);
}

/* §2.4, §2.12 "validation failures propagate": RW frame one level down. */
static void hook_l2_over_rw_l1(void)
{
    conf_rc("update_va_mapping.tree.l1_to_be_back_rw_ok",
            "a frame that is no table may be mapped writable again",
            mt_rw(a1), 0);
    conf_rc("update_va_mapping.tree.remap_l2_to_be_ro_ok",
            "a frame that is no table may be remapped read-only",
            mt_ro(a2), 0);
    conf_rc("mmu_update.tree.hook_l2_over_rw_mapped_l1_is_einval",
            "an L3 entry may not name an L2 whose L1 is mapped writable: -EINVAL",
            mt_mmu1(mt_slot(a3, 1), mt_ma(a2) | P_ | RW_, SELF),
            -XEN_EINVAL);
    conf_rc("update_va_mapping.tree.failed_l2_rw_again_ok",
            "a frame whose validation failed keeps no table type and may be mapped writable",
            mt_rw(a2), 0);   /* nothing was kept */
    conf_rc("update_va_mapping.tree.failed_l2_ro_again_ok",
            "a frame whose validation failed may be remapped read-only",
            mt_ro(a2), 0);
    conf_rc("update_va_mapping.tree.l1_to_be_ro_again_ok",
            "a data frame may be remapped read-only again",
            mt_ro(a1), 0);
}

/* §3.5: hooking validates the subtree on demand; §2.8 bits added. */
static void hook_validates(void)
{
    uint64_t v = 0;

    conf_rc("mmu_update.tree.hook_l2_validates_subtree_ok",
            "an L3 entry may name a read-only L2 over a read-only L1, validating both",
            mt_mmu1(mt_slot(a3, 1), mt_ma(a2) | P_ | RW_, SELF), 0);
    conf_hex("mmu_update.tree.hooked_l3e_gets_u",
             "Xen adds U to an L3 entry",
             mt_get(a3, 1) & FLAGS_MASK, U_ | RW_ | P_);
    conf_hex("mmu_update.tree.validated_l2e_gets_u",
             "validation adds U to the L2 entries below",
             mt_get(a2, 0) & FLAGS_MASK & ~(A_ | D_), U_ | RW_ | P_);
    conf_hex("mmu_update.tree.validated_l1e_gets_u_and_bit52",
             "validation adds U and bit 52 to the kernel L1 entries below",
             mt_get(a1, 0) & FLAGS_MASK & ~(A_ | D_),
             GK_ | U_ | RW_ | P_);
    conf_hex("mmu_update.tree.hooked_va_reads_second_frame",
             "the hooked tree maps its second L1 entry's frame",
             mt_peek(LOW_VA + 0x1000 + 16, &v) ? 0 : v, D2_MARK | 2);
    conf_hex("mmu_update.tree.hooked_va_reads_first_frame",
             "the hooked tree maps its first L1 entry's frame",
             mt_peek(LOW_VA + 8, &v) ? 0 : v, D1_MARK | 1);
    if (v == (D1_MARK | 1))     /* only write through a mapping that is there */
        ((volatile uint64_t *)LOW_VA)[40] = 0xabc;
    conf_hex("mmu_update.tree.hooked_va_write_lands",
             "a write through the hooked RW mapping lands in the frame",
             mt_get(mt_d1, 40), 0xabc);
    conf_rc("update_va_mapping.tree.hooked_l2_rw_is_ebusy",
            "a frame in use as an L2 may not be mapped writable: -EBUSY",
            mt_rw(a2), -XEN_EBUSY);
    conf_rc("update_va_mapping.tree.hooked_l1_rw_is_ebusy",
            "a frame validated as an L1 by a hook may not be mapped writable: -EBUSY",
            mt_rw(a1), -XEN_EBUSY);
}

/* §2.3 "old entry's references are dropped deferred", §3.6. */
static void unhook(void)
{
    uint64_t v;

    conf_rc("mmu_update.tree.unhook_l2_ok",
            "clearing the L3 entry unhooks the L2",
            mt_mmu1(mt_slot(a3, 1), 0, SELF), 0);
    conf_dec("mmu_update.tree.unhooked_va_faults",
             "the unhooked VA faults",
             mt_peek(LOW_VA, &v), 1);
    conf_rc("update_va_mapping.tree.unhooked_l2_rw_ok",
            "an unhooked L2 may be mapped writable before the hypercall returns",
            mt_rw(a2), 0);
    conf_rc("update_va_mapping.tree.unhooked_l1_rw_ok",
            "the L1 below an unhooked L2 may be mapped writable",
            mt_rw(a1), 0);
    conf_rc("mmu_update.tree.unhook_l3_ok",
            "clearing the L4 entry unhooks the L3",
            mt_mmu1(mt_slot(mt_l4_pfn, 0), 0, SELF), 0);
    conf_rc("update_va_mapping.tree.unhooked_l3_rw_ok",
            "an unhooked L3 may be mapped writable",
            mt_rw(a3), 0);
}

/* The same subtree hooked in one multi-level step: L3 (with L2, L1). */
static void hook_whole_subtree(void)
{
    uint64_t v = 0;

    ((uint64_t *)mt_va(a3))[1] = mt_ma(a2) | P_ | RW_;
    conf_rc("update_va_mapping.tree.subtree_l3_ro_ok",
            "a filled L3-to-be may be remapped read-only",
            mt_ro(a3), 0);
    conf_rc("update_va_mapping.tree.subtree_l2_ro_ok",
            "a filled L2-to-be may be remapped read-only",
            mt_ro(a2), 0);
    conf_rc("update_va_mapping.tree.subtree_l1_ro_ok",
            "a filled L1-to-be may be remapped read-only",
            mt_ro(a1), 0);
    conf_rc("mmu_update.tree.hook_three_levels_at_once_ok",
            "an L4 entry may name an L3 over an L2 over an L1, validating all three",
            mt_mmu1(mt_slot(mt_l4_pfn, 0), mt_ma(a3) | P_ | RW_, SELF), 0);
    conf_hex("mmu_update.tree.three_levels_va_reads_frame",
             "the tree hooked in one step maps its L1 entry's frame",
             mt_peek(LOW_VA + 8, &v) ? 0 : v, D1_MARK | 1);
    conf_rc("mmu_update.tree.unhook_three_levels_ok",
            "clearing the L4 entry unhooks the whole subtree",
            mt_mmu1(mt_slot(mt_l4_pfn, 0), 0, SELF), 0);
    conf_dec("update_va_mapping.tree.three_levels_released_rw",
             "all three frames of an unhooked subtree may be mapped writable again",
             !mt_rw(a3) + !mt_rw(a2) + !mt_rw(a1), 3);
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
