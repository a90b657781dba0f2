/*
 * test-mmu-pin.c - MMUEXT_PIN_L1..L4_TABLE and MMUEXT_UNPIN_TABLE
 * (xen-pvmmu-abi.md §2.12 rows 0-4, §1.2 "must not pin the initial L4").
 */
#include "sim.h"

struct counts { unsigned long c[4], t[4], dc, dt; };

static void take(struct counts *k, const struct sim_tree *t, mfn_t data)
{
    mfn_t m[4] = { t->l1, t->l2, t->l3, t->l4 };

    for ( unsigned int i = 0; i < 4; i++ )
    {
        k->c[i] = sim_count(m[i]);
        k->t[i] = sim_tcount(m[i]);
    }
    k->dc = sim_count(data);
    k->dt = sim_tcount(data);
}

static bool same(const struct counts *a, const struct counts *b)
{
    for ( unsigned int i = 0; i < 4; i++ )
        if ( a->c[i] != b->c[i] || a->t[i] != b->t[i] )
            return false;
    return a->dc == b->dc && a->dt == b->dt;
}

/* §1.2 / surprise 7: the builder already pinned the initial L4 -> -EINVAL,
 * and the extra reference taken is dropped again (§2.12). */
static const char *t_pin_builder_l4_einval(void)
{
    mfn_t l4;

    sim_init();
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
    {
        sim_switch(i);
        l4 = sim_sd(i)->l4;
        sim_log_clear();
        CHECK_RC(sim_pin(4, l4), -XEN_EINVAL);
        CHECK_LOG("already pinned");
        CHECK_U(sim_count(l4), 4);
        CHECK_U(sim_tcount(l4), 2);
        CHECK(sim_pinned(l4));
    }
    return NULL;
}

/* §2.12: PIN_L1 validates; the pin holds 1 general + 1 type ref. */
static const char *t_pin_l1_validates(void)
{
    unsigned long pfn, data = SIM_DATA_PFN;
    mfn_t m, dm;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    dm = sim_mfn(1, data);
    ((intpte_t *)sim_pfn_ptr(1, pfn))[3] = pte_from_mfn(dm, G_L1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    m = sim_mfn(1, pfn);
    CHECK_U(sim_count(m), 2);                          /* alloc + RO mapping */
    CHECK_RC(sim_pin(1, m), 0);
    CHECK_U(sim_type(m), PGT_l1_page_table);
    CHECK(sim_validated(m) && sim_pinned(m));
    CHECK_U(sim_tcount(m), 1);
    CHECK_U(sim_count(m), 3);
    CHECK_U(sim_tcount(dm), 2);
    CHECK_U(sim_table(m)[3], pte_from_mfn(dm, G_L1 | _PAGE_USER | _PAGE_GUEST_KERNEL));
    /* Already pinned -> -EINVAL, counts unchanged. */
    CHECK_RC(sim_pin(1, m), -XEN_EINVAL);
    CHECK_U(sim_tcount(m), 1);
    CHECK_U(sim_count(m), 3);
    CHECK_INV();
    return NULL;
}

/* §2.4/§2.12 (XTF xsa-224): PIN of a frame with a writable mapping -> -EINVAL. */
static const char *t_pin_rw_mapped_einval(void)
{
    unsigned long pfn;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    for ( unsigned int lvl = 1; lvl <= 4; lvl++ )
        CHECK_RC(sim_pin(lvl, sim_mfn(1, pfn)), -XEN_EINVAL);
    CHECK_U(sim_type(sim_mfn(1, pfn)), PGT_writable_page);
    CHECK_U(sim_tcount(sim_mfn(1, pfn)), 1);
    return NULL;
}

/* §2.12: mfn not owned by pg_owner -> -EINVAL. */
static const char *t_pin_not_owned_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_pin(1, sim_sd(2)->l1), -XEN_EINVAL);
    CHECK_RC(sim_pin(1, _mfn(SIM_MMIO_MFN)), -XEN_EINVAL);
    CHECK_RC(sim_pin(1, sim.xen_frame), -XEN_EINVAL);
    CHECK_U(sim_count(sim_sd(2)->l1), 3);
    return NULL;
}

