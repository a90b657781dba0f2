/*
 * test-mmu-baseptr.c - MMUEXT_NEW_BASEPTR and MMUEXT_NEW_USER_BASEPTR
 * (xen-pvmmu-abi.md §2.12 rows 5 and 15, §2.7 slot 256, §3.5, §7.2).
 */
#include "sim.h"

static const char *tree_counts(const struct sim_tree *t, unsigned long c4,
                               unsigned long t4, unsigned long tl)
{
    CHECK_U(sim_count(t->l4), c4);
    CHECK_U(sim_tcount(t->l4), t4);
    CHECK_U(sim_tcount(t->l3), tl);
    CHECK_U(sim_tcount(t->l2), tl);
    CHECK_U(sim_tcount(t->l1), tl);
    return NULL;
}

/* §2.12 / surprise 6: NEW_BASEPTR on an unpinned L4 validates on demand. */
static const char *t_unpinned_l4_validates_on_demand(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;
    const char *why;
    mfn_t old;

    sim_init();
    sim_switch(1);
    old = sim_sd(1)->l4;
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK(mfn_eq(current->guest_table, t.l4));
    CHECK(!sim_pinned(t.l4) && sim_validated(t.l4));
    if ( (why = tree_counts(&t, 3, 1, 1)) )
        return why;
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);  /* deferred put */
    /* The old base lost its CR3 reference: pin only (+ its RO mapping). */
    CHECK_U(sim_tcount(old), 1);
    CHECK_U(sim_count(old), 3);
    CHECK(sim.tlb.cr3 >= 1 && mfn_eq(sim.tlb.last_cr3, t.l4));
    CHECK_INV();
    return NULL;
}

/* §2.12: same mfn as current -> just reload CR3, no count change. */
static const char *t_same_mfn_reload(void)
{
    mfn_t l4;

    sim_init();
    sim_switch(1);
    l4 = sim_sd(1)->l4;
    sim_tlb_clear();
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(l4), 0), 0);
    CHECK_U(sim_count(l4), 4);
    CHECK_U(sim_tcount(l4), 2);
    CHECK(sim_tlb_total() >= 1);
    return NULL;
}

/* §2.7/§2.12: without m2p_strict slot 256 is filled when the L4 becomes CR3. */
static const char *t_fills_slot_256(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK(sim_table(t.l4)[256] & _PAGE_PRESENT);
    CHECK(sim_table(t.l4)[256] & _PAGE_USER);
    CHECK(!(sim_table(t.l4)[256] & _PAGE_RW));
    return NULL;
}

/* §2.12: FD must be self -> -EPERM; §7.2 DOMID_IO -> -EPERM too. */
static const char *t_foreign_fd_eperm(void)
{
    sim_init();
    sim_switch(0);
    CHECK_RC(sim_ext1_fd(MMUEXT_NEW_BASEPTR, mfn_x(sim_sd(1)->l4), 0, 1), -XEN_EPERM);
    CHECK_RC(sim_ext1_fd(MMUEXT_NEW_BASEPTR, mfn_x(sim_sd(0)->l4), 0, DOMID_IO),
             -XEN_EPERM);
    CHECK(mfn_eq(current->guest_table, sim_sd(0)->l4));
    return NULL;
}

/* new_guest_cr3: frame not owned -> -EINVAL (get_page_and_type fails). */
static const char *t_not_owned_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(sim_sd(2)->l4), 0), -XEN_EINVAL);
    CHECK(mfn_eq(current->guest_table, sim_sd(1)->l4));
    CHECK_U(sim_count(sim_sd(2)->l4), 4);
    return NULL;
}

/* §2.4: an RW-mapped frame or a table of another level as CR3 -> -EINVAL. */
static const char *t_type_conflict_einval(void)
{
    unsigned long pfn;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(sim_mfn(1, pfn)), 0), -XEN_EINVAL);
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(sim_sd(1)->l3), 0), -XEN_EINVAL);
    CHECK(mfn_eq(current->guest_table, sim_sd(1)->l4));
    CHECK_U(sim_tcount(sim_mfn(1, pfn)), 1);
    return NULL;
}

