/*
 * mmu_base.c - MMUEXT_NEW_BASEPTR and MMUEXT_NEW_USER_BASEPTR.
 *
 * Rules (reference §2.7 slot 256, §2.12 NEW_BASEPTR / NEW_USER_BASEPTR,
 * §3.5, §6 items 6 and 9, §7.2):
 *   - the new L4 need not be pinned: it is validated on demand;
 *   - slot 256 (the RO M2P) is filled when an L4 becomes a kernel CR3
 *     (no m2p_strict), not when it is only a user CR3;
 *   - the old base's references are dropped: after switching back the
 *     new L4 maps RW again;
 *   - a frame that cannot be an L4 (RW-mapped, foreign) is -EINVAL;
 *     foreigndom DOMID_IO is -EPERM, our own numeric id -ESRCH.
 * The kernel keeps running on the new L4 because it is a copy of the
 * guest slots of the bootstrap L4 (they point at the same L3s).
 */
#include "kernel.h"
#include "console.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF

static unsigned long c4, u4;

static long base(unsigned int cmd, uint64_t mfn, unsigned long fd)
{
    return mt_ext(cmd, mfn, 0, fd);
}

static uint64_t xen_slots_present(unsigned long pfn)
{
    uint64_t mask = 0;

    for (unsigned int s = 256; s < 272; s++)
        mask |= (uint64_t)((mt_get(pfn, s) & P_) != 0) << (s - 256);
    return mask;
}

/* §2.12, §3.5: an unpinned, never validated L4 becomes CR3. */
static void new_baseptr(void)
{
    c4 = mt_l4_copy();
    conf_rc("mmuext_op.new_baseptr.unpinned_unvalidated_l4_is_ok",
            "NEW_BASEPTR does not need a pinned L4: an unvalidated one is validated on demand",
            base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), SELF), 0);
    printk("# running on the new L4\n");
    conf_dec("mmuext_op.new_baseptr.cr3_reads_new_l4",
             "after NEW_BASEPTR the emulated mov from cr3 reads the new L4's machine address",
             mt_read_cr3() == mt_ma(c4), 1);
    conf_dec("mmuext_op.new_baseptr.kernel_base_fills_slot256",
             "an L4 loaded as kernel CR3 gets slot 256 (RO M2P) filled in (no m2p_strict)",
             mt_get(c4, 256) & P_, 1);
    conf_rc("update_va_mapping.baseptr.rw_map_of_current_base_is_ebusy",
            "the L4 in CR3 holds a type reference: mapping it writable is -EBUSY",
            mt_rw(c4), -XEN_EBUSY);
    conf_rc("mmuext_op.new_baseptr.same_l4_again_is_ok",
            "NEW_BASEPTR of the current L4 just reloads CR3",
            base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), SELF), 0);
    conf_rc("mmuext_op.new_baseptr.back_to_builder_l4_is_ok",
            "NEW_BASEPTR back to the pinned bootstrap L4 returns 0",
            base(MMUEXT_NEW_BASEPTR, mt_l4_mfn, SELF), 0);
    conf_dec("mmuext_op.new_baseptr.cr3_reads_builder_l4_again",
             "after switching back the emulated mov from cr3 reads the bootstrap L4",
             mt_read_cr3() == (mt_l4_mfn << 12), 1);
    conf_rc("update_va_mapping.baseptr.rw_map_of_old_base_is_ok",
            "leaving CR3 drops the old base's type reference: an unpinned old L4 maps RW again",
            mt_rw(c4), 0);
    conf_rc("update_va_mapping.baseptr.ro_remap_of_old_base_is_ok",
            "the old base, untyped now, can be remapped read-only",
            mt_ro(c4), 0);
}

static void new_baseptr_errors(void)
{
    conf_rc("mmuext_op.new_baseptr.rw_mapped_frame_is_einval",
            "a frame with a writable mapping cannot become an L4: NEW_BASEPTR is -EINVAL",
            base(MMUEXT_NEW_BASEPTR, mt_mfn(mt_d1), SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.new_baseptr.foreign_mfn_is_einval",
            "NEW_BASEPTR of a frame we do not own is -EINVAL",
            base(MMUEXT_NEW_BASEPTR, mt_foreign, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.new_baseptr.foreigndom_io_is_eperm",
            "NEW_BASEPTR with a foreign owner (DOMID_IO) is -EPERM",
            base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.new_baseptr.foreigndom_own_id_is_esrch",
            "NEW_BASEPTR with our own numeric domid as foreigndom is -ESRCH",
            base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), 0), -XEN_ESRCH);
    conf_dec("mmuext_op.new_baseptr.refused_calls_leave_cr3_unchanged",
             "a refused NEW_BASEPTR leaves CR3 where it was",
             mt_read_cr3() == (mt_l4_mfn << 12), 1);
}

