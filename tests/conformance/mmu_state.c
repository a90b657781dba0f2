/*
 * mmu_state.c - the pin / unpin / base-pointer state machine, nested
 * validation errors, the Xen slots of a live L4 and the error rows of
 * the mmuext_op table that mmu_pin.c, mmu_base.c and mmu_ext.c leave out.
 *
 * Rules (reference §2.4, §2.7, §2.12, §3.2-§3.5):
 *   - a frame stays typed while anything holds a type reference: a pin,
 *     a parent entry, or CR3.  UNPIN drops only the pin (and is -EINVAL on
 *     a table that is validated but not pinned); PIN of a table already
 *     validated through CR3 or a parent just adds the pin;
 *   - a pin or NEW_BASEPTR validates the whole tree below the L4 and
 *     returns the innermost error; every reference taken on the way is
 *     dropped again; the level asked for decides what entries must be;
 *   - L4 slots 256-271 are not validated (junk there is cleared at
 *     promotion) and are Xen's afterwards: mmu_update of them is -EINVAL,
 *     slots 255 and 272 are the guest's;
 *   - an mfn beyond RAM is -EINVAL for every command that takes one;
 *     flushes refuse a foreign owner with -EPERM.
 * Every case leaves its frames untyped and CR3 on the bootstrap L4.
 */
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define NO_RAM_MFN 0xfffffffUL      /* far above the top of RAM */

static long new_base(uint64_t mfn)
{
    return mt_ext(MMUEXT_NEW_BASEPTR, mfn, 0, SELF);
}

/* §2.12 UNPIN, §3.2: CR3 and the pin are two separate type references. */
static void base_and_pin(void)
{
    unsigned long p = mt_l4_copy();

    conf_rc("mmuext_op.pin.l4_copy_for_base_is_ok",
            "an L4 holding copies of the bootstrap L4's guest slots can be pinned",
            mt_pin(4, p), 0);
    conf_rc("mmuext_op.new_baseptr.pinned_l4_is_ok",
            "NEW_BASEPTR of a pinned L4 returns 0",
            new_base(mt_mfn(p)), 0);
    conf_rc("mmuext_op.unpin.current_kernel_base_is_ok",
            "UNPIN of an L4 that is still the kernel CR3 is allowed",
            mt_unpin(p), 0);
    conf_rc("update_va_mapping.state.rw_map_of_unpinned_current_base_is_ebusy",
            "an unpinned L4 still in CR3 stays typed through the CR3 reference: mapping it writable is -EBUSY",
            mt_rw(p), -XEN_EBUSY);
    conf_rc("mmuext_op.unpin.validated_but_unpinned_base_is_einval",
            "UNPIN of an L4 that is validated (as CR3) but not pinned is -EINVAL",
            mt_unpin(p), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.l4_validated_as_cr3_is_ok",
            "PIN of an L4 already validated as CR3 just adds the pin",
            mt_pin(4, p), 0);
    conf_rc("mmuext_op.new_baseptr.back_from_pinned_copy_is_ok",
            "NEW_BASEPTR back to the bootstrap L4 returns 0",
            new_base(mt_l4_mfn), 0);
    conf_rc("update_va_mapping.state.rw_map_of_pinned_former_base_is_ebusy",
            "after CR3 moves away the pin alone keeps the L4 typed: mapping it writable is -EBUSY",
            mt_rw(p), -XEN_EBUSY);
    conf_rc("mmuext_op.unpin.pinned_former_base_is_ok",
            "UNPIN of a pinned L4 that is no longer CR3 returns 0",
            mt_unpin(p), 0);
    conf_rc("update_va_mapping.state.rw_map_with_no_pin_and_no_cr3_is_ok",
            "with neither the pin nor CR3 holding it the L4 is untyped: it maps RW again",
            mt_rw(p), 0);
}

