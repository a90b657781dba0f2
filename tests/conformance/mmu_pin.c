/*
 * mmu_pin.c - MMUEXT_PIN_Ln_TABLE / MMUEXT_UNPIN_TABLE on a fresh
 * 4-level tree b4 -> b3 -> b2 -> b1 (mapping 0x40000000, never hooked
 * into the live tree) and on single frames.
 *
 * Rules (reference §1.2 "must NOT pin the initial L4 again", §2.4, §2.7,
 * §2.12 PIN/UNPIN, §3.2-§3.5; §6 items 5, 7, 9, 15):
 *   - a pin takes a type reference, validating the whole tree below; an
 *     error found deep down comes back as that error (-EBUSY for an L1
 *     entry naming a frame we do not own), and every reference taken on
 *     the way is dropped again (the frames map RW afterwards);
 *   - already pinned, not pinned, type conflict, RW-mapped frame: -EINVAL;
 *   - a pinned table maps RO, never RW (-EBUSY);
 *   - L4 slots 256-271 are ignored at validation and overwritten by Xen.
 */
#include "kernel.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF

static unsigned long b4, b3, b2, b1;

/* How many of the tree's frames map RW now (4 = no reference kept). */
static unsigned int rw_count_then_ro(void)
{
    unsigned long f[4] = { b4, b3, b2, b1 };
    unsigned int n = 0;

    for (int i = 0; i < 4; i++)
        n += mt_rw(f[i]) == 0;
    for (int i = 0; i < 4; i++)
        if (mt_ro(f[i]))
            panic("mmu: cannot remap tree frame %d read-only", i);
    return n;
}

/* §2.12, §6.15: the innermost error comes back from the pin. */
static void foreign_deep_down(void)
{
    b4 = mt_alloc(); b3 = mt_alloc(); b2 = mt_alloc(); b1 = mt_alloc();
    ((uint64_t *)mt_va(b4))[0] = mt_ma(b3) | P_ | RW_;
    ((uint64_t *)mt_va(b3))[1] = mt_ma(b2) | P_ | RW_;
    ((uint64_t *)mt_va(b2))[0] = mt_ma(b1) | P_ | RW_;
    ((uint64_t *)mt_va(b1))[0] = mt_ma(mt_d1) | P_ | RW_;
    ((uint64_t *)mt_va(b1))[1] = (mt_foreign << 12) | P_;
    /* Junk in a hypervisor slot is ignored at validation (§2.7). */
    ((uint64_t *)mt_va(b4))[260] = (mt_foreign << 12) | P_ | RW_ | PSE_;
    rw_count_then_ro();
    conf_rc("mmuext_op.pin.l4_with_foreign_frame_in_l1_is_ebusy",
            "a pin validates the tree below and returns the innermost error: a foreign frame in an L1 three levels down is -EBUSY",
            mt_pin(4, b4), -XEN_EBUSY);
    conf_dec("mmuext_op.pin.failed_l4_pin_leaves_no_frame_typed",
             "a failed pin drops every type reference taken on the way down: all four frames map RW again",
             rw_count_then_ro(), 4);
}

/* Fix the L1 entry with a plain store (b1 is not a table now), pin again. */
static void pin_after_fix(void)
{
    uint64_t e;

    conf_rc("mmu_update.untyped.store_into_l1_of_failed_pin_is_ok",
            "after a failed pin the L1 is untyped again: an mmu_update into it is a plain store",
            mt_mmu1(mt_slot(b1, 1), mt_ma(mt_d2) | P_, SELF), 0);
    conf_rc("mmuext_op.pin.l4_tree_with_valid_entries_is_ok",
            "PIN_L4_TABLE of an unvalidated tree whose entries are all valid validates it and returns 0",
            mt_pin(4, b4), 0);
    conf_hex("mmuext_op.pin.validated_l1e_gets_u_and_guest_kernel",
             "validation rewrites a kernel L1 entry with U and _PAGE_GUEST_KERNEL (bit 52)",
             mt_get(b1, 1) & FLAGS_MASK & ~(A_ | D_), GK_ | U_ | P_);
    conf_hex("mmuext_op.pin.validated_l4e_gets_u_and_a",
             "validation rewrites an L4 entry with U and A",
             mt_get(b4, 0) & FLAGS_MASK, U_ | A_ | RW_ | P_);
    /* §7.4: slot 256 (RO M2P) stays empty until the L4 is a kernel CR3. */
    conf_hex("mmuext_op.pin.pinned_l4_slot256_stays_empty",
             "slot 256 (RO M2P) of a pinned L4 stays empty until the L4 is loaded as a kernel CR3",
             mt_get(b4, 256), 0);
    e = mt_get(b4, 260);
    conf_dec("mmuext_op.pin.junk_in_l4_slot260_is_overwritten",
             "guest junk in L4 slots 256-271 is ignored at validation and overwritten by Xen",
             e != ((mt_foreign << 12) | P_ | RW_ | PSE_), 1);
    mt_local("pinned_l4_slot260", e);
}

