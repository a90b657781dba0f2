/*
 * test-mmu-preempt.c - preemption and continuations (xen-pvmmu-abi.md
 * §2.1 count|MMU_UPDATE_PREEMPTED and pdone, §3.6 partial validation,
 * §1.6 re-executed SYSCALL): forced preemption every N checks must give
 * exactly the same final state as no preemption.
 */
#include "sim.h"
#include "pt.h"               /* PTF_entry_partial */

/* §2.1: Xen's continuation is (reqs advanced, remaining|PREEMPTED, pdone,
 * foreigndom); pdone holds the partial count, accumulated on re-entry. */
static const char *t_mmu_update_continuation_args(void)
{
    struct mmu_update r[6];
    unsigned int done = 0;
    long rc;

    sim_init();
    sim_switch(1);
    for ( unsigned int k = 0; k < 6; k++ )
    {
        r[k].ptr = sim_slot_ma(1, k);
        r[k].val = pte_from_mfn(sim_mfn(1, 9), G_L1);
    }
    sim_preempt_every(2);
    rc = sim_hc_once(__HYPERVISOR_mmu_update, (unsigned long)r, 6, (unsigned long)&done,
                     DOMID_SELF, 0);
    (void)rc;
    CHECK(sim.cont.pending);
    CHECK_U(sim.cont.nr, __HYPERVISOR_mmu_update);
    CHECK(done >= 1 && done < 6);
    CHECK_U(sim.cont.args[0], (unsigned long)&r[done]);
    CHECK_U(sim.cont.args[1], (6 - done) | MMU_UPDATE_PREEMPTED);
    CHECK_U(sim.cont.args[2], (unsigned long)&done);
    CHECK_U(sim.cont.args[3], DOMID_SELF);
    CHECK(r[done - 1].ptr && (sim_table(sim_sd(1)->l1)[256 + done - 1] & _PAGE_PRESENT));
    CHECK_U(sim_table(sim_sd(1)->l1)[256 + done], 0);
    /* The guest re-executes; the whole batch completes, pdone = 6. */
    CHECK_RC(sim_hc(sim.cont.nr, sim.cont.args[0], sim.cont.args[1], sim.cont.args[2],
                    sim.cont.args[3], 0), 0);
    CHECK_U(done, 6);
    for ( unsigned int k = 0; k < 6; k++ )
        CHECK(sim_table(sim_sd(1)->l1)[256 + k] & _PAGE_PRESENT);
    return NULL;
}

/* §2.1: preemption is checked between requests, never before the first. */
static const char *t_no_preemption_before_first(void)
{
    struct mmu_update r;
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

    sim_init();
    sim_switch(1);
    r.ptr = sim_slot_ma(1, 0);
    r.val = pte_from_mfn(sim_mfn(1, 9), G_L1);
    sim_preempt_every(1);
    CHECK_RC(sim_hc_once(__HYPERVISOR_mmu_update, (unsigned long)&r, 1, 0, DOMID_SELF, 0), 0);
    CHECK(!sim.cont.pending);
    CHECK_RC(sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0), 0);
    CHECK(!sim.cont.pending);
    return NULL;
}

/* §2.1: a guest-built continuation (count|PREEMPTED) re-reads pdone and adds. */
static const char *t_pdone_accumulates(void)
{
    struct mmu_update r;
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned int done = 5;

    sim_init();
    sim_switch(1);
    r.ptr = sim_slot_ma(1, 0);
    r.val = pte_from_mfn(sim_mfn(1, 9), G_L1);
    CHECK_RC(sim_mmu(&r, 1 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF), 0);
    CHECK_U(done, 6);
    done = 3;
    CHECK_RC(sim_ext(&op, 1 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF), 0);
    CHECK_U(done, 4);
    return NULL;
}

/*
 * 2.1: on a continuation pdone is re-read; Xen discards the result of that
 * read ("(void)copy_from_guest(&done, pdone, 1)" in do_mmu_update and
 * do_mmuext_op), so an unreadable pdone neither fails the call nor stops
 * the requests: the update is done and the call returns 0.
 */