/* §2.12 NEW_BASEPTR, §3.5: loading an unvalidated L4 validates its subtree. */
static void base_validates_subtree(void)
{
    unsigned long v3 = mt_alloc(), v2 = mt_alloc(), v1 = mt_alloc();
    unsigned long v4 = mt_l4_copy();

    ((uint64_t *)mt_va(v3))[3] = mt_ma(v2) | P_ | RW_;
    ((uint64_t *)mt_va(v2))[0] = mt_ma(v1) | P_ | RW_;
    ((uint64_t *)mt_va(v1))[0] = mt_ma(mt_d1) | P_;
    mt_ro(v3); mt_ro(v2); mt_ro(v1);
    if (mt_mmu1(mt_slot(v4, 0), mt_ma(v3) | P_ | RW_, SELF))
        mt_fail("cannot store the subtree into the L4 copy");
    conf_rc("mmuext_op.new_baseptr.l4_with_new_subtree_is_ok",
            "NEW_BASEPTR of an unvalidated L4 with a new valid subtree returns 0",
            new_base(mt_mfn(v4)), 0);
    conf_rc("update_va_mapping.state.rw_map_of_l1_under_new_base_is_ebusy",
            "NEW_BASEPTR validates the whole tree below the L4: its L1 three levels down is typed",
            mt_rw(v1), -XEN_EBUSY);
    conf_hex("mmuext_op.new_baseptr.validated_subtree_l2e_gets_u",
             "validation on demand rewrites the subtree's L2 entry with U, as a pin does",
             mt_get(v2, 0) & FLAGS_MASK, U_ | RW_ | P_);
    conf_rc("mmuext_op.new_baseptr.back_from_subtree_l4_is_ok",
            "NEW_BASEPTR back to the bootstrap L4 returns 0",
            new_base(mt_l4_mfn), 0);
    conf_dec("update_va_mapping.state.subtree_untyped_after_leaving_base",
             "leaving an unpinned base releases the tree it validated: all four frames map RW again",
             !mt_rw(v4) + !mt_rw(v3) + !mt_rw(v2) + !mt_rw(v1), 4);
}

/* §2.12 PIN, §3.3: the level asked for decides what the entries must be. */
static void pin_wrong_level(void)
{
    unsigned long f = mt_alloc();

    ((uint64_t *)mt_va(f))[0] = mt_ma(mt_d1) | P_;
    mt_ro(f);
    conf_rc("mmuext_op.pin.l1_content_as_l2_is_einval",
            "pinned as an L2 an L1's entries must name L1 tables: a writable-mapped data frame is -EINVAL",
            mt_pin(2, f), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.same_frame_as_l1_after_failed_l2_is_ok",
            "a failed pin at the wrong level leaves the frame free to be pinned at its own level",
            mt_pin(1, f), 0);
    conf_rc("mmuext_op.unpin.l1_after_wrong_level_attempt_is_ok",
            "UNPIN of that L1 returns 0",
            mt_unpin(f), 0);
    conf_rc("update_va_mapping.state.rw_map_after_wrong_level_and_unpin_is_ok",
            "after the unpin the frame is untyped: it maps RW again",
            mt_rw(f), 0);
}

