/*
 * test-mmu-types.c - the page type model (xen-pvmmu-abi.md §3.3-§3.5):
 * type changes only at type count 0, stale types re-validate, recursive
 * validation, innermost error codes, demotion releasing lower levels.
 */
#include "sim.h"

/* §3.3: a frame's type changes only while its type count is 0. */
static const char *t_type_change_only_at_zero(void)
{
    unsigned long pfn;
    mfn_t m;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    m = sim_mfn(1, pfn);
    CHECK_U(sim_type(m), PGT_writable_page);
    CHECK_RC(sim_pin(1, m), -XEN_EINVAL);              /* writable, tc 1 */
    CHECK_RC(sim_set_rw(1, pfn, false), 0);             /* tc -> 0 */
    CHECK_RC(sim_pin(1, m), 0);                         /* becomes L1 */
    CHECK_U(sim_type(m), PGT_l1_page_table);
    CHECK_RC(sim_set_rw(1, pfn, true), -XEN_EBUSY);     /* L1, tc 1 */
    CHECK_RC(sim_unpin(m), 0);
    CHECK_RC(sim_set_rw(1, pfn, true), 0);              /* tc 0: writable again */
    CHECK_U(sim_type(m), PGT_writable_page);
    CHECK_U(sim_tcount(m), 1);
    CHECK_INV();
    return NULL;
}

/* §3.3: after the count drops to 0 the stale type stays without
 * PGT_validated; re-getting it re-validates the (changed) contents. */
static const char *t_stale_type_revalidated(void)
{
    unsigned long pfn;
    mfn_t m;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    m = sim_mfn(1, pfn);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK_RC(sim_pin(1, m), 0);
    CHECK_RC(sim_unpin(m), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(m), 0);
    CHECK(!sim_validated(m));
    /* Not an in-use table any more: mmu_update stores without checks (2.2). */
    CHECK_RC(sim_mmu1(sim_entry_ma(m, 4), pte_from_mfn(sim_mfn(2, 3), G_L1RO),
                      DOMID_SELF), 0);
    CHECK_RC(sim_pin(1, m), -XEN_EBUSY);               /* re-validation sees it */
    CHECK_U(sim_tcount(m), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(m, 4), 0, DOMID_SELF), 0);
    CHECK_RC(sim_pin(1, m), 0);
    CHECK_INV();
    return NULL;
}

/* §3.5 / surprise 15: the innermost reason reaches the guest, whatever the
 * level that started validation: -EINVAL (bad flags), -EBUSY (foreign),
 * -EPERM (MMIO without rights). */
static const char *t_innermost_error_codes(void)
{
    static const struct { unsigned long mfn_sel; unsigned long flags; int rc; } cases[] = {
        { 0, G_L1 | _PAGE_PCD, -XEN_EINVAL },
        { 1, G_L1RO, -XEN_EBUSY },
        { 2, G_L1, -XEN_EPERM },
    };

    for ( unsigned int c = 0; c < 3; c++ )
    {
        struct sim_tree t;
        unsigned long data = SIM_DATA_PFN;
        mfn_t target;

        sim_init();
        sim_switch(1);
        sim_build_tree(1, &t, 1, &data, 1);
        target = cases[c].mfn_sel == 0 ? sim_mfn(1, 9) :
                 cases[c].mfn_sel == 1 ? sim_mfn(2, 9) : _mfn(SIM_MMIO_MFN);
        CHECK_RC(sim_mmu1(sim_entry_ma(t.l1, 7), pte_from_mfn(target, cases[c].flags),
                          DOMID_SELF), 0);
        CHECK_RC(sim_pin(4, t.l4), cases[c].rc);
        CHECK_RC(sim_pin(3, t.l3), cases[c].rc);
        CHECK_RC(sim_pin(2, t.l2), cases[c].rc);
        CHECK_RC(sim_pin(1, t.l1), cases[c].rc);
        CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), cases[c].rc);
        CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
        CHECK_U(sim_tcount(t.l4), 0);
        CHECK_U(sim_tcount(t.l1), 0);
        CHECK_INV();
    }
    return NULL;
}

/* §3.4: dropping the last type ref of a tree top demotes everything below. */
static const char *t_demotion_releases_lower(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN + 2;
    mfn_t dm;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    dm = sim_mfn(1, data);
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK_U(sim_tcount(dm), 2);
    CHECK_U(sim_count(dm), 3);
    CHECK_RC(sim_unpin(t.l4), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(t.l4), 0);
    CHECK_U(sim_tcount(t.l3), 0);
    CHECK_U(sim_tcount(t.l2), 0);
    CHECK_U(sim_tcount(t.l1), 0);
    CHECK(!sim_validated(t.l1));
    CHECK_U(sim_tcount(dm), 1);
    CHECK_U(sim_count(dm), 2);
    /* The demoted frames may become writable again (type change at 0). */
    CHECK_RC(sim_set_rw(1, t.l1_pfn, true), 0);
    CHECK_INV();
    return NULL;
}