/* §2.12/§3.5: validation failure below propagates (-EBUSY), CR3 unchanged. */
static const char *t_nested_ebusy(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_mmu1(sim_entry_ma(t.l1, 5), pte_from_mfn(sim_mfn(0, 9), G_L1RO),
                      DOMID_SELF), 0);
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), -XEN_EBUSY);
    CHECK(mfn_eq(current->guest_table, sim_sd(1)->l4));
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(t.l4), 0);
    CHECK_U(sim_tcount(t.l1), 0);
    CHECK_U(sim_count(t.l4), 2);
    CHECK_INV();
    return NULL;
}

/* sec inv. 3/20: switching to a new base and back returns every count. */
static const char *t_cycle_balances(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;
    unsigned long c[4], dc, dt;
    mfn_t boot;
    const char *why;

    sim_init();
    sim_switch(1);
    boot = sim_sd(1)->l4;
    sim_build_tree(1, &t, 1, &data, 1);
    c[0] = sim_count(t.l4), c[1] = sim_count(t.l3), c[2] = sim_count(t.l2);
    c[3] = sim_count(t.l1);
    dc = sim_count(sim_mfn(1, data)), dt = sim_tcount(sim_mfn(1, data));
    for ( unsigned int i = 0; i < 3; i++ )
    {
        CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
        CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(boot), 0), 0);
        CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
        if ( (why = tree_counts(&t, c[0], 0, 0)) )
            return why;
        CHECK_U(sim_count(t.l3), c[1]);
        CHECK_U(sim_count(t.l2), c[2]);
        CHECK_U(sim_count(t.l1), c[3]);
        CHECK_U(sim_count(sim_mfn(1, data)), dc);
        CHECK_U(sim_tcount(sim_mfn(1, data)), dt);
        CHECK_U(sim_count(boot), 4);
        CHECK_U(sim_tcount(boot), 2);
    }
    CHECK_INV();
    return NULL;
}

/* §2.12 row 15: NEW_USER_BASEPTR validates on demand; mfn 0 clears it;
 * same-as-current is a no-op. */
static const char *t_user_baseptr(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;
    const char *why;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK(mfn_eq(current->guest_table_user, t.l4));
    if ( (why = tree_counts(&t, 3, 1, 1)) )
        return why;
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(t.l4), 0), 0);
    if ( (why = tree_counts(&t, 3, 1, 1)) )
        return why;
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
    CHECK(mfn_eq(current->guest_table_user, INVALID_MFN) ||
          mfn_x(current->guest_table_user) == 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    if ( (why = tree_counts(&t, 2, 0, 0)) )
        return why;
    /* XTF uses its kernel L4 as the user L4 as well (abi §5.1 item 7). */
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(sim_sd(1)->l4), 0), 0);
    CHECK_U(sim_tcount(sim_sd(1)->l4), 3);
    CHECK_INV();
    return NULL;
}

/* §2.12 row 15: NEW_USER_BASEPTR type conflicts -> -EINVAL. */
static const char *t_user_baseptr_conflict_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(sim_mfn(1, SIM_DATA_PFN)), 0),
             -XEN_EINVAL);
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(sim_sd(1)->l2), 0), -XEN_EINVAL);
    CHECK(mfn_eq(current->guest_table_user, INVALID_MFN) ||
          mfn_x(current->guest_table_user) == 0);
    return NULL;
}

static const struct test tests[] = {
    { t_unpinned_l4_validates_on_demand, "2.12 NEW_BASEPTR unpinned L4 validates on demand" },
    { t_same_mfn_reload, "2.12 NEW_BASEPTR same mfn reloads only" },
    { t_fills_slot_256, "2.7 NEW_BASEPTR fills slot 256 (RO M2P)" },
    { t_foreign_fd_eperm, "2.12 NEW_BASEPTR foreign FD / DOMID_IO -EPERM" },
    { t_not_owned_einval, "2.12 NEW_BASEPTR not owned -EINVAL" },
    { t_type_conflict_einval, "2.4 NEW_BASEPTR type conflict -EINVAL" },
    { t_nested_ebusy, "3.5 NEW_BASEPTR nested -EBUSY, CR3 unchanged" },
    { t_cycle_balances, "inv3 NEW_BASEPTR cycles balance counts" },
    { t_user_baseptr, "2.12 NEW_USER_BASEPTR on demand, 0 clears, same no-op" },
    { t_user_baseptr_conflict_einval, "2.12 NEW_USER_BASEPTR conflict -EINVAL" },
};
DEFINE_SUITE(mmu_baseptr_suite, "mmu-baseptr", tests);
