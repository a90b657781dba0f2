/*
 * mmu_batch.c - big batches and big trees: the paths that continue a
 * hypercall (§3.6).  On xen-like, boot with mmu_preempt=N to force a
 * continuation every N checks: the answers must not change.
 *
 * Rules (reference §2.1 pdone and continuations, §2.12 PIN/NEW_BASEPTR
 * "preemptible", §2.13 "a preempted sub-call has its continuation args
 * written back", §3.5, §3.6, §1.2):
 *   - 512 requests: rc 0 and pdone 512; a failure at index 300: that
 *     error, pdone 300, requests 0..299 applied and 300.. not;
 *   - a tree of 16 L1s (8192 entries) pins, fails deep down (-EBUSY, all
 *     references released), becomes CR3 and is released again;
 *   - last: the builder's L4 can be unpinned while it is CR3 (Linux does
 *     this) and pinned again.
 * The L1 used for the batches, t1, is hooked into the bootstrap L2 at
 * slot 104 (BATCH_VA); its entries map pfns 0..511 read-only.
 */
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define N 512
#define NL1 16
#define BATCH_VA (VIRT_BASE + 104 * 0x200000UL)
#define LOW_VA 0x40000000UL

/* In free frames, not in the image (keeps the bootstrap layout as it is). */
static struct mmu_update *reqs;     /* 2 pages */
static struct mmuext_op *ops;       /* 3 pages */
static unsigned long t1, g4, g3, g2, g1[NL1];

static void fill(unsigned long table, bool map)
{
    for (unsigned int i = 0; i < N; i++)
        reqs[i] = (struct mmu_update){ mt_slot(table, i), map ? mt_ma(i) | P_ : 0 };
}

/* How many of t1's entries map pfn i read-only, as Xen rewrites them. */
static unsigned int mapped(void)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < N; i++)
        n += (mt_get(t1, i) & ~(A_ | D_)) == (mt_ma(i) | GK_ | U_ | P_);
    return n;
}

static void batch_map(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);
    unsigned int done = 0xdead;
    uint64_t v = 0;

    reqs = mt_va(mt_alloc());
    mt_alloc();
    ops = mt_va(mt_alloc());
    mt_alloc();
    mt_alloc();
    t1 = mt_pt_new();
    conf_rc("mmu_update.batch.hook_fresh_l1_ok",
            "a zeroed frame of ours hooked into an L2 is validated as an L1",
            mt_mmu1(mt_slot(l2, 104), mt_ma(t1) | P_ | RW_, SELF), 0);
    fill(t1, true);
    conf_rc("mmu_update.batch.512_requests_ok",
            "a batch of 512 valid requests succeeds as a whole, however often it is continued",
            mt_mmu(reqs, N, &done, SELF), 0);
    conf_dec("mmu_update.batch.512_requests_pdone_is_512",
             "pdone accumulates across continuations: the full count of 512",
             done, N);
    conf_dec("mmu_update.batch.512_requests_all_applied",
             "every request of a continued batch is applied exactly once",
             mapped(), N);
    conf_hex("mmu_update.batch.512_requests_mapping_reads",
             "a mapping made by the batch reads the frame it names",
             !mt_peek(BATCH_VA + 7 * PAGE_SIZE, &v) &&
             v == *(uint64_t *)mt_va(7), 1);
}

static void batch_fail_at_300(void)
{
    unsigned int done = 0xdead;

    fill(t1, false);
    reqs[300].val = (mt_foreign << 12) | P_;
    conf_rc("mmu_update.batch.fail_at_300_returns_ebusy",
            "a batch stops at its first failing request and returns that error",
            mt_mmu(reqs, N, &done, SELF), -XEN_EBUSY);
    conf_dec("mmu_update.batch.fail_at_300_pdone_is_300",
             "pdone counts the requests done before the failing one (300)",
             done, 300);
    conf_dec("mmu_update.batch.fail_at_300_later_not_applied",
             "requests before the failure are applied, the failing one and later ones are not",
             mapped(), N - 300);
    reqs[300].val = 0;
    conf_rc("mmu_update.batch.rest_after_fix_ok",
            "the rest of a failed batch, fixed and resubmitted, succeeds",
            mt_mmu(&reqs[300], N - 300, &done, SELF), 0);
    conf_dec("mmu_update.batch.rest_after_fix_pdone_is_212",
             "pdone is per call: the resubmitted 212 requests give 212",
             done, N - 300);
    conf_dec("mmu_update.batch.rest_after_fix_all_cleared",
             "after both calls every entry of the L1 is cleared",
             mapped(), 0);
}

