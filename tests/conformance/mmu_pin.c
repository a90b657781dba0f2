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

static long pin(unsigned int level, unsigned long pfn)
{
    return mt_ext(MMUEXT_PIN_L1_TABLE + level - 1, mt_mfn(pfn), 0, SELF);
}

static long unpin(unsigned long pfn)
{
    return mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(pfn), 0, SELF);
}

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
    mt_rc("pin_l4_foreign_in_l1", pin(4, b4), -XEN_EBUSY);
    mt_dec("pin_failed_frames_rw_ok", rw_count_then_ro(), 4);
}

/* Fix the L1 entry with a plain store (b1 is not a table now), pin again. */
static void pin_after_fix(void)
{
    uint64_t e;

    mt_rc("fix_l1_plain_store", mt_mmu1(mt_slot(b1, 1), mt_ma(mt_d2) | P_, SELF), 0);
    mt_rc("pin_l4", pin(4, b4), 0);
    mt_hex("pinned_l1e_flags", mt_get(b1, 1) & FLAGS_MASK & ~(A_ | D_), GK_ | U_ | P_);
    mt_hex("pinned_l4e_flags", mt_get(b4, 0) & FLAGS_MASK, U_ | A_ | RW_ | P_);
    /* §7.4: slot 256 (RO M2P) stays empty until the L4 is a kernel CR3. */
    mt_hex("pinned_l4_slot256", mt_get(b4, 256), 0);
    e = mt_get(b4, 260);
    mt_dec("pinned_l4_slot260_rewritten", e != ((mt_foreign << 12) | P_ | RW_ | PSE_), 1);
    mt_local("pinned_l4_slot260", e);
}

/* §1.2, §2.12: already pinned -> -EINVAL; §2.4: pinned maps RO only. */
static void pinned_rules(void)
{
    mt_rc("pin_builder_l4", mt_ext(MMUEXT_PIN_L4_TABLE, mt_l4_mfn, 0, SELF), -XEN_EINVAL);
    mt_rc("pin_l4_twice", pin(4, b4), -XEN_EINVAL);
    mt_rc("pin_l4_as_l3", pin(3, b4), -XEN_EINVAL);
    mt_rc("pinned_l4_rw", mt_rw(b4), -XEN_EBUSY);
    mt_rc("pinned_l1_rw", mt_rw(b1), -XEN_EBUSY);
    mt_rc("pinned_l4_ro", mt_ro(b4), 0);
    /* b1 is a live L1 now: mmu_update into it is checked (§2.2 step 2). */
    mt_rc("live_l1_foreign", mt_mmu1(mt_slot(b1, 2), (mt_foreign << 12) | P_, SELF),
          -XEN_EBUSY);
    mt_rc("live_l1_own_ro", mt_mmu1(mt_slot(b1, 2), mt_ma(mt_d2) | P_, SELF), 0);
    mt_rc("live_l1_l4_rw", mt_mmu1(mt_slot(b1, 3), mt_ma(b4) | P_ | RW_, SELF), -XEN_EBUSY);
}

static void unpin_rules(void)
{
    mt_rc("unpin_l4", unpin(b4), 0);
    mt_rc("unpin_l4_twice", unpin(b4), -XEN_EINVAL);
    mt_dec("unpinned_frames_rw_ok", rw_count_then_ro(), 4);
}

/* §2.4 (XTF xsa-224): PIN of an RW-mapped frame -> -EINVAL; §3.3 types. */
static void single_frame(void)
{
    unsigned long f = mt_alloc();

    mt_rc("pin_l1_rw_mapped", pin(1, f), -XEN_EINVAL);
    mt_rc("single_ro", mt_ro(f), 0);
    mt_rc("pin_l1", pin(1, f), 0);
    mt_rc("pin_l2_on_pinned_l1", pin(2, f), -XEN_EINVAL);
    mt_rc("pin_l1_twice", pin(1, f), -XEN_EINVAL);
    mt_rc("pinned_single_rw", mt_rw(f), -XEN_EBUSY);
    mt_rc("unpin_single", unpin(f), 0);
    mt_rc("unpinned_single_rw", mt_rw(f), 0);
}

static void pin_errors(void)
{
    unsigned long f = mt_alloc();

    ((uint64_t *)mt_va(f))[3] = mt_ma(mt_d1) | P_ | RW_ | PSE_;
    mt_ro(f);
    mt_rc("pin_l2_pse_entry", pin(2, f), -XEN_EINVAL);
    mt_rc("pin_l3_pse_entry", pin(3, f), -XEN_EINVAL);
    mt_rc("pin_l4_pse_entry", pin(4, f), -XEN_EINVAL);
    mt_rc("pin_foreign", mt_ext(MMUEXT_PIN_L1_TABLE, mt_foreign, 0, SELF), -XEN_EINVAL);
    mt_rc("unpin_foreign", mt_ext(MMUEXT_UNPIN_TABLE, mt_foreign, 0, SELF), -XEN_EINVAL);
    mt_rc("unpin_data", unpin(mt_d1), -XEN_EINVAL);
    mt_rc("pin_fd_own_id", mt_ext(MMUEXT_PIN_L1_TABLE, mt_mfn(f), 0, 0), -XEN_ESRCH);
    mt_rc("pin_l1_fd_io", mt_ext(MMUEXT_PIN_L1_TABLE, mt_mfn(f), 0, DOMID_IO),
          -XEN_EINVAL);
    mt_rc("pin_errors_frame_rw", mt_rw(f), 0);
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