/* §1.2, §2.12: already pinned -> -EINVAL; §2.4: pinned maps RO only. */
static void pinned_rules(void)
{
    conf_rc("mmuext_op.pin.builder_l4_again_is_einval",
            "the domain builder already pinned the initial L4: pinning it again is -EINVAL",
            mt_ext(MMUEXT_PIN_L4_TABLE, mt_l4_mfn, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.l4_twice_is_einval",
            "pinning an already pinned table is -EINVAL",
            mt_pin(4, b4), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.pinned_l4_as_l3_is_einval",
            "a frame in use as an L4 cannot be pinned as an L3 (type conflict)",
            mt_pin(3, b4), -XEN_EINVAL);
    conf_rc("update_va_mapping.pinned.rw_map_of_pinned_l4_is_ebusy",
            "a pinned L4 may not be mapped writable",
            mt_rw(b4), -XEN_EBUSY);
    conf_rc("update_va_mapping.pinned.rw_map_of_l1_under_pinned_l4_is_ebusy",
            "an L1 validated under a pinned L4 may not be mapped writable",
            mt_rw(b1), -XEN_EBUSY);
    conf_rc("update_va_mapping.pinned.ro_map_of_pinned_l4_is_ok",
            "a pinned table may be mapped read-only",
            mt_ro(b4), 0);
    /* b1 is a live L1 now: mmu_update into it is checked (§2.2 step 2). */
    conf_rc("mmu_update.pinned.foreign_frame_into_live_l1_is_ebusy",
            "an update of a validated L1 is checked: an entry naming a frame we do not own is -EBUSY",
            mt_mmu1(mt_slot(b1, 2), (mt_foreign << 12) | P_, SELF), -XEN_EBUSY);
    conf_rc("mmu_update.pinned.own_ro_frame_into_live_l1_is_ok",
            "a read-only entry naming our own data frame may be written into a validated L1",
            mt_mmu1(mt_slot(b1, 2), mt_ma(mt_d2) | P_, SELF), 0);
    conf_rc("mmu_update.pinned.live_l1_entry_mapping_pinned_l4_rw_is_ebusy",
            "a validated L1 may not gain an entry mapping a pinned L4 writable",
            mt_mmu1(mt_slot(b1, 3), mt_ma(b4) | P_ | RW_, SELF), -XEN_EBUSY);
}

static void unpin_rules(void)
{
    conf_rc("mmuext_op.unpin.pinned_l4_is_ok",
            "UNPIN of a pinned L4 returns 0",
            mt_unpin(b4), 0);
    conf_rc("mmuext_op.unpin.l4_twice_is_einval",
            "UNPIN of a table that is no longer pinned is -EINVAL",
            mt_unpin(b4), -XEN_EINVAL);
    conf_dec("mmuext_op.unpin.last_ref_gone_tree_maps_rw",
             "unpinning drops the last type reference: every frame of the tree is untyped and maps RW again",
             rw_count_then_ro(), 4);
}

/* §2.4 (XTF xsa-224): PIN of an RW-mapped frame -> -EINVAL; §3.3 types. */
static void single_frame(void)
{
    unsigned long f = mt_alloc();

    conf_rc("mmuext_op.pin.l1_with_writable_mapping_is_einval",
            "a frame that still has a writable mapping cannot be pinned: -EINVAL (XTF xsa-224)",
            mt_pin(1, f), -XEN_EINVAL);
    conf_rc("update_va_mapping.pinned.ro_remap_before_pin_is_ok",
            "replacing a frame's only writable mapping by a read-only one succeeds",
            mt_ro(f), 0);
    conf_rc("mmuext_op.pin.empty_ro_l1_is_ok",
            "an empty frame mapped only read-only can be pinned as an L1",
            mt_pin(1, f), 0);
    conf_rc("mmuext_op.pin.pinned_l1_as_l2_is_einval",
            "a frame in use as an L1 cannot be pinned as an L2 (type conflict)",
            mt_pin(2, f), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.l1_twice_is_einval",
            "pinning an already pinned L1 is -EINVAL",
            mt_pin(1, f), -XEN_EINVAL);
    conf_rc("update_va_mapping.pinned.rw_map_of_pinned_l1_is_ebusy",
            "a pinned L1 may not be mapped writable",
            mt_rw(f), -XEN_EBUSY);
    conf_rc("mmuext_op.unpin.pinned_l1_is_ok",
            "UNPIN of a pinned L1 returns 0",
            mt_unpin(f), 0);
    conf_rc("update_va_mapping.pinned.rw_map_after_unpin_is_ok",
            "an unpinned L1 with no other reference is untyped: it maps RW again",
            mt_rw(f), 0);
}

static void pin_errors(void)
{
    unsigned long f = mt_alloc();

    ((uint64_t *)mt_va(f))[3] = mt_ma(mt_d1) | P_ | RW_ | PSE_;
    mt_ro(f);
    conf_rc("mmuext_op.pin.l2_with_pse_entry_is_einval",
            "PSE is disallowed in an L2 entry: pinning such an L2 is -EINVAL",
            mt_pin(2, f), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.l3_with_pse_entry_is_einval",
            "PSE is disallowed in an L3 entry: pinning such an L3 is -EINVAL",
            mt_pin(3, f), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.l4_with_pse_entry_is_einval",
            "PSE is disallowed in an L4 entry: pinning such an L4 is -EINVAL",
            mt_pin(4, f), -XEN_EINVAL);
    conf_rc("mmuext_op.pin.foreign_mfn_is_einval",
            "PIN of a frame we do not own is -EINVAL",
            mt_ext(MMUEXT_PIN_L1_TABLE, mt_foreign, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.unpin.foreign_mfn_is_einval",
            "UNPIN of a frame we do not own is -EINVAL",
            mt_ext(MMUEXT_UNPIN_TABLE, mt_foreign, 0, SELF), -XEN_EINVAL);
    conf_rc("mmuext_op.unpin.never_pinned_data_frame_is_einval",
            "UNPIN of a data frame that was never pinned is -EINVAL",
            mt_unpin(mt_d1), -XEN_EINVAL);
    conf_rc("mmuext_op.foreigndom.pin_with_own_numeric_id_is_esrch",
            "foreigndom naming ourselves by numeric id is -ESRCH: only DOMID_SELF means self",
            mt_ext(MMUEXT_PIN_L1_TABLE, mt_mfn(f), 0, 0), -XEN_ESRCH);
    conf_rc("mmuext_op.foreigndom.pin_with_domid_io_is_einval",
            "PIN with foreigndom DOMID_IO is -EINVAL: our frame is not DOMID_IO's",
            mt_ext(MMUEXT_PIN_L1_TABLE, mt_mfn(f), 0, DOMID_IO), -XEN_EINVAL);
    conf_rc("update_va_mapping.pinned.rw_map_after_failed_pins_is_ok",
            "failed pins leave the frame untyped: it maps RW again",
            mt_rw(f), 0);
}

const struct mmu_case mmu_pin_cases[] = {
    { "pin_l4_foreign_frame_deep_ebusy",     foreign_deep_down },
    { "pin_l4_after_fix_xen_slots",          pin_after_fix },
    { "pin_twice_builder_l4_rw_map",         pinned_rules },
    { "unpin_and_unpin_twice",               unpin_rules },
    { "pin_l1_rw_mapped_and_type_conflict",  single_frame },
    { "pin_errors",                          pin_errors },
    { NULL, NULL }
};