static void batch_stores_and_ext(void)
{
    unsigned long f = mt_alloc();
    unsigned int done = 0xdead, good = 0;

    for (unsigned int i = 0; i < N; i++)
        reqs[i] = (struct mmu_update){ mt_slot(f, i), i * 3 };
    conf_rc("mmu_update.batch.512_plain_stores_ok",
            "512 requests into an ordinary page (no page table) are plain stores and succeed",
            mt_mmu(reqs, N, &done, SELF), 0);
    conf_dec("mmu_update.batch.512_plain_stores_pdone_is_512",
             "pdone is 512 for 512 plain stores, continued or not",
             done, N);
    for (unsigned int i = 0; i < N; i++)
        good += mt_get(f, i) == i * 3;
    conf_dec("mmu_update.batch.512_plain_stores_all_written",
             "every plain store is written exactly as given",
             good, N);
    for (unsigned int i = 0; i < N; i++)
        ops[i] = (struct mmuext_op){ .cmd = i == 400 ? 14 : MMUEXT_TLB_FLUSH_LOCAL };
    conf_rc("mmuext_op.batch.fail_at_400_returns_enosys",
            "a batch of 512 mmuext ops stops at the unknown command 14 and returns -ENOSYS",
            mt_ext_n(ops, N, &done, SELF), -XEN_ENOSYS);
    conf_dec("mmuext_op.batch.fail_at_400_pdone_is_400",
             "mmuext_op's pdone counts the ops done before the failing one (400)",
             done, 400);
    ops[400].cmd = MMUEXT_INVLPG_LOCAL;
    conf_rc("mmuext_op.batch.512_ops_ok",
            "a batch of 512 valid flush ops succeeds, however often it is continued",
            mt_ext_n(ops, N, &done, SELF), 0);
    conf_dec("mmuext_op.batch.512_ops_pdone_is_512",
             "mmuext_op's pdone accumulates across continuations: 512",
             done, N);
}

/* §2.13: a long sub-call inside a multicall. */
static void batch_in_multicall(void)
{
    static struct multicall_entry mc[2];
    static unsigned int done;

    done = 0xdead;
    fill(t1, true);
    mc[0] = (struct multicall_entry){ .op = __HYPERVISOR_mmu_update,
        .args = { (unsigned long)reqs, N, (unsigned long)&done, SELF } };
    mc[1] = (struct multicall_entry){ .op = __HYPERVISOR_mmuext_op,
        .args = { (unsigned long)ops, 1, 0, SELF } };
    conf_rc("multicall.batch.long_mmu_update_entry_returns_0",
            "a multicall holding a 512-request mmu_update returns 0",
            HYPERVISOR_multicall(mc, 2), 0);
    conf_rc("multicall.batch.long_mmu_update_result_0",
            "a long sub-call continued inside a multicall ends with result 0",
            (long)mc[0].result, 0);
    conf_rc("multicall.batch.entry_after_long_one_result_0",
            "the entry after a continued sub-call runs once (result 0)",
            (long)mc[1].result, 0);
    conf_dec("multicall.batch.long_mmu_update_pdone_is_512",
             "a sub-call's pdone accumulates across its continuations: 512",
             done, N);
    conf_dec("multicall.batch.long_mmu_update_all_applied",
             "every request of a continued sub-call is applied exactly once",
             mapped(), N);
    mt_local("mc_batch_args0", mc[0].args[0]);
    mt_local("mc_batch_args1", mc[0].args[1]);
    fill(t1, false);
    conf_rc("mmu_update.batch.512_clears_with_null_pdone_ok",
            "a batch with a NULL pdone pointer succeeds (pdone is optional)",
            mt_mmu(reqs, N, NULL, SELF), 0);
}

