/*
 * test-mmu-linear.c - linear (recursive) page-table entries through
 * mmu_update (xen-pvmmu-abi.md §2.5, §2.3 fast path; XSA-182 as XTF tests it).
 */
#include "sim.h"

static long set_entry(unsigned int dom, mfn_t table, unsigned int idx, uint64_t val)
{
    sim_switch(dom);
    return sim_mmu1(sim_entry_ma(table, idx), val, DOMID_SELF);
}

/* §2.5 rule 2 / XTF xsa-182: an RO self-map in the L4 is accepted. */
static const char *t_linear_ro_selfmap_ok(void)
{
    mfn_t l4;
    unsigned long c, tc;

    sim_init();
    l4 = sim_sd(1)->l4;
    c = sim_count(l4), tc = sim_tcount(l4);
    CHECK_RC(set_entry(1, l4, 1, pte_from_mfn(l4, G_L1RO)), 0);
    CHECK(sim_table(l4)[1] & _PAGE_PRESENT);
    CHECK_U(sim_tcount(l4), tc);                       /* no type ref for a self-map */
    CHECK_RC(set_entry(1, l4, 1, 0), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_count(l4), c);
    CHECK_U(sim_tcount(l4), tc);
    return NULL;
}

/* §2.5 rule 1 / XSA-182: an RW linear entry -> -EINVAL (L4 and L2). */
static const char *t_linear_rw_selfmap_einval(void)
{
    sim_init();
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 1, pte_from_mfn(sim_sd(1)->l4, G_LN)), -XEN_EINVAL);
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(sim_sd(1)->l2, G_LN)), -XEN_EINVAL);
    CHECK_U(sim_table(sim_sd(1)->l4)[1], 0);
    CHECK_INV();
    return NULL;
}

/* §2.3 fast path / XSA-182: RO -> RW on a linear entry is not fast-pathed. */
static const char *t_linear_ro_to_rw_einval(void)
{
    mfn_t l4;

    sim_init();
    l4 = sim_sd(1)->l4;
    CHECK_RC(set_entry(1, l4, 1, pte_from_mfn(l4, G_L1RO)), 0);
    CHECK_RC(set_entry(1, l4, 1, pte_from_mfn(l4, G_L1RO | _PAGE_RW)), -XEN_EINVAL);
    CHECK(!(sim_table(l4)[1] & _PAGE_RW));
    CHECK_INV();
    return NULL;
}

/*
 * §2.5 rule 3: a linear target must already be a validated same-level
 * table (no validation is started for it).  The target X must also fail
 * the normal path (X validated as an L3), or Xen would simply take that:
 * X[5] points RW at the bootstrap L3, which cannot become an L2 (in use)
 * nor be an RW linear L3 entry; as an L4, X is fine.
 */
static const char *t_linear_target_must_be_validated(void)
{
    unsigned long pfn;
    mfn_t x;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    x = sim_mfn(1, pfn);
    ((intpte_t *)sim_pfn_ptr(1, pfn))[5] = pte_from_mfn(sim_sd(1)->l3, G_LN);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 1, pte_from_mfn(x, G_L1RO)), -XEN_EINVAL);
    CHECK_U(sim_tcount(x), 0);
    CHECK_U(sim_table(sim_sd(1)->l4)[1], 0);
    CHECK_RC(sim_pin(4, x), 0);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 1, pte_from_mfn(x, G_L1RO)), 0);
    CHECK_U(sim_tcount(x), 2);          /* §3.2: a linear entry holds a same-level type ref */
    CHECK_INV();
    return NULL;
}

/* §2.5 rule 3: a table holding linear entries may not be a linear target. */
static const char *t_linear_no_mixed_roles(void)
{
    struct sim_tree a, b;
    unsigned long data = SIM_DATA_PFN;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &a, 3, &data, 1);
    sim_build_tree(1, &b, 3, &data, 1);
    CHECK_RC(sim_pin(4, a.l4), 0);
    CHECK_RC(sim_pin(4, b.l4), 0);
    /* bootstrap L4 -> a (bootstrap L4 holds a linear entry, a is a target) */
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 1, pte_from_mfn(a.l4, G_L1RO)), 0);
    /* b -> bootstrap L4: that one already holds linear entries. */
    CHECK_RC(set_entry(1, b.l4, 1, pte_from_mfn(sim_sd(1)->l4, G_L1RO)), -XEN_EINVAL);
    /* a -> b: a is already a target. */
    CHECK_RC(set_entry(1, a.l4, 1, pte_from_mfn(b.l4, G_L1RO)), -XEN_EINVAL);
    return NULL;
}

/* §2.5 rule 3: the holder/target bookkeeping is undone when the linear
 * entry goes: afterwards the roles may be taken the other way round. */
static const char *t_linear_roles_released(void)
{
    struct sim_tree a;
    unsigned long data = SIM_DATA_PFN;
    mfn_t boot;

    sim_init();
    sim_switch(1);
    boot = sim_sd(1)->l4;
    sim_build_tree(1, &a, 3, &data, 1);
    CHECK_RC(sim_pin(4, a.l4), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(boot, 1), pte_from_mfn(a.l4, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(a.l4, 1), pte_from_mfn(boot, G_L1RO), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_RC(sim_mmu1(sim_entry_ma(boot, 1), 0, DOMID_SELF), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(a.l4, 1), pte_from_mfn(boot, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(a.l4, 1), 0, DOMID_SELF), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(mfn_to_page(boot)->linear_pt_count, 0);
    CHECK_U(mfn_to_page(a.l4)->linear_pt_count, 0);
    CHECK_U(sim_tcount(boot), 2);
    CHECK_U(sim_tcount(a.l4), 1);
    return NULL;
}

static const struct test tests[] = {
    { t_linear_ro_selfmap_ok, "2.5 RO L4 self-map accepted, no type ref" },
    { t_linear_rw_selfmap_einval, "2.5 RW linear entry -EINVAL (XSA-182)" },
    { t_linear_ro_to_rw_einval, "2.3 RO->RW linear not fast-pathed (XSA-182)" },
    { t_linear_target_must_be_validated, "2.5 linear target must be validated" },
    { t_linear_no_mixed_roles, "2.5 linear: holder vs target roles exclusive" },
    { t_linear_roles_released, "2.5 linear roles released with the entry" },
};
DEFINE_SUITE(mmu_linear_suite, "mmu-linear", tests);
