/*
 * test-mmu-translate.c - translate mode (xen-like/mm/p2m.c): the guest
 * names frames by its own pfns and the hypervisor installs f·g, with
 * exactly the same rules as in Xen mode.
 */
#include <stdlib.h>

#include "sim.h"

#define VA  SIM_SLOT_VA(0)
#define L1E(dom, k) (sim_table(sim_sd(dom)->l1)[256 + (k)])

/* Put d1 in translate mode: its private P2M maps pfn -> the sim's mfn. */
static void make_translated(unsigned int dom)
{
    struct domain *d = sim_d(dom);

    d->translated = true;
    if ( p2m_init(d, SIM_DOM_PAGES) )
        abort();
    for ( unsigned long pfn = 0; pfn < SIM_DOM_PAGES; pfn++ )
        p2m_set(d, pfn, sim_mfn(dom, pfn));
}

static uint64_t gpa_of_l1_slot(unsigned int dom, unsigned int k)
{
    return ((uint64_t)get_gpfn_from_mfn(sim_sd(dom)->l1) << PAGE_SHIFT) + (256 + k) * 8;
}

/* The entry's frame is a pfn; the installed frame is its mfn. */
static const char *t_uva_translates(void)
{
    sim_init();
    sim_switch(1);
    make_translated(1);
    CHECK_RC(sim_uvm(VA, ((uint64_t)SIM_DATA_PFN << PAGE_SHIFT) | G_L1, UVMF_INVLPG), 0);
    CHECK_U(pte_mfn(L1E(1, 0)).m, sim_mfn(1, SIM_DATA_PFN).m);
    CHECK_U(sim_tcount(sim_mfn(1, SIM_DATA_PFN)), 2);
    return NULL;
}

/* A pfn with no machine frame behind it is refused before any rule. */
static const char *t_unpopulated_gfn_einval(void)
{
    sim_init();
    sim_switch(1);
    make_translated(1);
    CHECK_RC(sim_uvm(VA, ((uint64_t)SIM_DOM_PAGES << PAGE_SHIFT) | G_L1, UVMF_NONE),
             -XEN_EINVAL);
    CHECK_U(L1E(1, 0), 0);
    CHECK(sim_log_has("translate mode"));
    return NULL;
}

/* mmu_update: ptr is a guest-physical address, val a guest frame. */
static const char *t_mmu_update_ptr_and_val(void)
{
    sim_init();
    sim_switch(1);
    make_translated(1);
    CHECK_RC(sim_mmu1(gpa_of_l1_slot(1, 1),
                      ((uint64_t)(SIM_DATA_PFN + 1) << PAGE_SHIFT) | G_L1, DOMID_SELF), 0);
    CHECK_U(pte_mfn(L1E(1, 1)).m, sim_mfn(1, SIM_DATA_PFN + 1).m);
    return NULL;
}

/* MMU_PT_UPDATE_NO_TRANSLATE: ptr is translated, val is not. */
static const char *t_no_translate_keeps_val(void)
{
    mfn_t m;

    sim_init();
    sim_switch(1);
    make_translated(1);
    m = sim_mfn(1, SIM_DATA_PFN + 2);
    CHECK_RC(sim_mmu1(gpa_of_l1_slot(1, 2) | MMU_PT_UPDATE_NO_TRANSLATE,
                      pte_from_mfn(m, G_L1), DOMID_SELF), 0);
    CHECK_U(pte_mfn(L1E(1, 2)).m, m.m);
    return NULL;
}

/* The rules still hold: a page table of ours, named by pfn, cannot be RW. */
static const char *t_rules_unchanged(void)
{
    unsigned long l1pfn;

    sim_init();
    sim_switch(1);
    make_translated(1);
    l1pfn = get_gpfn_from_mfn(sim_sd(1)->l1);
    CHECK_RC(sim_uvm(VA, ((uint64_t)l1pfn << PAGE_SHIFT) | G_L1, UVMF_NONE), -XEN_EBUSY);
    CHECK_RC(sim_uvm(VA, ((uint64_t)l1pfn << PAGE_SHIFT) | G_L1RO, UVMF_NONE), 0);
    CHECK_U(pte_mfn(L1E(1, 0)).m, sim_sd(1)->l1.m);
    return NULL;
}

/* mmuext_op frame arguments are pfns: unpin and re-pin the L4 by pfn. */
static const char *t_mmuext_args_translated(void)
{
    unsigned long l4pfn;

    sim_init();
    sim_switch(1);
    make_translated(1);
    l4pfn = get_gpfn_from_mfn(sim_sd(1)->l4);
    CHECK_RC(sim_ext1(MMUEXT_UNPIN_TABLE, l4pfn, 0), 0);
    CHECK(!sim_pinned(sim_sd(1)->l4));
    CHECK_RC(sim_ext1(MMUEXT_PIN_L4_TABLE, l4pfn, 0), 0);
    CHECK(sim_pinned(sim_sd(1)->l4));
    /* The machine frame number is not a valid pfn here. */
    CHECK_RC(sim_ext1(MMUEXT_PIN_L4_TABLE, sim_sd(1)->l4.m, 0), -XEN_EINVAL);
    return NULL;
}

/* Xen mode is untouched: d2 still names machine frames. */
static const char *t_other_domains_unaffected(void)
{
    mfn_t m;

    sim_init();
    make_translated(1);
    sim_switch(2);
    m = sim_mfn(2, SIM_DATA_PFN);
    CHECK_RC(sim_uvm(VA, pte_from_mfn(m, G_L1), UVMF_NONE), 0);
    CHECK_U(pte_mfn(L1E(2, 0)).m, m.m);
    return NULL;
}

static const struct test tests[] = {
    { t_uva_translates, "translate: update_va_mapping installs f(pfn)" },
    { t_unpopulated_gfn_einval, "translate: unpopulated pfn -EINVAL" },
    { t_mmu_update_ptr_and_val, "translate: mmu_update ptr and val are guest frames" },
    { t_no_translate_keeps_val, "translate: MMU_PT_UPDATE_NO_TRANSLATE keeps val" },
    { t_rules_unchanged, "translate: RW map of own table by pfn -EBUSY, RO ok" },
    { t_mmuext_args_translated, "translate: mmuext_op frame arguments are pfns" },
    { t_other_domains_unaffected, "translate: a Xen-mode domain is unaffected" },
};
DEFINE_SUITE(mmu_translate_suite, "translate", tests);