/* §2.12 NEW_BASEPTR: validation failure deep down; we stay where we are. */
static void new_baseptr_bad_tree(void)
{
    unsigned long l3 = mt_alloc(), l2 = mt_alloc(), l1 = mt_alloc();
    unsigned long bad = mt_l4_copy();

    ((uint64_t *)mt_va(l3))[1] = mt_ma(l2) | P_ | RW_;
    ((uint64_t *)mt_va(l2))[0] = mt_ma(l1) | P_ | RW_;
    ((uint64_t *)mt_va(l1))[5] = (mt_foreign << 12) | P_;
    mt_ro(l3); mt_ro(l2); mt_ro(l1);
    conf_rc("mmu_update.untyped.bad_subtree_into_untyped_l4_is_unchecked_ok",
            "mmu_update into a frame with no page-table type stores the entry without validating what it points at",
            mt_mmu1(mt_slot(bad, 0), mt_ma(l3) | P_ | RW_, SELF), 0);
    conf_rc("mmuext_op.new_baseptr.l4_with_foreign_frame_in_l1_is_ebusy",
            "NEW_BASEPTR validates the tree and returns the innermost error: a foreign frame in an L1 is -EBUSY",
            base(MMUEXT_NEW_BASEPTR, mt_mfn(bad), SELF), -XEN_EBUSY);
    conf_dec("mmuext_op.new_baseptr.failed_validation_leaves_cr3_unchanged",
             "a NEW_BASEPTR whose validation fails leaves CR3 where it was",
             mt_read_cr3() == (mt_l4_mfn << 12), 1);
    conf_dec("mmuext_op.new_baseptr.failed_validation_leaves_no_frame_typed",
             "a failed validation drops every type reference taken: all four frames map RW again",
             !mt_rw(bad) + !mt_rw(l3) + !mt_rw(l2) + !mt_rw(l1), 4);
}

