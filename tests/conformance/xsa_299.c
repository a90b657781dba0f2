/*
 * xsa_299.c - the XSA-299 family: interrupted and failed validation.
 *
 * XSA-299: promotion and demotion of page tables are restartable (they
 *   stop half-way and continue, or fail half-way and unwind), and Xen lost
 *   track of which entries of a partially validated table held references,
 *   so a guest could end up with a writable mapping of a live page table.
 *   We pin a 22-frame tree whose very last L1 entry is bad, so validation
 *   gets almost to the end and fails, then check every reference was given
 *   back (all frames map writable), unpin/re-pin answer as for a never-
 *   validated tree, a pinned sub-table inside survives the failure, and
 *   after fixing the entry the tree pins and behaves as live tables.
 * XSA-309: resuming a partial validation reset the linear-table counts.
 *   The same tree with a linear L2 entry to a separately pinned L2 before
 *   the bad entry: after the failure the target is no longer counted as a
 *   target (it may hold a linear entry itself).
 * XSA-310: the unwinding of a failed validation lost partial state.  We
 *   run fail / fix / pin / unpin in one multicall and check the results.
 * On xen-like this group is also booted with mmu_preempt=1 and =3, which
 * forces continuations in the middle of every validation: the answers
 * must be the same.
 */
#include "kernel.h"
#include "mm.h"
#include "lib.h"
#include "xsa.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define NL2 4
#define NL1 4
#define NF (2 + NL2 + NL2 * NL1)

struct tree {
    unsigned long f[NF];    /* t4, t3, l2[NL2], l1[NL2][NL1] */
};
#define T4(t) ((t)->f[0])
#define T3(t) ((t)->f[1])
#define L2(t, i) ((t)->f[2 + (i)])
#define L1(t, i, j) ((t)->f[2 + NL2 + (i) * NL1 + (j)])

/* A tree mapping 0x40000000.. (never hooked in), read-only frames. */
static void build(struct tree *t)
{
    for (int i = 0; i < NF; i++)
        t->f[i] = mt_alloc();
    ((uint64_t *)mt_va(T4(t)))[0] = mt_ma(T3(t)) | P_ | RW_;
    for (int i = 0; i < NL2; i++) {
        ((uint64_t *)mt_va(T3(t)))[1 + i] = mt_ma(L2(t, i)) | P_ | RW_;
        for (int j = 0; j < NL1; j++) {
            uint64_t *l1 = mt_va(L1(t, i, j));

            ((uint64_t *)mt_va(L2(t, i)))[j] = mt_ma(L1(t, i, j)) | P_ | RW_;
            for (int k = 0; k < 512; k += 32)
                l1[k] = mt_ma(k & 32 ? mt_d1 : mt_d2) | P_ | (k & 64 ? RW_ : 0);
        }
    }
    for (int i = 0; i < NF; i++)
        if (mt_ro(t->f[i]))
            panic("xsa: cannot remap tree frame %d read-only", i);
}

static struct tree a, b;

/* The last L1 entry of the last L1 names a frame we do not own. */
static void partial_fail(void)
{
    build(&a);
    xsa_setup("bad entry", mt_set(L1(&a, NL2 - 1, NL1 - 1), 511, (mt_foreign << 12) | P_));
    conf_rc("mmuext_op.xsa299.pin_tree_bad_last_l1e_is_ebusy",
            "pinning a 22-frame L4 tree whose last L1 entry names a foreign frame fails with that entry's -EBUSY",
            mt_pin(4, T4(&a)), -XEN_EBUSY);
    conf_dec("update_va_mapping.xsa299.failed_tree_frames_all_writable",
             "after the failed pin every frame of the tree maps writable: no reference is left behind (XSA-299)",
             xsa_rw_count(a.f, NF), NF);
    conf_rc("mmuext_op.xsa299.unpin_failed_tree_is_einval",
            "the L4 of the failed pin is not pinned: UNPIN is -EINVAL",
            mt_unpin(T4(&a)), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa299.repin_failed_tree_is_ebusy",
            "pinning the same tree again fails the same way",
            mt_pin(4, T4(&a)), -XEN_EBUSY);
    conf_rc("mmuext_op.xsa299.pin_good_l2_of_failed_tree_is_accepted",
            "a good L2 of the tree pins on its own",
            mt_pin(2, L2(&a, 0)), 0);
    conf_rc("mmuext_op.xsa299.pin_tree_with_pinned_l2_is_ebusy",
            "with that L2 pinned, the tree still fails at its last entry",
            mt_pin(4, T4(&a)), -XEN_EBUSY);
    conf_rc("update_va_mapping.xsa299.pinned_l2_survives_failed_pin",
            "the pinned L2 is still a page table after the failure: mapping it writable is -EBUSY",
            mt_rw(L2(&a, 0)), -XEN_EBUSY);
    conf_rc("mmuext_op.xsa299.unpin_good_l2_is_accepted",
            "and it unpins",
            mt_unpin(L2(&a, 0)), 0);
    conf_rc("mmuext_op.xsa299.pin_bad_l2_alone_is_ebusy",
            "the L2 holding the bad L1 fails alone as well",
            mt_pin(2, L2(&a, NL2 - 1)), -XEN_EBUSY);
    conf_dec("update_va_mapping.xsa299.tree_frames_writable_after_retries",
             "after all the failures every frame still maps writable",
             xsa_rw_count(a.f, NF), NF);
}