static const char *t_continuation_bad_pdone_ignored(void)
{
    struct mmu_update r;
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

    sim_init();
    sim_switch(1);
    r.ptr = sim_slot_ma(1, 0);
    r.val = pte_from_mfn(sim_mfn(1, 9), G_L1);
    CHECK_RC(sim_mmu(&r, 1 | MMU_UPDATE_PREEMPTED, (unsigned int *)SIM_BAD_PTR,
                     DOMID_SELF), 0);
    CHECK(sim_table(sim_sd(1)->l1)[256] != 0);
    CHECK_RC(sim_ext(&op, 1 | MMU_UPDATE_PREEMPTED, (unsigned int *)SIM_BAD_PTR,
                     DOMID_SELF), 0);
    return NULL;
}

/* §2.2 step 3: a page-table frame whose validation is in progress (type
 * count > 0, PGT_partial, not validated) cannot be written: -EINVAL. */
static const char *t_partial_table_not_writable(void)
{
    struct sim_cont cont;
    struct sim_tree t;
    struct mmuext_op op;
    unsigned int n = 0;

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 1, 12);
    op.cmd = MMUEXT_PIN_L2_TABLE;
    op.arg1.mfn = mfn_x(t.l2);
    op.arg2.src_mfn = 0;
    sim_preempt_every(3);
    sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
    CHECK(sim.cont.pending);
    sim_preempt_every(0);
    cont = sim.cont;
    CHECK(sim_tcount(t.l2) > 0 && !sim_validated(t.l2));
    /* Before re-executing, the guest (an event handler, another vCPU)
     * touches the half-validated table. */
    CHECK_RC(sim_mmu1(sim_entry_ma(t.l2, 100), 0x1234, DOMID_SELF), -XEN_EINVAL);
    CHECK_U(sim_table(t.l2)[100], 0);
    CHECK_RC(sim_set_rw(1, t.l2_pfn, true), -XEN_EBUSY);
    sim.cont = cont;
    while ( sim.cont.pending && n++ < 1000 )
        sim_hc_once(sim.cont.nr, sim.cont.args[0], sim.cont.args[1], sim.cont.args[2],
                    sim.cont.args[3], sim.cont.args[4]);
    CHECK(sim_pinned(t.l2) && sim_validated(t.l2));
    CHECK_INV();
    return NULL;
}

/*
 * §2.1: when a deferred put (old_guest_table) is pending after the last
 * request, Xen continues with reqs=NULL, count=PREEMPTED and passes the
 * final rc through the foreigndom slot: the guest still sees the rc of the
 * failing request and pdone counts what was done.
 */
static const char *t_deferred_put_keeps_final_rc(void)
{
    struct sim_tree t;
    struct mmu_update r[2];
    unsigned int done = 0;

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 1, 12);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l4, 5), pte_from_mfn(t.l3, G_LN),
                      DOMID_SELF), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(t.l2), 1);
    r[0].ptr = sim_entry_ma(sim_sd(1)->l4, 5);          /* unhook: deferred put */
    r[0].val = 0;
    r[1].ptr = sim_slot_ma(1, 0) | 7;                   /* -ENOSYS */
    r[1].val = 0;
    sim_preempt_every(4);
    CHECK_RC(sim_mmu(r, 2, &done, DOMID_SELF), -XEN_ENOSYS);
    sim_preempt_every(0);
    CHECK_U(done, 1);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(t.l3), 0);
    CHECK_U(sim_tcount(t.l2), 0);
    CHECK_U(sim_tcount(t.l1), 0);
    CHECK_INV();
    return NULL;
}

/* The same inside a multicall: the entry's result is the final rc. */
static const char *t_deferred_put_in_multicall(void)
{
    struct sim_tree t;
    struct mmu_update r[2];
    struct multicall_entry mc[2];

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 1, 12);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l4, 5), pte_from_mfn(t.l3, G_LN),
                      DOMID_SELF), 0);
    r[0].ptr = sim_entry_ma(sim_sd(1)->l4, 5);
    r[0].val = 0;
    r[1].ptr = sim_slot_ma(1, 0) | 7;
    r[1].val = 0;
    mc[0].op = __HYPERVISOR_mmu_update;
    mc[0].result = 0x5a5a;
    mc[0].args[0] = (unsigned long)r;
    mc[0].args[1] = 2;
    mc[0].args[2] = 0;
    mc[0].args[3] = DOMID_SELF;
    mc[1].op = __HYPERVISOR_mmuext_op;
    mc[1].result = 0x5a5a;
    mc[1].args[0] = 0;                  /* NULL ops, count 0: nothing to do */
    mc[1].args[1] = 0;
    mc[1].args[2] = 0;
    mc[1].args[3] = DOMID_SELF;
    sim_preempt_every(4);
    CHECK_RC(sim_multicall(mc, 2), 0);
    sim_preempt_every(0);
    CHECK_I((long)mc[0].result, -XEN_ENOSYS);
    CHECK_I((long)mc[1].result, 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(t.l2), 0);
    CHECK_INV();
    return NULL;
}