/* §3.2, §3.4: a child validated through its parent; pins on its own. */
static void child_pins(void)
{
    unsigned long t4 = mt_alloc(), t3 = mt_alloc(), t2 = mt_alloc(), t1 = mt_alloc();

    ((uint64_t *)mt_va(t4))[0] = mt_ma(t3) | P_ | RW_;
    ((uint64_t *)mt_va(t3))[2] = mt_ma(t2) | P_ | RW_;
    ((uint64_t *)mt_va(t2))[0] = mt_ma(t1) | P_ | RW_;
    ((uint64_t *)mt_va(t1))[0] = mt_ma(mt_d1) | P_;
    mt_ro(t4); mt_ro(t3); mt_ro(t2); mt_ro(t1);
    if (mt_pin(4, t4))
        mt_fail("cannot pin the L4 of the child_pins tree");
    conf_rc("mmuext_op.unpin.l3_validated_through_parent_is_einval",
            "UNPIN of a table validated through its parent but never pinned is -EINVAL",
            mt_unpin(t3), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.in_use_l3_as_l2_is_einval",
            "a frame in use as an L3 cannot be pinned as an L2 (type conflict)",
            mt_pin(2, t3), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.in_use_l2_at_its_level_is_ok",
            "PIN of a table already validated through its parent just adds the pin",
            mt_pin(2, t2), 0);
    conf_rc("mmuext_op.foreigndom.unpin_with_domid_io_is_einval",
            "UNPIN with foreigndom DOMID_IO is -EINVAL: our pinned frame is not DOMID_IO's",
            mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(t2), 0, DOMID_IO), -XEN_EINVAL);
    conf_rc("mmuext_op.unpin.parent_of_pinned_l2_is_ok",
            "UNPIN of an L4 whose subtree holds a separately pinned L2 returns 0",
            mt_unpin(t4), 0);
    conf_rc("update_va_mapping.state.rw_map_of_unpinned_parent_is_ok",
            "unpinning the L4 drops its last type reference: it maps RW again",
            mt_rw(t4), 0);
    conf_rc("update_va_mapping.state.rw_map_of_l3_below_unpinned_parent_is_ok",
            "tearing down the L4 drops the type reference it held on its L3",
            mt_rw(t3), 0);
    conf_rc("update_va_mapping.state.rw_map_of_own_pinned_l2_is_ebusy",
            "an L2 pinned on its own stays typed when its parent is torn down",
            mt_rw(t2), -XEN_EBUSY);
    conf_rc("update_va_mapping.state.rw_map_of_l1_below_pinned_l2_is_ebusy",
            "an L1 referenced by a pinned L2 stays typed",
            mt_rw(t1), -XEN_EBUSY);
    conf_rc("mmuext_op.unpin.l2_pinned_after_its_parent_is_ok",
            "UNPIN of the L2 that was pinned while in use returns 0",
            mt_unpin(t2), 0);
    conf_dec("update_va_mapping.state.l2_and_l1_untyped_after_last_unpin",
             "the last unpin releases the L2 and the L1 below it: both map RW again",
             !mt_rw(t2) + !mt_rw(t1), 2);
}

/* ---- §2.12, §3.5, §6.15: errors deep down come back from the pin ---- */
static unsigned long n4, n3, n2, n1;

/* Fresh content: n4[0] -> n3, n3[1] -> n2, n2[0] -> n1, all read-only. */
static void build_tree(void)
{
    unsigned long f[4] = { n4, n3, n2, n1 };

    for (int i = 0; i < 4; i++) {
        if (mt_rw(f[i]))
            mt_fail("nested tree frame %d is still typed", i);
        memset(mt_va(f[i]), 0, PAGE_SIZE);
    }
    ((uint64_t *)mt_va(n4))[0] = mt_ma(n3) | P_ | RW_;
    ((uint64_t *)mt_va(n3))[1] = mt_ma(n2) | P_ | RW_;
    ((uint64_t *)mt_va(n2))[0] = mt_ma(n1) | P_ | RW_;
    ((uint64_t *)mt_va(n1))[0] = mt_ma(mt_d1) | P_;
}

static void tree_ro(void)
{
    mt_ro(n4); mt_ro(n3); mt_ro(n2); mt_ro(n1);
}

/* How many of the tree's frames map RW now (the rest are still typed). */
static unsigned int rw_count(void)
{
    return !mt_rw(n4) + !mt_rw(n3) + !mt_rw(n2) + !mt_rw(n1);
}