static void fixed_tree(void)
{
    unsigned long l1 = L1(&a, NL2 - 1, NL1 - 1);

    conf_rc("mmu_update.xsa299.fix_bad_entry_of_untyped_frame_is_accepted",
            "the bad L1 frame has no type after the failure: mmu_update writes it as plain data",
            mt_set(l1, 511, mt_ma(mt_d1) | P_), 0);
    conf_rc("mmuext_op.xsa299.pin_fixed_tree_is_accepted",
            "with the entry fixed the whole tree pins",
            mt_pin(4, T4(&a)), 0);
    conf_rc("mmu_update.xsa299.foreign_into_live_last_l1e_is_ebusy",
            "the last L1 is now live: writing the foreign frame into it is -EBUSY",
            mt_set(l1, 511, (mt_foreign << 12) | P_), -XEN_EBUSY);
    conf_rc("mmu_update.xsa299.rw_map_of_tree_l4_in_live_l1_is_ebusy",
            "a live L1 entry mapping the tree's own L4 writable is -EBUSY",
            mt_set(l1, 510, mt_ma(T4(&a)) | P_ | RW_), -XEN_EBUSY);
    conf_rc("mmu_update.xsa299.pse_in_live_l2_is_einval",
            "a live L2 entry of the tree re-written with PSE is -EINVAL",
            mt_set(L2(&a, 0), 0, mt_ma(L1(&a, 0, 0)) | P_ | RW_ | PSE_), -XEN_EINVAL);
    conf_rc("update_va_mapping.xsa299.live_tree_l1_not_writable",
            "a frame of the pinned tree cannot be mapped writable",
            mt_rw(l1), -XEN_EBUSY);
    conf_rc("mmuext_op.xsa299.unpin_fixed_tree_is_accepted",
            "the tree unpins",
            mt_unpin(T4(&a)), 0);
    conf_dec("update_va_mapping.xsa299.unpinned_tree_frames_writable",
             "after the unpin every frame of the tree maps writable",
             xsa_rw_count(a.f, NF), NF);
}