static unsigned int tree_rw_count_then_ro(void)
{
    unsigned int n = !mt_rw(g4) + !mt_rw(g3) + !mt_rw(g2);

    for (int k = 0; k < NL1; k++)
        n += !mt_rw(g1[k]);
    if (mt_ro(g4) || mt_ro(g3) || mt_ro(g2))
        panic("mmu: cannot remap the big tree read-only");
    for (int k = 0; k < NL1; k++)
        if (mt_ro(g1[k]))
            panic("mmu: cannot remap big-tree L1 %d read-only", k);
    return n;
}

/* g4 (+ the kernel's slots) -> g3 -> g2 -> 16 L1s mapping pfns 0..511. */
static void big_tree_pin(void)
{
    uint64_t *t;

    g4 = mt_alloc(); g3 = mt_alloc(); g2 = mt_alloc();
    t = mt_va(g4);
    for (unsigned int s = 272; s < 512; s++)
        t[s] = mt_get(mt_l4_pfn, s);
    t[0] = mt_ma(g3) | P_ | RW_;
    ((uint64_t *)mt_va(g3))[1] = mt_ma(g2) | P_ | RW_;
    for (int k = 0; k < NL1; k++) {
        g1[k] = mt_alloc();
        ((uint64_t *)mt_va(g2))[k] = mt_ma(g1[k]) | P_ | RW_;
        for (unsigned int i = 0; i < N; i++)
            ((uint64_t *)mt_va(g1[k]))[i] = mt_ma(i) | P_;
    }
    ((uint64_t *)mt_va(g1[NL1 - 1]))[400] = (mt_foreign << 12) | P_;
    conf_dec("update_va_mapping.batch.big_tree_frames_were_mapped_rw",
             "fresh frames of ours map RW then read-only (19 frames of the big tree)",
             tree_rw_count_then_ro(), 3 + NL1);
    conf_rc("mmuext_op.batch.big_tree_pin_foreign_leaf_is_ebusy",
            "pinning an L4 whose 16th L1 maps a foreign frame fails with the leaf's -EBUSY",
            mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(g4), 0, SELF), -XEN_EBUSY);
    conf_dec("mmuext_op.batch.big_tree_failed_pin_releases_all",
             "a failed pin releases every type reference it took: all 19 frames map RW again",
             tree_rw_count_then_ro(), 3 + NL1);
    conf_rc("mmu_update.batch.big_tree_fix_leaf_ok",
            "the bad leaf entry of the unvalidated L1 is a plain store and succeeds",
            mt_mmu1(mt_slot(g1[NL1 - 1], 400), mt_ma(400) | P_, SELF), 0);
    conf_rc("mmuext_op.batch.big_tree_pin_ok",
            "a tree of 16 L1s (8192 entries) pins, continued as often as needed",
            mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(g4), 0, SELF), 0);
    conf_rc("update_va_mapping.batch.big_tree_pinned_l1_rw_is_ebusy",
            "an L1 of a pinned tree may not be mapped writable: -EBUSY",
            mt_rw(g1[NL1 - 1]), -XEN_EBUSY);
    conf_rc("mmuext_op.batch.big_tree_unpin_ok",
            "a pinned tree unpins",
            mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(g4), 0, SELF), 0);
    conf_dec("mmuext_op.batch.big_tree_unpin_releases_all",
             "unpinning releases every type reference: all 19 frames map RW again",
             tree_rw_count_then_ro(), 3 + NL1);
}