static void nested_errors(void)
{
    n4 = mt_alloc(); n3 = mt_alloc(); n2 = mt_alloc(); n1 = mt_alloc();

    build_tree();
    conf_rc("mmuext_op.pin.l4_with_writable_mapping_is_einval",
            "a frame that still has a writable mapping cannot be pinned as an L4: -EINVAL",
            mt_pin(4, n4), -XEN_EINVAL);

    /* PSE in the L2, two levels below the L4. */
    ((uint64_t *)mt_va(n2))[3] = mt_ma(mt_d2) | P_ | PSE_;
    tree_ro();
    conf_rc("mmuext_op.pin.l4_with_pse_in_l2_below_is_einval",
            "a PSE entry in an L2 two levels below fails the L4 pin with the L2's -EINVAL",
            mt_pin(4, n4), -XEN_EINVAL);
    conf_dec("mmuext_op.pin.l4_failed_on_l2_pse_leaves_no_frame_typed",
             "after a pin fails in an L2 no frame of the tree keeps a type",
             rw_count(), 4);

    /* The L1 three levels down still has a writable mapping. */
    build_tree();
    mt_ro(n4); mt_ro(n3); mt_ro(n2);
    conf_rc("mmuext_op.pin.l4_with_rw_mapped_l1_below_is_einval",
            "an L1 three levels down that still has a writable mapping fails the L4 pin with -EINVAL",
            mt_pin(4, n4), -XEN_EINVAL);
    conf_dec("mmuext_op.pin.l4_failed_on_rw_l1_leaves_no_frame_typed",
             "after a pin fails on a writable L1 no frame of the tree keeps a type",
             rw_count(), 4);

    /* The L1 maps the tree's own L2 writable, while that L2 is validated. */
    build_tree();
    ((uint64_t *)mt_va(n1))[1] = mt_ma(n2) | P_ | RW_;
    tree_ro();
    conf_rc("mmuext_op.pin.l4_whose_l1_maps_its_l2_rw_is_ebusy",
            "an L1 entry mapping the tree's own L2 writable is -EBUSY, returned by the L4 pin",
            mt_pin(4, n4), -XEN_EBUSY);
    conf_dec("mmuext_op.pin.l4_failed_on_rw_l2_entry_leaves_no_frame_typed",
             "after a pin fails on a writable entry no frame of the tree keeps a type",
             rw_count(), 4);
}

