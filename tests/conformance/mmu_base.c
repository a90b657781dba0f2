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

/* A copy of the bootstrap L4's guest slots (0-255, 272-511), read-only. */
static unsigned long copy_l4(void)
{
    unsigned long pfn = mt_alloc();
    uint64_t *t = mt_va(pfn);

    for (unsigned int s = 0; s < 512; s++)
        if (s < 256 || s >= 272)
            t[s] = mt_get(mt_l4_pfn, s);
    if (mt_ro(pfn))
        panic("mmu: cannot remap the L4 copy read-only");
    return pfn;
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
    c4 = copy_l4();
    mt_rc("new_baseptr_unvalidated", base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), SELF), 0);
    printk("# running on the new L4\n");
    mt_dec("new_baseptr_cr3", mt_read_cr3() == mt_ma(c4), 1);
    mt_dec("new_base_slot256_present", mt_get(c4, 256) & P_, 1);
    mt_rc("new_base_rw", mt_rw(c4), -XEN_EBUSY);
    mt_rc("same_baseptr_reload", base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), SELF), 0);
    mt_rc("back_to_builder_l4", base(MMUEXT_NEW_BASEPTR, mt_l4_mfn, SELF), 0);
    mt_dec("back_cr3", mt_read_cr3() == (mt_l4_mfn << 12), 1);
    mt_rc("old_base_rw", mt_rw(c4), 0);
    mt_rc("old_base_ro", mt_ro(c4), 0);
}

static void new_baseptr_errors(void)
{
    mt_rc("new_baseptr_rw_frame", base(MMUEXT_NEW_BASEPTR, mt_mfn(mt_d1), SELF),
          -XEN_EINVAL);
    mt_rc("new_baseptr_foreign", base(MMUEXT_NEW_BASEPTR, mt_foreign, SELF), -XEN_EINVAL);
    mt_rc("new_baseptr_fd_io", base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), DOMID_IO), -XEN_EPERM);
    mt_rc("new_baseptr_fd_own_id", base(MMUEXT_NEW_BASEPTR, mt_mfn(c4), 0), -XEN_ESRCH);
    mt_dec("errors_cr3_unchanged", mt_read_cr3() == (mt_l4_mfn << 12), 1);
}

/* §2.12 NEW_BASEPTR: validation failure deep down; we stay where we are. */
static void new_baseptr_bad_tree(void)
{
    unsigned long l3 = mt_alloc(), l2 = mt_alloc(), l1 = mt_alloc();
    unsigned long bad = copy_l4();

    ((uint64_t *)mt_va(l3))[1] = mt_ma(l2) | P_ | RW_;
    ((uint64_t *)mt_va(l2))[0] = mt_ma(l1) | P_ | RW_;
    ((uint64_t *)mt_va(l1))[5] = (mt_foreign << 12) | P_;
    mt_ro(l3); mt_ro(l2); mt_ro(l1);
    mt_rc("bad_tree_slot0_store", mt_mmu1(mt_slot(bad, 0), mt_ma(l3) | P_ | RW_, SELF), 0);
    mt_rc("new_baseptr_bad_tree", base(MMUEXT_NEW_BASEPTR, mt_mfn(bad), SELF), -XEN_EBUSY);
    mt_dec("bad_tree_cr3_unchanged", mt_read_cr3() == (mt_l4_mfn << 12), 1);
    mt_dec("bad_tree_frames_rw_ok", !mt_rw(bad) + !mt_rw(l3) + !mt_rw(l2) + !mt_rw(l1), 4);
}

/* §2.12 NEW_USER_BASEPTR: 0 clears; validation on demand; no M2P fill. */
static void new_user_baseptr(void)
{
    u4 = copy_l4();
    mt_rc("user_base_zero", base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
    mt_rc("user_base_new", base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(u4), SELF), 0);
    mt_hex("user_base_slot256", mt_get(u4, 256), 0);
    mt_rc("user_base_rw", mt_rw(u4), -XEN_EBUSY);
    mt_rc("user_base_same", base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(u4), SELF), 0);
    mt_rc("user_base_rw_frame", base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(mt_d1), SELF),
          -XEN_EINVAL);
    mt_rc("user_base_fd_io", base(MMUEXT_NEW_USER_BASEPTR, 0, DOMID_IO), -XEN_EPERM);
    mt_rc("user_base_builder_l4", base(MMUEXT_NEW_USER_BASEPTR, mt_l4_mfn, SELF), 0);
    mt_rc("user_base_released_rw", mt_rw(u4), 0);
    mt_rc("user_base_clear", base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
    mt_rc("user_base_clear_again", base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
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
    unsigned long p = copy_l4();
    const uint64_t m2p_flags = (1UL << 63) | A_ | U_ | P_;

    mt_hex("builder_l4_slot256_flags", mt_get(mt_l4_pfn, 256) & FLAGS_MASK, m2p_flags);
    mt_rc("slots_pin", mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(p), 0, SELF), 0);
    mt_hex("slots_pinned_present", xen_slots_present(p), 0x74);
    mt_rc("slots_unpin", mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(p), 0, SELF), 0);
    mt_rc("slots_user_base", base(MMUEXT_NEW_USER_BASEPTR, mt_mfn(p), SELF), 0);
    mt_hex("slots_user_base_present", xen_slots_present(p), 0x74);
    mt_rc("slots_user_base_clear", base(MMUEXT_NEW_USER_BASEPTR, 0, SELF), 0);
    mt_rc("slots_kernel_base", base(MMUEXT_NEW_BASEPTR, mt_mfn(p), SELF), 0);
    mt_hex("slots_kernel_base_present", xen_slots_present(p), 0x75);
    mt_hex("slots_kernel_base_slot256_flags", mt_get(p, 256) & FLAGS_MASK, m2p_flags);
    mt_rc("slots_back", base(MMUEXT_NEW_BASEPTR, mt_l4_mfn, SELF), 0);
    mt_rc("slots_frame_rw", mt_rw(p), 0);
}

const struct mmu_case mmu_base_cases[] = {
    { "new_baseptr_unpinned_l4_and_back",    new_baseptr },
    { "new_baseptr_errors",                  new_baseptr_errors },
    { "new_baseptr_foreign_deep_ebusy",      new_baseptr_bad_tree },
    { "new_user_baseptr",                    new_user_baseptr },
    { "l4_xen_slots_filled_like_xen",        xen_slots },
    { NULL, NULL }
};
