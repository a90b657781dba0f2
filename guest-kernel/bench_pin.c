/*
 * bench_pin.c - MMUEXT_PIN_L4_TABLE then MMUEXT_UNPIN_TABLE of a fresh
 * tree mapping 64 MiB, 256 MiB, 1 GiB, 2 GiB or 4 GiB (`bench quick`: 64 MiB,
 * 1 GiB, 4 GiB only).
 *
 * Pinning validates every entry of every table of the tree (§3.5): for an
 * L1, one general reference per present entry; unpinning drops them all
 * again (§3.4).  The cost should be linear in the entries.  To keep the
 * guest small the 2048 L1 frames (8 MiB, enough for 4 GiB) are shared by
 * all the trees (only one is pinned at a time) and map the same 16 data
 * frames over and over, read-only.  All tables are filled through their
 * read-write direct-map page first and only then remapped read-only
 * (§2.4), so building costs no hypercall per entry.
 *
 *   pin_unpin_<size>   both hypercalls, instructions per pair
 *   pin_<size>, unpin_<size>   each on its own, from the same runs
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"
#include "bench.h"
#include "guest-hypercall.h"

#define NL1   2048                      /* 4 GiB / 2 MiB */
#define NDATA 16

static unsigned long l1s[NL1], dataf[NDATA];

struct tree {
    unsigned long mib, nl1;
    unsigned long l4, l3, l2[4];
    uint64_t pin, unpin;                /* the last run's halves */
};

static unsigned long table_frame(void)
{
    unsigned long pfn = frame_alloc();

    if (!frames_available(0))
        panic("bench: out of memory for the pin trees (dom0_mem >= 64M?)");
    return pfn;
}

static void build_tree(struct tree *t)
{
    unsigned long nl2 = (t->nl1 + 511) / 512;

    t->l4 = table_frame();
    t->l3 = table_frame();
    ((uint64_t *)pfn_va(t->l4))[0] = pte_make(t->l3, PTE_TABLE);
    for (unsigned long j = 0; j < nl2; j++) {
        t->l2[j] = table_frame();
        ((uint64_t *)pfn_va(t->l3))[j] = pte_make(t->l2[j], PTE_TABLE);
    }
    for (unsigned long i = 0; i < t->nl1; i++)
        ((uint64_t *)pfn_va(t->l2[i / 512]))[i % 512] = pte_make(l1s[i], PTE_TABLE);
    frame_make_ro(t->l4);
    frame_make_ro(t->l3);
    for (unsigned long j = 0; j < nl2; j++)
        frame_make_ro(t->l2[j]);
}

static void free_tree(struct tree *t)
{
    unsigned long nl2 = (t->nl1 + 511) / 512;

    frame_make_rw(t->l4);
    frame_put(t->l4);
    frame_make_rw(t->l3);
    frame_put(t->l3);
    for (unsigned long j = 0; j < nl2; j++) {
        frame_make_rw(t->l2[j]);
        frame_put(t->l2[j]);
    }
}

static uint64_t one_pin(void *arg)
{
    struct tree *t = arg;
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };
    uint64_t t0, t1, t2;
    long rc1, rc2;

    op.arg1.mfn = gfn_of(t->l4);
    t0 = rdtsc();
    rc1 = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    t1 = rdtsc();
    op.cmd = MMUEXT_UNPIN_TABLE;
    rc2 = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    t2 = rdtsc();
    if (rc1 || rc2)
        panic("bench: pin/unpin of the %lu MiB tree: %ld, %ld", t->mib, rc1, rc2);
    if (!t->pin || t1 - t0 < t->pin)
        t->pin = t1 - t0;
    if (!t->unpin || t2 - t1 < t->unpin)
        t->unpin = t2 - t1;
    return t2 - t0;
}

void bench_pin(void)
{
    static const unsigned long full[] = { 64, 256, 1024, 2048, 4096 };
    static const unsigned long quick[] = { 64, 1024, 4096 };
    const unsigned long *sizes = bench_quick ? quick : full;
    unsigned int nsizes = bench_quick ? ARRAY_SIZE(quick) : ARRAY_SIZE(full);
    unsigned int reps = bench_quick ? 1 : 3;
    uint64_t e[NDATA];
    char op[32];

    if (!frames_available(NL1 + NDATA + 8))
        panic("bench: %lu frames free, the pin trees need %u (dom0_mem >= 64M?)",
              frames_free(), NL1 + NDATA + 8);
    for (unsigned int d = 0; d < NDATA; d++) {
        dataf[d] = frame_alloc();
        e[d] = pte_make(dataf[d], PTE_USER_RO);
    }
    for (unsigned int i = 0; i < NL1; i++) {
        uint64_t *t;

        l1s[i] = frame_alloc();
        t = pfn_va(l1s[i]);
        for (unsigned int k = 0; k < 512; k++)
            t[k] = e[k % NDATA];
        frame_make_ro(l1s[i]);
    }
    for (unsigned int s = 0; s < nsizes; s++) {
        struct tree t = { .mib = sizes[s], .nl1 = sizes[s] / 2 };

        build_tree(&t);
        snprintf(op, sizeof(op), "pin_unpin_%luM", t.mib);
        bench_run(op, "instructions/op", reps, 1, one_pin, &t);
        snprintf(op, sizeof(op), "pin_%luM", t.mib);
        bench_result(op, t.pin, "instructions/op");
        snprintf(op, sizeof(op), "unpin_%luM", t.mib);
        bench_result(op, t.unpin, "instructions/op");
        free_tree(&t);
    }
    for (unsigned int i = 0; i < NL1; i++) {
        frame_make_rw(l1s[i]);
        frame_put(l1s[i]);
    }
    for (unsigned int d = 0; d < NDATA; d++)
        frame_put(dataf[d]);
}