/* The big tree as CR3 (validated on demand), then pin/unpin in a multicall. */
static void big_tree_base(void)
{
    static struct mmuext_op pin_ops[2];
    static struct multicall_entry mc[2];
    uint64_t v = 0;

    conf_rc("mmuext_op.batch.big_tree_new_baseptr_ok",
            "an unpinned L4 becomes the base pointer, validated on demand",
            mt_ext(MMUEXT_NEW_BASEPTR, mt_mfn(g4), 0, SELF), 0);
    conf_hex("mmuext_op.batch.big_tree_as_cr3_reads",
             "with the big tree as CR3 its low mappings read the frames they name",
             !mt_peek(LOW_VA + 15 * 0x200000UL + 9 * PAGE_SIZE, &v) &&
             v == *(uint64_t *)mt_va(9), 1);
    conf_rc("mmuext_op.batch.new_baseptr_back_to_builder_l4_ok",
            "switching back to the builder's L4 succeeds",
            mt_ext(MMUEXT_NEW_BASEPTR, mt_l4_mfn, 0, SELF), 0);
    conf_dec("mmuext_op.batch.old_base_releases_all",
             "the old base's references are released: all 19 frames map RW again",
             tree_rw_count_then_ro(), 3 + NL1);
    pin_ops[0] = (struct mmuext_op){ .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = mt_mfn(g4) };
    pin_ops[1] = (struct mmuext_op){ .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mt_mfn(g4) };
    mc[0] = (struct multicall_entry){ .op = __HYPERVISOR_mmuext_op,
        .args = { (unsigned long)&pin_ops[0], 1, 0, SELF } };
    mc[1] = (struct multicall_entry){ .op = __HYPERVISOR_mmuext_op,
        .args = { (unsigned long)&pin_ops[1], 1, 0, SELF } };
    conf_rc("multicall.batch.big_pin_then_unpin_returns_0",
            "a multicall pinning then unpinning the big tree returns 0",
            HYPERVISOR_multicall(mc, 2), 0);
    conf_rc("multicall.batch.big_pin_entry_result_0",
            "a pin continued inside a multicall ends with result 0",
            (long)mc[0].result, 0);
    conf_rc("multicall.batch.big_unpin_entry_result_0",
            "an unpin continued inside a multicall ends with result 0",
            (long)mc[1].result, 0);
    conf_dec("multicall.batch.big_pin_unpin_releases_all",
             "after pin and unpin in a multicall all 19 frames map RW again",
             tree_rw_count_then_ro(), 3 + NL1);
}

/* §1.2, §4.2 (Linux): unpin the builder's L4 while it is CR3; pin again. */
static void builder_l4_unpin(void)
{
    conf_rc("mmuext_op.batch.builder_l4_unpin_while_cr3_ok",
            "the builder's L4 may be unpinned while it is CR3 (Linux does this)",
            mt_ext(MMUEXT_UNPIN_TABLE, mt_l4_mfn, 0, SELF), 0);
    conf_rc("update_va_mapping.batch.unpinned_cr3_l4_rw_is_ebusy",
            "an unpinned L4 still in use as CR3 keeps its type: mapping it RW is -EBUSY",
            mt_rw(mt_l4_pfn), -XEN_EBUSY);
    conf_rc("mmuext_op.batch.builder_l4_repin_ok",
            "the builder's L4 pins again while it is CR3",
            mt_ext(MMUEXT_PIN_L4_TABLE, mt_l4_mfn, 0, SELF), 0);
    conf_rc("mmuext_op.batch.builder_l4_pin_twice_is_einval",
            "pinning an already pinned table is -EINVAL",
            mt_ext(MMUEXT_PIN_L4_TABLE, mt_l4_mfn, 0, SELF), -XEN_EINVAL);
}

const struct mmu_case mmu_batch_cases[] = {
    { "batch_512_mmu_update",                batch_map },
    { "batch_512_fails_at_300",              batch_fail_at_300 },
    { "batch_512_stores_and_mmuext",         batch_stores_and_ext },
    { "batch_512_inside_multicall",          batch_in_multicall },
    { "big_tree_pin_fail_fix_unpin",         big_tree_pin },
    { "big_tree_new_baseptr_and_multicall",  big_tree_base },
    { "builder_l4_unpin_while_cr3_repin",    builder_l4_unpin },
    { NULL, NULL }
};