/* §2.12: type conflict (wrong level in use) -> -EINVAL. */
static const char *t_pin_wrong_level_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_pin(2, sim_sd(1)->l1), -XEN_EINVAL);
    CHECK_RC(sim_pin(1, sim_sd(1)->l3), -XEN_EINVAL);
    CHECK_U(sim_tcount(sim_sd(1)->l1), 1);
    CHECK(!sim_pinned(sim_sd(1)->l1));
    return NULL;
}

/* §3.5: PIN_L4 validates the whole tree; each lower level has tc 1. */
static const char *t_pin_l4_tree_recursive(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK(sim_pinned(t.l4) && sim_validated(t.l4));
    CHECK_U(sim_tcount(t.l4), 1);
    CHECK_U(sim_tcount(t.l3), 1);
    CHECK_U(sim_tcount(t.l2), 1);
    CHECK_U(sim_tcount(t.l1), 1);
    CHECK_U(sim_type(t.l2), PGT_l2_page_table);
    CHECK(!sim_pinned(t.l3));
    CHECK_INV();
    return NULL;
}

/* §2.12 / surprise 15: a foreign frame deep down -> PIN_L4 -EBUSY; PIN_L1
 * of an L1 mapping a live table RW -> -EBUSY. */
static const char *t_pin_nested_errors(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN, pfn;
    struct counts before, after;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_mmu1(sim_entry_ma(t.l1, 9), pte_from_mfn(sim_mfn(2, 9), G_L1RO),
                      DOMID_SELF), 0);
    take(&before, &t, sim_mfn(1, data));
    CHECK_RC(sim_pin(4, t.l4), -XEN_EBUSY);
    CHECK(!sim_pinned(t.l4));
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);     /* deferred puts */
    take(&after, &t, sim_mfn(1, data));
    CHECK(same(&before, &after));

    pfn = sim_alloc_pfn(1);
    ((intpte_t *)sim_pfn_ptr(1, pfn))[0] = pte_from_mfn(sim_sd(1)->l2, G_L1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK_RC(sim_pin(1, sim_mfn(1, pfn)), -XEN_EBUSY);
    CHECK_U(sim_tcount(sim_mfn(1, pfn)), 0);
    CHECK_INV();
    return NULL;
}

/* §2.12: UNPIN of a frame that is not pinned -> -EINVAL. */
static const char *t_unpin_not_pinned_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_unpin(sim_sd(1)->l3), -XEN_EINVAL);
    CHECK_LOG("not pinned");
    CHECK_RC(sim_unpin(sim_mfn(1, SIM_DATA_PFN)), -XEN_EINVAL);
    CHECK_U(sim_tcount(sim_sd(1)->l3), 1);
    return NULL;
}

/* §2.12: UNPIN of a frame not owned -> -EINVAL. */
static const char *t_unpin_not_owned_einval(void)
{
    sim_init();
    sim_switch(1);
    CHECK_RC(sim_unpin(sim_sd(2)->l4), -XEN_EINVAL);
    CHECK(sim_pinned(sim_sd(2)->l4));
    CHECK_U(sim_tcount(sim_sd(2)->l4), 2);
    return NULL;
}

/* §3.4 / sec inv. 3-4: pin + unpin returns every count to its start. */
static const char *t_pin_unpin_balances(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;
    struct counts before, after;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    take(&before, &t, sim_mfn(1, data));
    for ( unsigned int i = 0; i < 3; i++ )
    {
        CHECK_RC(sim_pin(4, t.l4), 0);
        CHECK_RC(sim_unpin(t.l4), 0);
        CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
        take(&after, &t, sim_mfn(1, data));
        CHECK(same(&before, &after));
        CHECK(!sim_pinned(t.l4));
    }
    CHECK_INV();
    return NULL;
}