/* §2.7: slots 256-271 of an L4: unvalidated junk before, Xen's after. */
static void l4_xen_slots(void)
{
    unsigned long q = mt_alloc();
    uint64_t junk = mt_ma(mt_d1) | P_ | RW_;      /* an RW data frame: no L3 */

    mt_ro(q);
    conf_rc("mmu_update.untyped.junk_into_slot256_of_untyped_frame_is_ok",
            "in a frame with no page-table type slot 256 is plain memory: the store is not checked",
            mt_mmu1(mt_slot(q, 256), junk, SELF), 0);
    conf_rc("mmu_update.untyped.junk_into_slot271_of_untyped_frame_is_ok",
            "in a frame with no page-table type slot 271 is plain memory: the store is not checked",
            mt_mmu1(mt_slot(q, 271), junk, SELF), 0);
    conf_rc("mmuext_op.pin.l4_with_junk_in_slots_256_271_is_ok",
            "guest entries in L4 slots 256-271 are not validated: junk there does not fail the pin",
            mt_pin(4, q), 0);
    conf_hex("mmuext_op.pin.junk_in_l4_slot256_is_cleared",
             "promotion overwrites slot 256 with Xen's entry, empty until the L4 is a kernel CR3",
             mt_get(q, 256), 0);
    conf_hex("mmuext_op.pin.junk_in_l4_slot271_is_cleared",
             "promotion overwrites slot 271 with Xen's entry, empty for a small host",
             mt_get(q, 271), 0);
    conf_rc("mmu_update.l4_xen_slots.slot256_of_pinned_l4_is_einval",
            "slot 256 of a validated L4 is Xen's: mmu_update of it is -EINVAL, even to clear it",
            mt_mmu1(mt_slot(q, 256), 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.l4_xen_slots.slot271_of_pinned_l4_is_einval",
            "slot 271, the last of Xen's, of a validated L4 is refused: -EINVAL",
            mt_mmu1(mt_slot(q, 271), 0, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.l4_xen_slots.slot255_of_pinned_l4_is_ok",
            "slot 255, just below Xen's range, of a validated L4 is the guest's",
            mt_mmu1(mt_slot(q, 255), 0, SELF), 0);
    conf_rc("mmu_update.l4_xen_slots.slot272_of_pinned_l4_is_ok",
            "slot 272, just above Xen's range, of a validated L4 is the guest's",
            mt_mmu1(mt_slot(q, 272), 0, SELF), 0);
    conf_rc("mmu_update.l4_xen_slots.kernel_l4_slot256_rewrite_with_own_value_is_einval",
            "slot 256 of the running kernel L4 is refused even when rewritten with its own value",
            mt_mmu1(mt_slot(mt_l4_pfn, 256), mt_get(mt_l4_pfn, 256), SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.unpin.l4_after_slot_updates_is_ok",
            "UNPIN of the L4 after the refused slot updates returns 0",
            mt_unpin(q), 0);
    conf_rc("update_va_mapping.state.rw_map_of_unpinned_slot_test_l4_is_ok",
            "the unpinned L4 is untyped again: it maps RW",
            mt_rw(q), 0);
}

/* §2.12: the rows of the table not met elsewhere. */
static void error_rows(void)
{
    unsigned long dst = mt_alloc();
    unsigned long mask = 1;

    conf_rc("mmuext_op.pin.mfn_beyond_ram_is_einval",
            "PIN of an mfn beyond RAM is -EINVAL",
            mt_ext(MMUEXT_PIN_L1_TABLE, NO_RAM_MFN, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.unpin.mfn_beyond_ram_is_einval",
            "UNPIN of an mfn beyond RAM is -EINVAL",
            mt_ext(MMUEXT_UNPIN_TABLE, NO_RAM_MFN, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.new_baseptr.mfn_beyond_ram_is_einval",
            "NEW_BASEPTR of an mfn beyond RAM is -EINVAL",
            mt_ext(MMUEXT_NEW_BASEPTR, NO_RAM_MFN, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.new_user_baseptr.mfn_beyond_ram_is_einval",
            "NEW_USER_BASEPTR of an mfn beyond RAM is -EINVAL",
            mt_ext(MMUEXT_NEW_USER_BASEPTR, NO_RAM_MFN, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.new_user_baseptr.foreign_mfn_is_einval",
            "NEW_USER_BASEPTR of a frame we do not own is -EINVAL",
            mt_ext(MMUEXT_NEW_USER_BASEPTR, mt_foreign, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.clear_page.mfn_beyond_ram_is_einval",
            "CLEAR_PAGE of an mfn beyond RAM is -EINVAL",
            mt_ext(MMUEXT_CLEAR_PAGE, NO_RAM_MFN, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.copy_page.source_beyond_ram_is_einval",
            "a COPY_PAGE source beyond RAM is -EINVAL",
            mt_ext(MMUEXT_COPY_PAGE, mt_mfn(dst), NO_RAM_MFN, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.copy_page.destination_foreign_mfn_is_einval",
            "a COPY_PAGE destination we do not own is -EINVAL",
            mt_ext(MMUEXT_COPY_PAGE, mt_foreign, mt_mfn(dst), SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.foreigndom.io_invlpg_local_is_eperm",
            "INVLPG_LOCAL with foreigndom DOMID_IO is -EPERM",
            mt_ext(MMUEXT_INVLPG_LOCAL, WIN_VA, 0, DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.foreigndom.io_tlb_flush_all_is_eperm",
            "TLB_FLUSH_ALL with foreigndom DOMID_IO is -EPERM",
            mt_ext(MMUEXT_TLB_FLUSH_ALL, 0, 0, DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.foreigndom.io_invlpg_all_is_eperm",
            "INVLPG_ALL with foreigndom DOMID_IO is -EPERM",
            mt_ext(MMUEXT_INVLPG_ALL, WIN_VA, 0, DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.foreigndom.io_tlb_flush_multi_is_eperm",
            "TLB_FLUSH_MULTI with foreigndom DOMID_IO is -EPERM",
            mt_ext(MMUEXT_TLB_FLUSH_MULTI, 0, (unsigned long)&mask, DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.foreigndom.io_invlpg_multi_bad_mask_is_eperm",
            "the foreign-owner check of INVLPG_MULTI comes before reading the vCPU bitmap: -EPERM",
            mt_ext(MMUEXT_INVLPG_MULTI, WIN_VA, 0x1000, DOMID_IO), -XEN_EPERM);
}

const struct mmu_case mmu_state_cases[] = {
    { "mmuext_unpin_current_base_stays_typed",  base_and_pin },
    { "mmuext_new_baseptr_validates_subtree",   base_validates_subtree },
    { "mmuext_pin_child_of_pinned_tree",        child_pins },
    { "mmuext_pin_at_wrong_level",              pin_wrong_level },
    { "mmuext_pin_nested_errors_leave_no_type", nested_errors },
    { "mmu_update_l4_xen_slots_of_live_l4",     l4_xen_slots },
    { "mmuext_error_rows",                      error_rows },
    { NULL, NULL }
};