/* One scripted guest session touching every preemptible path. */
static const char *session(unsigned long every, struct sim_snapshot **out,
                           unsigned long *hits)
{
    struct sim_tree a, b;
    struct mmu_update r[8];
    unsigned int done = 0;

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &a, 1, 12);
    sim_build_wide_tree(1, &b, 2, 12);
    sim_preempt_every(every);
    CHECK_RC(sim_pin(4, a.l4), 0);                              /* promote */
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(b.l4), 0), 0);  /* promote on demand */
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(a.l4), 0), 0);
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(sim_sd(1)->l4), 0), 0);  /* demote b */
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
    CHECK_RC(sim_unpin(a.l4), 0);                               /* demote a */
    /* Hook a's L3 under the bootstrap L4, then unhook it (deferred put). */
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l4, 5), pte_from_mfn(a.l3, G_LN),
                      DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l4, 5), 0, DOMID_SELF), 0);
    for ( unsigned int k = 0; k < 8; k++ )
    {
        r[k].ptr = sim_slot_ma(1, k);
        r[k].val = pte_from_mfn(sim_mfn(1, 9 + k), G_L1);
    }
    CHECK_RC(sim_mmu(r, 8, &done, DOMID_SELF), 0);
    CHECK_U(done, 8);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);        /* flush deferrals */
    sim_preempt_every(0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_INV();
    *hits = sim.preempt_hits;
    *out = sim_snapshot_take();
    return NULL;
}

/* §3.6: forced preemption every N gives the same final state as none. */
static const char *t_forced_preemption_same_result(void)
{
    static const unsigned long everies[] = { 1, 2, 3, 5, 7 };
    struct sim_snapshot *ref, *got;
    unsigned long conts, total = 0;
    const char *why;
    char diff[256];

    if ( (why = session(0, &ref, &conts)) )
        return why;
    /* No preemption hits, but continuations may still happen: Xen continues
     * a call whose deferred put (old_guest_table) is pending (abi 2.1). */
    CHECK_U(conts, 0);
    for ( unsigned int i = 0; i < sizeof(everies) / sizeof(everies[0]); i++ )
    {
        if ( (why = session(everies[i], &got, &conts)) )
            return test_failf("every %lu: %s", everies[i], why);
        total += conts;
        if ( !sim_snapshot_equal(ref, got, diff, sizeof(diff)) )
            return test_failf("every %lu: %s", everies[i], diff);
    }
    CHECK(total > 0);                  /* preemption really happened */
    CHECK(sim.continuations > 0);
    return NULL;
}

/* §3.6: a preempted PIN leaves the page partial, not pinned, until resumed. */
static const char *t_partial_pin_resumes(void)
{
    struct sim_tree t;
    struct mmuext_op op;
    unsigned int n = 0;

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 1, 12);
    op.cmd = MMUEXT_PIN_L2_TABLE;
    op.arg1.mfn = mfn_x(t.l2);
    op.arg2.src_mfn = 0;
    sim_preempt_every(3);
    sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
    CHECK(sim.cont.pending);
    CHECK_U(sim.cont.nr, __HYPERVISOR_mmuext_op);
    CHECK(!sim_pinned(t.l2));
    CHECK(!sim_validated(t.l2));
    /* Xen checks between all 512 entries, present or not (abi 3.6). */
    while ( sim.cont.pending && n++ < 1000 )
        sim_hc_once(sim.cont.nr, sim.cont.args[0], sim.cont.args[1], sim.cont.args[2],
                    sim.cont.args[3], sim.cont.args[4]);
    CHECK(!sim.cont.pending);
    CHECK(sim_pinned(t.l2) && sim_validated(t.l2));
    CHECK_U(sim_tcount(t.l2), 1);
    CHECK_U(mfn_to_page(t.l2)->type_info & PGT_partial, 0);
    CHECK_INV();
    return NULL;
}