/* XSA-309: a linear L2 entry before the bad entry. */
static void partial_linear(void)
{
    unsigned long lt = mt_pt_new(), lu = mt_pt_new();
    unsigned long last;

    build(&b);
    last = L2(&b, NL2 - 1);
    xsa_setup("pin the linear target", mt_pin(2, lt));
    xsa_setup("pin a second L2", mt_pin(2, lu));
    xsa_setup("linear entry", mt_set(last, 400, mt_ma(lt) | P_));
    xsa_setup("bad PSE entry", mt_set(last, 511, mt_ma(mt_d1) | P_ | PSE_));
    conf_rc("mmuext_op.xsa309.pin_tree_linear_then_pse_is_einval",
            "a tree whose last L2 has a linear entry, then a PSE entry, fails to pin with -EINVAL",
            mt_pin(4, T4(&b)), -XEN_EINVAL);
    conf_rc("mmu_update.xsa309.linear_target_may_hold_linear_after_failure",
            "after the failure the linear target is not counted as one: it may hold a linear entry (XSA-309)",
            mt_set(lt, 7, mt_ma(lu) | P_), 0);
    conf_rc("mmu_update.xsa309.clear_that_linear_entry_is_accepted",
            "that linear entry clears",
            mt_set(lt, 7, 0), 0);
    conf_rc("mmu_update.xsa309.fix_pse_entry_is_accepted",
            "the PSE entry of the untyped L2 frame is cleared with a plain write",
            mt_set(last, 511, 0), 0);
    conf_rc("mmuext_op.xsa309.pin_fixed_linear_tree_is_accepted",
            "the fixed tree, with its linear entry, pins",
            mt_pin(4, T4(&b)), 0);
    conf_rc("mmu_update.xsa309.target_of_live_tree_cannot_hold_linear",
            "now the target is counted again: a linear entry in it is -EINVAL (XSA-240)",
            mt_set(lt, 7, mt_ma(lu) | P_), -XEN_EINVAL);
    conf_rc("mmuext_op.xsa309.unpin_linear_tree_is_accepted",
            "the tree unpins",
            mt_unpin(T4(&b)), 0);
    conf_rc("mmuext_op.xsa309.unpin_linear_target_is_accepted",
            "the linear target unpins",
            mt_unpin(lt), 0);
    conf_rc("mmuext_op.xsa309.unpin_second_l2_is_accepted",
            "the second L2 unpins",
            mt_unpin(lu), 0);
    conf_dec("update_va_mapping.xsa309.all_frames_writable_after",
             "after the unpins the tree and both L2s map writable",
             xsa_rw_count(b.f, NF) + xsa_rw_count((unsigned long[]){ lt, lu }, 2), NF + 2);
}

/* XSA-310: fail, fix, pin, unpin, in one multicall. */
static void multicall_fail_fix(void)
{
    static struct multicall_entry mc[5];
    static struct mmuext_op pin4, unpin4;
    static struct mmu_update bad, fix;
    unsigned long l1 = L1(&a, 1, 2);

    pin4 = (struct mmuext_op){ .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = mt_mfn(T4(&a)) };
    unpin4 = (struct mmuext_op){ .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mt_mfn(T4(&a)) };
    bad = (struct mmu_update){ mt_slot(l1, 300), (mt_foreign << 12) | P_ };
    fix = (struct mmu_update){ mt_slot(l1, 300), 0 };
    for (int i = 0; i < 5; i++)
        mc[i] = (struct multicall_entry){ .result = 0x77 };
    mc[0].op = __HYPERVISOR_mmu_update;
    mc[0].args[0] = (unsigned long)&bad; mc[0].args[1] = 1; mc[0].args[3] = SELF;
    mc[1].op = __HYPERVISOR_mmuext_op;
    mc[1].args[0] = (unsigned long)&pin4; mc[1].args[1] = 1; mc[1].args[3] = SELF;
    mc[2].op = __HYPERVISOR_mmu_update;
    mc[2].args[0] = (unsigned long)&fix; mc[2].args[1] = 1; mc[2].args[3] = SELF;
    mc[3] = mc[1];
    mc[4].op = __HYPERVISOR_mmuext_op;
    mc[4].args[0] = (unsigned long)&unpin4; mc[4].args[1] = 1; mc[4].args[3] = SELF;
    conf_rc("multicall.xsa310.fail_fix_pin_unpin_batch_is_accepted",
            "multicall[plain write of a bad entry, pin (fails), fix, pin, unpin] returns 0",
            HYPERVISOR_multicall(mc, 5), 0);
    conf_rc("multicall.xsa310.pin_with_bad_entry_in_batch_is_ebusy",
            "the first pin in the batch fails with -EBUSY",
            (long)mc[1].result, -XEN_EBUSY);
    conf_hex("multicall.xsa310.write_fix_pin_unpin_results_zero",
             "the plain write, the fix, the second pin and the unpin all return 0",
             mc[0].result | mc[2].result | mc[3].result | mc[4].result, 0);
    conf_dec("update_va_mapping.xsa310.frames_writable_after_batch",
             "after the batch every frame of the tree maps writable",
             xsa_rw_count(a.f, NF), NF);
}

const struct mmu_case xsa_299_cases[] = {
    { "xsa299_pin_fails_at_last_entry",      partial_fail },
    { "xsa299_fixed_tree_pins_and_is_live",  fixed_tree },
    { "xsa309_linear_entry_before_failure",  partial_linear },
    { "xsa310_fail_fix_pin_unpin_multicall", multicall_fail_fix },
    { NULL, NULL }
};