/* §2.12 NEW_USER_BASEPTR: 0 clears; validation on demand; no M2P fill. */
static void new_user_baseptr(void)
{
    u4 = mt_l4_copy();
    conf_rc("mmuext_op.new_user_baseptr.mfn0_at_start_is_ok",
            "NEW_USER_BASEPTR with mfn 0 (no user table) returns 0",
            base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
    conf_rc("mmuext_op.new_user_baseptr.unpinned_unvalidated_l4_is_ok",
            "NEW_USER_BASEPTR validates an unpinned L4 on demand",
            base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(u4), SELF), 0);
    conf_hex("mmuext_op.new_user_baseptr.user_base_leaves_slot256_empty",
             "an L4 loaded only as user CR3 does not get slot 256 (RO M2P) filled",
             mt_get(u4, 256), 0);
    conf_rc("update_va_mapping.baseptr.rw_map_of_user_base_is_ebusy",
            "the user L4 holds a type reference: mapping it writable is -EBUSY",
            mt_rw(u4), -XEN_EBUSY);
    conf_rc("mmuext_op.new_user_baseptr.same_l4_again_is_ok",
            "NEW_USER_BASEPTR of the current user L4 is a no-op returning 0",
            base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(u4), SELF), 0);
    conf_rc("mmuext_op.new_user_baseptr.rw_mapped_frame_is_einval",
            "a frame with a writable mapping cannot become a user L4: -EINVAL",
            base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(mt_d1), SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.new_user_baseptr.foreigndom_io_is_eperm",
            "NEW_USER_BASEPTR with a foreign owner (DOMID_IO) is -EPERM",
            base(MMUEXT_NEW_USER_BASEPTR, 0, DOMID_IO), -XEN_EPERM);
    conf_rc("mmuext_op.new_user_baseptr.builder_l4_is_ok",
            "the kernel's own bootstrap L4 may also be loaded as the user L4",
            base(MMUEXT_NEW_USER_BASEPTR, mt_l4_mfn, SELF), 0);
    conf_rc("update_va_mapping.baseptr.rw_map_of_replaced_user_base_is_ok",
            "replacing the user L4 drops the old one's type reference: it maps RW again",
            mt_rw(u4), 0);
    conf_rc("mmuext_op.new_user_baseptr.mfn0_clears_ok",
            "NEW_USER_BASEPTR with mfn 0 clears the user L4",
            base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
    conf_rc("mmuext_op.new_user_baseptr.mfn0_when_clear_is_ok",
            "clearing an already clear user L4 returns 0",
            base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
}

/*
 * §2.7: what Xen writes into slots 256-271 of a guest L4, as the guest
 * reads it: at promotion 258 (linear), 260 (per-domain), 261 (text),
 * 262 (direct map, 32 MiB dom0 on 512 MiB); 256 (RO M2P: U, A, NX, RO)
 * only once the L4 is a kernel CR3.  Not an interface a guest relies on,
 * but visible; kept in its own case.
 */
static void xen_slots(void)
{
    unsigned long p = mt_l4_copy();
    const uint64_t m2p_flags = (1UL << 63) | A_ | U_ | P_;

    conf_hex("mmuext_op.xen_slots.builder_l4_slot256_is_ro_user_nx",
             "slot 256 of a kernel CR3 maps the RO M2P: present, user, accessed, NX, not writable",
             mt_get(mt_l4_pfn, 256) & FLAGS_MASK, m2p_flags);
    conf_rc("mmuext_op.xen_slots.pin_l4_copy_is_ok",
            "an L4 holding only copies of the bootstrap L4's guest slots can be pinned",
            mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(p), 0, SELF), 0);
    conf_hex("mmuext_op.xen_slots.pinned_l4_has_258_260_261_262",
             "promotion fills L4 slots 258, 260, 261 and 262 and leaves slot 256 empty",
             xen_slots_present(p), 0x74);
    conf_rc("mmuext_op.xen_slots.unpin_l4_copy_is_ok",
            "UNPIN of the pinned L4 copy returns 0",
            mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(p), 0, SELF), 0);
    conf_rc("mmuext_op.xen_slots.user_base_l4_copy_is_ok",
            "the unpinned L4 copy can be loaded as user L4",
            base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(p), SELF), 0);
    conf_hex("mmuext_op.xen_slots.user_base_keeps_slot256_empty",
             "loading an L4 as user CR3 keeps the promoted slots and does not fill slot 256",
             xen_slots_present(p), 0x74);
    conf_rc("mmuext_op.xen_slots.user_base_clear_is_ok",
            "clearing the user L4 returns 0",
            base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
    conf_rc("mmuext_op.xen_slots.kernel_base_l4_copy_is_ok",
            "the L4 copy can be loaded as kernel L4",
            base(MMUEXT_NEW_BASEPTR, mt_mfn(p), SELF), 0);
    conf_hex("mmuext_op.xen_slots.kernel_base_adds_slot256",
             "loading an L4 as kernel CR3 adds slot 256 to the promoted slots",
             xen_slots_present(p), 0x75);
    conf_hex("mmuext_op.xen_slots.kernel_base_slot256_is_ro_user_nx",
             "the slot 256 Xen fills in maps the RO M2P: present, user, accessed, NX, not writable",
             mt_get(p, 256) & FLAGS_MASK, m2p_flags);
    conf_rc("mmuext_op.xen_slots.back_to_builder_l4_is_ok",
            "NEW_BASEPTR back to the bootstrap L4 returns 0",
            base(MMUEXT_NEW_BASEPTR, mt_l4_mfn, SELF), 0);
    conf_rc("update_va_mapping.baseptr.rw_map_of_former_kernel_base_is_ok",
            "an unpinned L4 that was kernel CR3 maps RW again once CR3 moves away",
            mt_rw(p), 0);
}

const struct mmu_case mmu_base_cases[] = {
    { "new_baseptr_unpinned_l4_and_back",    new_baseptr },
    { "new_baseptr_errors",                  new_baseptr_errors },
    { "new_baseptr_foreign_deep_ebusy",      new_baseptr_bad_tree },
    { "new_user_baseptr",                    new_user_baseptr },
    { "l4_xen_slots_filled_like_xen",        xen_slots },
    { NULL, NULL }
};