/*
 * XSA-299 family: a half-done entry's claim can go stale.  NEW_BASEPTR on
 * a fresh L4 P is preempted while validating its child L3 C, so P marks
 * entry 2 half done; the guest abandons the call and hooks C elsewhere,
 * which resumes C's validation, and that fails (C maps an L4 as an L2):
 * C is back at type count 0.  Tearing the domain down must then drop only
 * P's general reference on C, not a type reference C no longer has (it
 * hit BUG_ON in _put_page_type; found by fuzz-mmu).
 */
static const char *t_stale_partial_entry_teardown(void)
{
    struct sim_dom *sd;
    struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
    unsigned long pc, pl2, pp;
    unsigned int n = 0;
    intpte_t *c, *p;
    mfn_t C, P;
    char why[256];

    sim_init();
    sim_switch(1);
    sd = sim_sd(1);
    pc = sim_alloc_pfn(1);
    pl2 = sim_alloc_pfn(1);
    pp = sim_alloc_pfn(1);
    c = sim_pfn_ptr(1, pc);
    p = sim_pfn_ptr(1, pp);
    c[0] = pte_from_mfn(sim_mfn(1, pl2), G_LN);  /* fine: an empty L2 */
    c[4] = pte_from_mfn(sd->l4, G_LN);           /* refused: an L4 used as an L2 */
    p[2] = pte_from_mfn(sim_mfn(1, pc), G_LN);
    sim_set_rw(1, pc, false);
    sim_set_rw(1, pl2, false);
    sim_set_rw(1, pp, false);
    C = sim_mfn(1, pc);
    P = sim_mfn(1, pp);

    op.arg1.mfn = mfn_x(P);
    sim_preempt_every(1);
    sim_hc_once(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0);
    while ( sim.cont.pending && !(mfn_to_page(P)->partial_flags & PTF_entry_partial) &&
            n++ < 1000 )
        sim_hc_once(sim.cont.nr, sim.cont.args[0], sim.cont.args[1], sim.cont.args[2],
                    sim.cont.args[3], 0);
    CHECK(mfn_to_page(P)->partial_flags & PTF_entry_partial);
    CHECK(mfn_to_page(C)->type_info & PGT_partial);

    /* Abandon the continuation; hook C into L4[3]: its validation fails. */
    sim_preempt_every(0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 3), pte_from_mfn(C, G_LN), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_U(mfn_to_page(C)->type_info & (PGT_count_mask | PGT_partial), 0);
    CHECK(mfn_to_page(P)->partial_flags & PTF_entry_partial);   /* stale now */
    CHECK_U(mmu_audit(why, sizeof(why)), 0);

    /* Teardown: every frame comes back, no BUG. */
    CHECK_U(domain_relinquish_memory(sim_d(1)), 0);
    return NULL;
}

static const struct test tests[] = {
    { t_mmu_update_continuation_args, "2.1 mmu_update continuation args and pdone" },
    { t_no_preemption_before_first, "2.1 no preemption before the first request" },
    { t_pdone_accumulates, "2.1 count|PREEMPTED re-reads pdone and adds" },
    { t_continuation_bad_pdone_ignored, "2.1 continuation with unreadable pdone: ignored, as Xen" },
    { t_partial_table_not_writable, "2.2 partially validated table not writable -EINVAL" },
    { t_deferred_put_keeps_final_rc, "2.1 deferred put continuation keeps the final rc" },
    { t_deferred_put_in_multicall, "2.1/2.13 deferred put inside a multicall" },
    { t_forced_preemption_same_result, "3.6 forced preemption every N == no preemption" },
    { t_partial_pin_resumes, "3.6 preempted PIN is partial, then completes" },
    { t_stale_partial_entry_teardown, "3.6 stale half-done entry: teardown drops no type ref" },
};
DEFINE_SUITE(mmu_preempt_suite, "mmu-preempt", tests);
