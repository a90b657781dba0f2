/*
 * bench_mmu.c - single PV-MMU hypercalls, measured from the guest kernel.
 *
 *   mmu_update_<N>      N = 1, 8, 64, 512 requests in one mmu_update, each
 *                       rewriting one entry of a validated L1 (a pinned
 *                       user tree): the old frame's reference is dropped,
 *                       the new one's taken.  Reported per entry.
 *   update_va_mapping   one update_va_mapping of a direct-map page, flipping
 *                       it between RO and RW, with flags 0 (no flush), and
 *   update_va_mapping_invlpg   with UVMF_INVLPG.
 *   new_baseptr_pair    one mmuext_op of [NEW_BASEPTR, NEW_USER_BASEPTR],
 *                       alternating between two kernel L4s (sharing our L3)
 *                       and two empty user L4s: a context switch.
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"
#include "bench.h"
#include "guest-hypercall.h"

#define BENCH_VA 0x10000000UL           /* L4 0, L3 0, L2 128, L1 0 */

static struct mmu_update req[512];
static unsigned long data[2];           /* two data frames to alternate */
static unsigned long l1;                /* the validated L1 we rewrite */
static unsigned int n_req, flip;

static unsigned long next_table(unsigned long t, unsigned int slot)
{
    uint64_t e = table_of(t)[slot];

    if (!(e & _PAGE_PRESENT))
        panic("bench: table pfn %#lx slot %u not present", t, slot);
    return pte_pfn(e);
}

static uint64_t one_mmu_update(void *arg)
{
    uint64_t val, t0, t1;
    long rc;

    (void)arg;
    val = pte_make(data[flip ^= 1], PTE_USER_RO);
    for (unsigned int i = 0; i < n_req; i++)
        req[i] = (struct mmu_update){ .ptr = slot_addr(l1, i), .val = val };
    t0 = rdtsc();
    rc = HYPERVISOR_mmu_update(req, n_req, NULL, DOMID_SELF);
    t1 = rdtsc();
    if (rc)
        panic("bench: mmu_update of %u entries: %ld", n_req, rc);
    return t1 - t0;
}

static void mmu_update_batches(unsigned int reps)
{
    static const unsigned int sizes[] = { 1, 8, 64, 512 };
    struct aspace as;
    char op[32];

    as_create(&as);
    data[0] = frame_alloc();
    data[1] = frame_alloc();
    frame_get(data[0]);                 /* the reference as_map's entry holds */
    as_map(&as, BENCH_VA, data[0], PTE_USER_RO);    /* builds L3, L2, L1 */
    pte_commit(FLUSH_NONE);
    l1 = next_table(next_table(next_table(as.l4, 0), 0), 128);

    for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
        n_req = sizes[s];
        /* One untimed run first: slots 1 .. n_req-1 are still empty the
         * first time (nothing to drop, cheaper), and the minimum would be
         * that run, not the steady state of one reference taken, one
         * dropped per entry. */
        one_mmu_update(NULL);
        snprintf(op, sizeof(op), "mmu_update_%u", n_req);
        bench_run(op, "instructions/entry", reps, n_req, one_mmu_update, NULL);
    }
    /* Empty the L1 again: the tree is torn down with one reference left. */
    for (unsigned int i = 0; i < 512; i++)
        req[i] = (struct mmu_update){ .ptr = slot_addr(l1, i), .val = 0 };
    if (HYPERVISOR_mmu_update(req, 512, NULL, DOMID_SELF))
        panic("bench: clearing the L1 failed");
    as_map(&as, BENCH_VA, data[0], PTE_USER_RO);
    pte_commit(FLUSH_NONE);
    as_destroy(&as);
    frame_put(data[0]);
    frame_put(data[1]);
}

static unsigned long uvm_pfn, uvm_flags;

static uint64_t one_uvm(void *arg)
{
    uint64_t pte, t0, t1;
    long rc;

    (void)arg;
    pte = pte_make(uvm_pfn, (flip ^= 1) ? PTE_KERNEL_RO : PTE_KERNEL_RW);
    t0 = rdtsc();
    rc = HYPERVISOR_update_va_mapping((unsigned long)pfn_va(uvm_pfn), pte, uvm_flags);
    t1 = rdtsc();
    if (rc)
        panic("bench: update_va_mapping: %ld", rc);
    return t1 - t0;
}

static void uvm(unsigned int reps)
{
    uvm_pfn = frame_alloc();
    flip = 1;                           /* the first run maps it RO */
    uvm_flags = UVMF_NONE;
    bench_run("update_va_mapping", "instructions/op", reps, 1, one_uvm, NULL);
    uvm_flags = UVMF_INVLPG | UVMF_LOCAL;
    bench_run("update_va_mapping_invlpg", "instructions/op", reps, 1, one_uvm, NULL);
    if (flip)                           /* left RO: map it RW before freeing */
        frame_make_rw(uvm_pfn);
    frame_put(uvm_pfn);
}

static unsigned long kl4[2], ul4[2];

static uint64_t one_switch(void *arg)
{
    struct mmuext_op op[2] = {
        { .cmd = MMUEXT_NEW_BASEPTR }, { .cmd = MMUEXT_NEW_USER_BASEPTR } };
    uint64_t t0, t1;
    long rc;

    (void)arg;
    flip ^= 1;
    op[0].arg1.mfn = gfn_of(kl4[flip]);
    op[1].arg1.mfn = gfn_of(ul4[flip]);
    t0 = rdtsc();
    rc = HYPERVISOR_mmuext_op(op, 2, NULL, DOMID_SELF);
    t1 = rdtsc();
    if (rc)
        panic("bench: NEW_BASEPTR + NEW_USER_BASEPTR: %ld", rc);
    return t1 - t0;
}

static void base_switch(unsigned int reps)
{
    struct aspace u[2];
    uint64_t k = table_of(kpt_l4)[511];     /* our L3: the kernel's half */

    /* A second kernel L4 sharing our L3, and two empty user L4s. */
    kl4[0] = kpt_l4;
    kl4[1] = frame_alloc();
    ((uint64_t *)pfn_va(kl4[1]))[511] = pte_make(pte_pfn(k), PTE_TABLE);
    frame_make_ro(kl4[1]);
    pin_l4(kl4[1]);
    as_create(&u[0]);
    as_create(&u[1]);
    ul4[0] = u[0].l4;
    ul4[1] = u[1].l4;
    flip = 0;                           /* the first run switches to kl4[1] */
    bench_run("new_baseptr_pair", "instructions/op", reps, 1, one_switch, NULL);
    if (flip)
        set_kernel_base(kpt_l4);
    set_user_base(0);
    unpin_table(kl4[1]);
    frame_make_rw(kl4[1]);
    frame_put(kl4[1]);
    as_destroy(&u[0]);
    as_destroy(&u[1]);
}

void bench_mmu(void)
{
    unsigned int reps = bench_quick ? 3 : 31;

    mmu_update_batches(reps);
    if (bench_scaling)                  /* `bench scaling`: the batches only */
        return;
    uvm(reps);
    base_switch(reps);
}
