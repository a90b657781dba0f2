/*
 * test-mmu-multicall.c - do_multicall (xen-pvmmu-abi.md §2.13, surprise 23,
 * XSA-213 via XTF).
 */
#include "sim.h"

#define L1E(dom, k) (sim_table(sim_sd(dom)->l1)[256 + (k)])
#define POISON 0x5a5a5a5aUL

static void uvm_entry(struct multicall_entry *e, unsigned long va, uint64_t val,
                      unsigned long flags)
{
    e->op = __HYPERVISOR_update_va_mapping;
    e->result = POISON;
    e->args[0] = va;
    e->args[1] = val;
    e->args[2] = flags;
}

/* §2.13: the batch continues after a failed entry; each result is kept;
 * the multicall itself returns 0. */
static const char *t_continues_after_failure(void)
{
    struct multicall_entry mc[3];

    sim_init();
    sim_switch(1);
    uvm_entry(&mc[0], SIM_SLOT_VA(0), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    uvm_entry(&mc[1], SIM_SLOT_VA(1), pte_from_mfn(sim_mfn(2, 9), G_L1), 0);
    uvm_entry(&mc[2], SIM_SLOT_VA(2), pte_from_mfn(sim_mfn(1, 10), G_L1), 0);
    CHECK_RC(sim_multicall(mc, 3), 0);
    CHECK_I((long)mc[0].result, 0);
    CHECK_I((long)mc[1].result, -XEN_EBUSY);
    CHECK_I((long)mc[2].result, 0);
    CHECK(L1E(1, 0) & _PAGE_PRESENT);
    CHECK_U(L1E(1, 1), 0);
    CHECK(L1E(1, 2) & _PAGE_PRESENT);
    return NULL;
}

/* §2.13 + §4.2 (Linux batches): mixed ops, per-entry results. */
static const char *t_per_entry_results_mixed(void)
{
    struct multicall_entry mc[4];
    struct mmu_update req = { sim_slot_ma(1, 3) | 6, 0 };     /* -ENOSYS */
    struct mmuext_op op;

    sim_init();
    sim_switch(1);
    op.cmd = MMUEXT_MARK_SUPER;
    op.arg1.mfn = 0;
    op.arg2.src_mfn = 0;
    mc[0].op = __HYPERVISOR_mmu_update;
    mc[0].result = POISON;
    mc[0].args[0] = (unsigned long)&req;
    mc[0].args[1] = 1;
    mc[0].args[2] = 0;
    mc[0].args[3] = DOMID_SELF;
    mc[1].op = __HYPERVISOR_mmuext_op;
    mc[1].result = POISON;
    mc[1].args[0] = (unsigned long)&op;
    mc[1].args[1] = 1;
    mc[1].args[2] = 0;
    mc[1].args[3] = DOMID_SELF;
    uvm_entry(&mc[2], SIM_SLOT_VA(0), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    mc[3].op = 99;                                  /* no such hypercall */
    mc[3].result = POISON;
    CHECK_RC(sim_multicall(mc, 4), 0);
    CHECK_I((long)mc[0].result, -XEN_ENOSYS);
    CHECK_I((long)mc[1].result, -XEN_EOPNOTSUPP);
    CHECK_I((long)mc[2].result, 0);
    CHECK_I((long)mc[3].result, -XEN_ENOSYS);
    return NULL;
}

/* §2.13: a nested multicall is refused with -EINVAL (as that entry's result). */
static const char *t_nested_multicall_einval(void)
{
    struct multicall_entry inner[1], mc[3];

    sim_init();
    sim_switch(1);
    uvm_entry(&inner[0], SIM_SLOT_VA(5), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    uvm_entry(&mc[0], SIM_SLOT_VA(0), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    mc[1].op = __HYPERVISOR_multicall;
    mc[1].result = POISON;
    mc[1].args[0] = (unsigned long)inner;
    mc[1].args[1] = 1;
    uvm_entry(&mc[2], SIM_SLOT_VA(2), pte_from_mfn(sim_mfn(1, 10), G_L1), 0);
    CHECK_RC(sim_multicall(mc, 3), 0);
    CHECK_I((long)mc[0].result, 0);
    CHECK_I((long)mc[1].result, -XEN_EINVAL);
    CHECK_U(inner[0].result, POISON);               /* never ran */
    CHECK_U(L1E(1, 5), 0);
    CHECK_I((long)mc[2].result, 0);
    return NULL;
}

/* §2.13 / XSA-213: an iret entry ends the batch: later entries do not run. */
static const char *t_iret_ends_batch(void)
{
    struct multicall_entry mc[3];

    sim_init();
    sim_switch(1);
    uvm_entry(&mc[0], SIM_SLOT_VA(0), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    mc[1].op = __HYPERVISOR_iret;
    mc[1].result = POISON;
    uvm_entry(&mc[2], SIM_SLOT_VA(2), pte_from_mfn(sim_mfn(1, 10), G_L1), 0);
    sim_multicall(mc, 3);           /* its rc is the iret's: not specified here */
    CHECK_I((long)mc[0].result, 0);
    CHECK_U(mc[2].result, POISON);
    CHECK_U(L1E(1, 2), 0);
    return NULL;
}

/* §2.13: the array faulting -> -EFAULT. */
static const char *t_bad_array_efault(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_multicall((struct multicall_entry *)SIM_BAD_PTR, 2), -XEN_EFAULT);
    return NULL;
}

/* §2.13: an entry that faults ends the batch with -EFAULT; earlier ones ran. */
static const char *t_faulting_entry_efault(void)
{
    struct multicall_entry mc[3];

    sim_init();
    sim_switch(1);
    uvm_entry(&mc[0], SIM_SLOT_VA(0), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    uvm_entry(&mc[1], SIM_SLOT_VA(1), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    uvm_entry(&mc[2], SIM_SLOT_VA(2), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    sim_guest_fault(&mc[1], sizeof(mc[1]));
    CHECK_RC(sim_multicall(mc, 3), -XEN_EFAULT);
    sim_guest_fault(NULL, 0);
    CHECK_I((long)mc[0].result, 0);
    CHECK_U(L1E(1, 1), 0);
    CHECK_U(L1E(1, 2), 0);
    return NULL;
}

/* §2.13: nr 0 does nothing and returns 0. */
static const char *t_empty_batch(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_multicall(NULL, 0), 0);
    return NULL;
}

/*
 * §2.13 + §3.6: a preempted sub-call (a PIN_L4 of a tree with many L1s,
 * forced to stop every 2 checks) has its continuation written back into the
 * entry; the guest re-issues the multicall and every result ends up 0.
 */
static const char *t_preempted_subcall_completes(void)
{
    struct multicall_entry mc[2];
    struct mmuext_op op;
    struct sim_tree t;
    unsigned long data[8];
    intpte_t *l2;

    sim_init();
    sim_switch(1);
    for ( unsigned int i = 0; i < 8; i++ )
        data[i] = SIM_DATA_PFN;
    sim_build_tree(1, &t, 1, data, 8);
    /* A wider tree: 6 more L1s under the same L2. */
    CHECK_RC(sim_set_rw(1, t.l2_pfn, true), 0);
    l2 = sim_pfn_ptr(1, t.l2_pfn);
    for ( unsigned int i = 1; i <= 6; i++ )
    {
        unsigned long p = sim_alloc_pfn(1);

        ((intpte_t *)sim_pfn_ptr(1, p))[0] = pte_from_mfn(sim_mfn(1, 9), G_L1);
        CHECK_RC(sim_set_rw(1, p, false), 0);
        l2[i] = pte_from_mfn(sim_mfn(1, p), G_LN);
    }
    CHECK_RC(sim_set_rw(1, t.l2_pfn, false), 0);

    op.cmd = MMUEXT_PIN_L4_TABLE;
    op.arg1.mfn = mfn_x(t.l4);
    op.arg2.src_mfn = 0;
    mc[0].op = __HYPERVISOR_mmuext_op;
    mc[0].result = POISON;
    mc[0].args[0] = (unsigned long)&op;
    mc[0].args[1] = 1;
    mc[0].args[2] = 0;
    mc[0].args[3] = DOMID_SELF;
    uvm_entry(&mc[1], SIM_SLOT_VA(0), pte_from_mfn(sim_mfn(1, 9), G_L1), 0);
    sim_preempt_every(2);
    CHECK_RC(sim_multicall(mc, 2), 0);
    sim_preempt_every(0);
    CHECK(sim.continuations >= 1);
    CHECK_I((long)mc[0].result, 0);
    CHECK_I((long)mc[1].result, 0);
    CHECK(sim_pinned(t.l4) && sim_validated(t.l4));
    CHECK_U(sim_tcount(t.l2), 1);
    CHECK(L1E(1, 0) & _PAGE_PRESENT);
    CHECK_INV();
    return NULL;
}

/* §2.13: the preempted entry's continuation arguments are written back
 * into the guest's entry, and the multicall continues from that entry. */
static const char *t_preempted_entry_args_written_back(void)
{
    struct multicall_entry mc[2];
    struct mmu_update r[6];

    sim_init();
    sim_switch(1);
    for ( unsigned int k = 0; k < 6; k++ )
    {
        r[k].ptr = sim_slot_ma(1, k);
        r[k].val = pte_from_mfn(sim_mfn(1, 9), G_L1);
    }
    uvm_entry(&mc[0], SIM_SLOT_VA(10), pte_from_mfn(sim_mfn(1, 10), G_L1), 0);
    mc[1].op = __HYPERVISOR_mmu_update;
    mc[1].result = POISON;
    mc[1].args[0] = (unsigned long)r;
    mc[1].args[1] = 6;
    mc[1].args[2] = 0;
    mc[1].args[3] = DOMID_SELF;
    sim_preempt_every(3);
    sim_hc_once(__HYPERVISOR_multicall, (unsigned long)mc, 2, 0, 0, 0);
    sim_preempt_every(0);
    CHECK(sim.cont.pending);
    CHECK_U(sim.cont.nr, __HYPERVISOR_multicall);
    CHECK_U(sim.cont.args[0], (unsigned long)&mc[1]);
    CHECK_U(sim.cont.args[1], 1);
    CHECK(mc[1].args[1] & MMU_UPDATE_PREEMPTED);
    CHECK(mc[1].args[0] > (unsigned long)r);
    CHECK_I((long)mc[0].result, 0);
    CHECK_RC(sim_hc(sim.cont.nr, sim.cont.args[0], sim.cont.args[1], 0, 0, 0), 0);
    CHECK_I((long)mc[1].result, 0);
    for ( unsigned int k = 0; k < 6; k++ )
        CHECK(L1E(1, k) & _PAGE_PRESENT);
    return NULL;
}

static const struct test tests[] = {
    { t_continues_after_failure, "2.13 continues after a failed entry" },
    { t_per_entry_results_mixed, "2.13 per-entry results, unknown op -ENOSYS" },
    { t_nested_multicall_einval, "2.13 nested multicall -EINVAL" },
    { t_iret_ends_batch, "2.13 iret entry ends the batch (XSA-213)" },
    { t_bad_array_efault, "2.13 unreadable array -EFAULT" },
    { t_faulting_entry_efault, "2.13 faulting entry -EFAULT" },
    { t_empty_batch, "2.13 empty batch" },
    { t_preempted_entry_args_written_back, "2.13 preempted entry gets its continuation args" },
    { t_preempted_subcall_completes, "2.13 preempted sub-call continues to completion" },
};
DEFINE_SUITE(mmu_multicall_suite, "multicall", tests);
