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
    mt_rc("t1_hook", mt_mmu1(mt_slot(l2, 104), mt_ma(t1) | P_ | RW_, SELF), 0);
    fill(t1, true);
    mt_rc("batch512", mt_mmu(reqs, N, &done, SELF), 0);
    mt_dec("batch512_pdone", done, N);
    mt_dec("batch512_mapped", mapped(), N);
    mt_hex("batch512_reads", !mt_peek(BATCH_VA + 7 * PAGE_SIZE, &v) &&
           v == *(uint64_t *)mt_va(7), 1);
}

static void batch_fail_at_300(void)
{
    unsigned int done = 0xdead;

    fill(t1, false);
    reqs[300].val = (mt_foreign << 12) | P_;
    mt_rc("batch_fail300", mt_mmu(reqs, N, &done, SELF), -XEN_EBUSY);
    mt_dec("batch_fail300_pdone", done, 300);
    mt_dec("batch_fail300_left", mapped(), N - 300);
    reqs[300].val = 0;
    mt_rc("batch_rest", mt_mmu(&reqs[300], N - 300, &done, SELF), 0);
    mt_dec("batch_rest_pdone", done, N - 300);
    mt_dec("batch_rest_left", mapped(), 0);
}

static void batch_stores_and_ext(void)
{
    unsigned long f = mt_alloc();
    unsigned int done = 0xdead, good = 0;

    for (unsigned int i = 0; i < N; i++)
        reqs[i] = (struct mmu_update){ mt_slot(f, i), i * 3 };
    mt_rc("stores512", mt_mmu(reqs, N, &done, SELF), 0);
    mt_dec("stores512_pdone", done, N);
    for (unsigned int i = 0; i < N; i++)
        good += mt_get(f, i) == i * 3;
    mt_dec("stores512_good", good, N);
    for (unsigned int i = 0; i < N; i++)
        ops[i] = (struct mmuext_op){ .cmd = i == 400 ? 14 : MMUEXT_TLB_FLUSH_LOCAL };
    mt_rc("ext512_fail400", mt_ext_n(ops, N, &done, SELF), -XEN_ENOSYS);
    mt_dec("ext512_fail400_pdone", done, 400);
    ops[400].cmd = MMUEXT_INVLPG_LOCAL;
    mt_rc("ext512", mt_ext_n(ops, N, &done, SELF), 0);
    mt_dec("ext512_pdone", done, N);
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
    mt_rc("mc_batch", HYPERVISOR_multicall(mc, 2), 0);
    mt_rc("mc_batch_result0", (long)mc[0].result, 0);
    mt_rc("mc_batch_result1", (long)mc[1].result, 0);
    mt_dec("mc_batch_pdone", done, N);
    mt_dec("mc_batch_mapped", mapped(), N);
    mt_local("mc_batch_args0", mc[0].args[0]);
    mt_local("mc_batch_args1", mc[0].args[1]);
    fill(t1, false);
    mt_rc("mc_batch_clear", mt_mmu(reqs, N, NULL, SELF), 0);
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
    mt_dec("big_tree_ro", tree_rw_count_then_ro(), 3 + NL1);
    mt_rc("big_pin_foreign", mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(g4), 0, SELF), -XEN_EBUSY);
    mt_dec("big_pin_failed_released", tree_rw_count_then_ro(), 3 + NL1);
    mt_rc("big_fix", mt_mmu1(mt_slot(g1[NL1 - 1], 400), mt_ma(400) | P_, SELF), 0);
    mt_rc("big_pin", mt_ext(MMUEXT_PIN_L4_TABLE, mt_mfn(g4), 0, SELF), 0);
    mt_rc("big_pinned_l1_rw", mt_rw(g1[NL1 - 1]), -XEN_EBUSY);
    mt_rc("big_unpin", mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(g4), 0, SELF), 0);
    mt_dec("big_unpinned_released", tree_rw_count_then_ro(), 3 + NL1);
}

/* The big tree as CR3 (validated on demand), then pin/unpin in a multicall. */
static void big_tree_base(void)
{
    static struct mmuext_op pin_ops[2];
    static struct multicall_entry mc[2];
    uint64_t v = 0;

    mt_rc("big_base", mt_ext(MMUEXT_NEW_BASEPTR, mt_mfn(g4), 0, SELF), 0);
    mt_hex("big_base_reads", !mt_peek(LOW_VA + 15 * 0x200000UL + 9 * PAGE_SIZE, &v) &&
           v == *(uint64_t *)mt_va(9), 1);
    mt_rc("big_base_back", mt_ext(MMUEXT_NEW_BASEPTR, mt_l4_mfn, 0, SELF), 0);
    mt_dec("big_base_released", tree_rw_count_then_ro(), 3 + NL1);
    pin_ops[0] = (struct mmuext_op){ .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = mt_mfn(g4) };
    pin_ops[1] = (struct mmuext_op){ .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mt_mfn(g4) };
    mc[0] = (struct multicall_entry){ .op = __HYPERVISOR_mmuext_op,
        .args = { (unsigned long)&pin_ops[0], 1, 0, SELF } };
    mc[1] = (struct multicall_entry){ .op = __HYPERVISOR_mmuext_op,
        .args = { (unsigned long)&pin_ops[1], 1, 0, SELF } };
    mt_rc("mc_big_pin_unpin", HYPERVISOR_multicall(mc, 2), 0);
    mt_rc("mc_big_pin_result", (long)mc[0].result, 0);
    mt_rc("mc_big_unpin_result", (long)mc[1].result, 0);
    mt_dec("mc_big_released", tree_rw_count_then_ro(), 3 + NL1);
}

/* §1.2, §4.2 (Linux): unpin the builder's L4 while it is CR3; pin again. */
static void builder_l4_unpin(void)
{
    mt_rc("builder_l4_unpin", mt_ext(MMUEXT_UNPIN_TABLE, mt_l4_mfn, 0, SELF), 0);
    mt_rc("builder_l4_still_cr3_rw", mt_rw(mt_l4_pfn), -XEN_EBUSY);
    mt_rc("builder_l4_repin", mt_ext(MMUEXT_PIN_L4_TABLE, mt_l4_mfn, 0, SELF), 0);
    mt_rc("builder_l4_pin_again", mt_ext(MMUEXT_PIN_L4_TABLE, mt_l4_mfn, 0, SELF),
          -XEN_EINVAL);
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