/* §2.12: unpinning a table still used as CR3 / by a parent is allowed; it
 * stays validated through those references. */
static const char *t_unpin_still_referenced(void)
{
    unsigned long pfn;
    mfn_t m;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    m = sim_mfn(1, pfn);
    CHECK_RC(sim_pin(1, m), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, SIM_L2_FREE_SLOT),
                      pte_from_mfn(m, G_LN), DOMID_SELF), 0);
    CHECK_U(sim_tcount(m), 2);
    CHECK_RC(sim_unpin(m), 0);
    CHECK_U(sim_tcount(m), 1);
    CHECK(sim_validated(m) && !sim_pinned(m));
    /* Still a table: an RW mapping of it is refused. */
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(m, G_L1), DOMID_SELF), -XEN_EBUSY);
    CHECK_INV();
    return NULL;
}

/* §2.12: the frame must be owned by pg_owner: PIN with DOMID_IO fails. */
static const char *t_pin_domid_io(void)
{
    unsigned long pfn;
    long rc;

    sim_init();
    sim_switch(0);
    pfn = sim_alloc_pfn(0);
    CHECK_RC(sim_set_rw(0, pfn, false), 0);
    rc = sim_ext1_fd(MMUEXT_PIN_L1_TABLE, mfn_x(sim_mfn(0, pfn)), 0, DOMID_IO);
    /* §2.12 "arg1.mfn owned by pg_owner else -EINVAL"; §7.2 (-EPERM for
     * DOMID_IO) was observed for other commands.  Either refuses. */
    CHECK(rc == -XEN_EINVAL || rc == -XEN_EPERM);
    CHECK_U(sim_tcount(sim_mfn(0, pfn)), 0);
    return NULL;
}

/* §1.2: the toolstack (privileged) pins a domU's L4 on its behalf with
 * foreigndom = that domU; the domU may then load it as its CR3. */
static const char *t_toolstack_pins_for_domU(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;

    sim_init();
    sim_switch(2);
    sim_build_tree(2, &t, 1, &data, 1);
    sim_switch(0);
    CHECK_RC(sim_ext1_fd(MMUEXT_PIN_L4_TABLE, mfn_x(t.l4), 0, 2), 0);
    CHECK(sim_pinned(t.l4) && sim_validated(t.l4));
    CHECK_U(sim_tcount(t.l1), 1);
    sim_switch(2);
    CHECK_RC(sim_pin(4, t.l4), -XEN_EINVAL);           /* already pinned */
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK_U(sim_tcount(t.l4), 2);
    CHECK_INV();
    return NULL;
}

static const struct test tests[] = {
    { t_pin_builder_l4_einval, "1.2 PIN of the builder's pinned L4 -EINVAL" },
    { t_pin_l1_validates, "2.12 PIN_L1 validates, holds 1+1, twice -EINVAL" },
    { t_pin_rw_mapped_einval, "2.12 PIN of RW-mapped frame -EINVAL (xsa-224)" },
    { t_pin_not_owned_einval, "2.12 PIN not owned -EINVAL" },
    { t_pin_wrong_level_einval, "2.12 PIN wrong level in use -EINVAL" },
    { t_pin_l4_tree_recursive, "3.5 PIN_L4 validates whole tree" },
    { t_pin_nested_errors, "2.12 PIN nested errors propagate (-EBUSY)" },
    { t_unpin_not_pinned_einval, "2.12 UNPIN not pinned -EINVAL" },
    { t_unpin_not_owned_einval, "2.12 UNPIN not owned -EINVAL" },
    { t_pin_unpin_balances, "3.4 pin/unpin cycles balance counts" },
    { t_unpin_still_referenced, "2.12 UNPIN while referenced keeps it validated" },
    { t_toolstack_pins_for_domU, "1.2 toolstack pins a domU L4 with foreigndom" },
    { t_pin_domid_io, "2.12 PIN with DOMID_IO refused" },
};
DEFINE_SUITE(mmu_pin_suite, "mmu-pin", tests);