/* §3.4: L4 promotion/demotion keeps the domain's L4 counter. */
static const char *t_nr_l4_pages(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN, n0;

    sim_init();
    sim_switch(1);
    n0 = sim_d(1)->nr_l4_pages;
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK_U(sim_d(1)->nr_l4_pages, n0 + 1);
    CHECK_RC(sim_unpin(t.l4), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_d(1)->nr_l4_pages, n0);
    return NULL;
}

/* §3.2/§3.3: a table reached by two parents has type count 2, validated
 * once; dropping one parent keeps it validated. */
static const char *t_shared_lower_table(void)
{
    unsigned long pfn;
    mfn_t m;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    m = sim_mfn(1, pfn);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 3), pte_from_mfn(m, G_LN), DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 4), pte_from_mfn(m, G_LN), DOMID_SELF), 0);
    CHECK_U(sim_tcount(m), 2);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 3), 0, DOMID_SELF), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(m), 1);
    CHECK(sim_validated(m));
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 4), 0, DOMID_SELF), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(m), 0);
    CHECK_U(sim_count(m), 2);
    return NULL;
}

/* §3.2: a seg_desc page (as set_gdt takes it) can be neither mapped RW
 * (-EBUSY) nor used as a table (-EINVAL). */
static const char *t_seg_desc_exclusive(void)
{
    unsigned long pfn;
    struct page_info *pg;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    pg = mfn_to_page(sim_mfn(1, pfn));
    CHECK(get_page_and_type(pg, sim_d(1), PGT_seg_desc_page));
    CHECK_RC(sim_set_rw(1, pfn, true), -XEN_EBUSY);
    CHECK_RC(sim_pin(1, sim_mfn(1, pfn)), -XEN_EINVAL);
    put_page_and_type(pg);
    CHECK_RC(sim_set_rw(1, pfn, true), 0);
    CHECK_INV();
    return NULL;
}

/*
 * §3.6: a failure in the middle of an L2 promotion (L1 number 7 of 12 maps
 * a foreign frame) returns the inner code, and once the deferred teardown
 * has run every count is back where it was - with and without forced
 * preemption.
 */
static const char *mid_failure(unsigned long every)
{
    struct sim_tree t;
    struct sim_snapshot *before, *after;
    unsigned long bad;
    char why[256];

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 1, 12);
    bad = pte_mfn(sim_table(t.l2)[7]).m;
    CHECK_RC(sim_mmu1(sim_entry_ma(_mfn(bad), 9), pte_from_mfn(sim_mfn(2, 9), G_L1RO),
                      DOMID_SELF), 0);
    before = sim_snapshot_take();
    sim_preempt_every(every);
    CHECK_RC(sim_pin(4, t.l4), -XEN_EBUSY);
    CHECK_RC(sim_pin(2, t.l2), -XEN_EBUSY);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    sim_preempt_every(0);
    after = sim_snapshot_take();
    if ( !sim_snapshot_counts_equal(before, after, why, sizeof(why)) )
        return test_failf("every %lu: %s", every, why);
    CHECK_U(mfn_to_page(t.l2)->type_info & (PGT_partial | PGT_validated), 0);
    CHECK_INV();
    return NULL;
}

static const char *t_mid_promotion_failure_restores(void)
{
    static const unsigned long everies[] = { 0, 1, 2, 5 };
    const char *why;

    for ( unsigned int i = 0; i < 4; i++ )
        if ( (why = mid_failure(everies[i])) )
            return why;
    return NULL;
}

/* §2.5/§3.4: a pinned L4 holding an RO self-map is demoted cleanly. */
static const char *t_selfmap_teardown(void)
{
    struct sim_tree t;
    struct sim_snapshot *before, *after;
    unsigned long data = SIM_DATA_PFN;
    char why[256];

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    before = sim_snapshot_take();
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(t.l4, 7), pte_from_mfn(t.l4, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_unpin(t.l4), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(t.l4), 0);
    CHECK_RC(sim_set_rw(1, t.l4_pfn, true), 0);         /* no longer a table */
    sim_pfn_ptr(1, t.l4_pfn);
    ((intpte_t *)sim_pfn_ptr(1, t.l4_pfn))[7] = 0;      /* guest clears the slot */
    CHECK_RC(sim_set_rw(1, t.l4_pfn, false), 0);
    after = sim_snapshot_take();
    if ( !sim_snapshot_counts_equal(before, after, why, sizeof(why)) )
        return test_failf("%s", why);
    CHECK_INV();
    return NULL;
}

static const struct test tests[] = {
    { t_type_change_only_at_zero, "3.3 type changes only at count 0" },
    { t_stale_type_revalidated, "3.3 stale type re-validated on next use" },
    { t_innermost_error_codes, "3.5 innermost error code at every level" },
    { t_demotion_releases_lower, "3.4 demotion releases lower levels" },
    { t_nr_l4_pages, "3.4 L4 counter follows promotion/demotion" },
    { t_shared_lower_table, "3.2 table with two parents" },
    { t_mid_promotion_failure_restores, "3.6 failure mid-promotion restores counts (preempted too)" },
    { t_selfmap_teardown, "3.4 demotion of an L4 with an RO self-map" },
    { t_seg_desc_exclusive, "3.2 seg_desc excludes RW and table types" },
};
DEFINE_SUITE(mmu_types_suite, "mmu-types", tests);
