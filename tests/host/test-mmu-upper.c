/*
 * test-mmu-upper.c - L2/L3/L4 entries through mmu_update: mod_l2/3/4_entry
 * (xen-pvmmu-abi.md §2.3), superpages (§2.6),
 * the L4 Xen slots (§2.7) and the adjust rules for upper levels (§2.8).
 * Linear page tables (§2.5) are in test-mmu-linear.c.
 */
#include "sim.h"

/* A fresh, zeroed table frame of d, remapped RO (ready to be hooked). */
static mfn_t fresh_table(unsigned int dom, unsigned long *pfn_out)
{
    unsigned long pfn = sim_alloc_pfn(dom);

    if ( sim_set_rw(dom, pfn, false) )
        return INVALID_MFN;
    if ( pfn_out )
        *pfn_out = pfn;
    return sim_mfn(dom, pfn);
}

static long set_entry(unsigned int dom, mfn_t table, unsigned int idx, uint64_t val)
{
    sim_switch(dom);
    return sim_mmu1(sim_entry_ma(table, idx), val, DOMID_SELF);
}

/* §2.3/§2.6: PSE in L2 and L3 -> -EINVAL (no PV superpages; XSA-148). */
static const char *t_pse_l2_l3_einval(void)
{
    mfn_t t;

    sim_init();
    t = fresh_table(1, NULL);
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(t, G_LN | _PAGE_PSE)), -XEN_EINVAL);
    CHECK_RC(set_entry(1, sim_sd(1)->l3, 1, pte_from_mfn(t, G_LN | _PAGE_PSE)),
             -XEN_EINVAL);
    CHECK_U(sim_table(sim_sd(1)->l2)[SIM_L2_FREE_SLOT], 0);
    CHECK_U(sim_tcount(t), 0);
    return NULL;
}

/* §2.3: G and the cache bits are "base disallowed" at L2-L4 -> -EINVAL. */
static const char *t_upper_disallowed_flags_einval(void)
{
    mfn_t t;

    sim_init();
    t = fresh_table(1, NULL);
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(t, G_LN | _PAGE_GLOBAL)), -XEN_EINVAL);
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(t, G_LN | _PAGE_PCD)), -XEN_EINVAL);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 1, pte_from_mfn(t, G_LN | _PAGE_PWT)),
             -XEN_EINVAL);
    return NULL;
}

/* §2.8: L2/L3 get U added; L4 gets U|A.  Read back after the update. */
static const char *t_adjust_upper_levels(void)
{
    mfn_t a, b, c;

    sim_init();
    a = fresh_table(1, NULL);
    b = fresh_table(1, NULL);
    c = fresh_table(1, NULL);
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(a, _PAGE_PRESENT | _PAGE_RW)), 0);
    CHECK_U(sim_table(sim_sd(1)->l2)[SIM_L2_FREE_SLOT],
            pte_from_mfn(a, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER));
    CHECK_RC(set_entry(1, sim_sd(1)->l3, 1, pte_from_mfn(b, _PAGE_PRESENT | _PAGE_RW)), 0);
    CHECK_U(sim_table(sim_sd(1)->l3)[1],
            pte_from_mfn(b, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER));
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 1, pte_from_mfn(c, _PAGE_PRESENT | _PAGE_RW)), 0);
    CHECK_U(sim_table(sim_sd(1)->l4)[1],
            pte_from_mfn(c, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED));
    /* Each empty table was validated as the next lower level. */
    CHECK_U(sim_type(a), PGT_l1_page_table);
    CHECK_U(sim_type(b), PGT_l2_page_table);
    CHECK_U(sim_type(c), PGT_l3_page_table);
    CHECK(sim_validated(a) && sim_validated(b) && sim_validated(c));
    CHECK_U(sim_tcount(c), 1);
    CHECK_INV();
    return NULL;
}

/* §2.3/§2.7: L4 slots 256-271 -> -EINVAL on update. */
static const char *t_l4_xen_slots_einval(void)
{
    intpte_t before[16];
    mfn_t t;

    sim_init();
    t = fresh_table(1, NULL);
    for ( unsigned int s = 0; s < 16; s++ )
        before[s] = sim_table(sim_sd(1)->l4)[256 + s];
    sim_log_clear();
    for ( unsigned int s = 256; s <= 271; s++ )
    {
        CHECK_RC(set_entry(1, sim_sd(1)->l4, s, pte_from_mfn(t, G_LN)), -XEN_EINVAL);
        if ( s == 256 )
            CHECK_LOG("slot 256");
        CHECK_RC(set_entry(1, sim_sd(1)->l4, s, 0), -XEN_EINVAL);
    }
    for ( unsigned int s = 0; s < 16; s++ )
        CHECK_U(sim_table(sim_sd(1)->l4)[256 + s], before[s]);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 272, pte_from_mfn(t, G_LN)), 0);
    return NULL;
}

/*
 * §2.7: guest content in slots 256-271 is ignored at validation and then
 * overwritten; slot 256 (RO M2P) stays empty in a pinned L4 that is not a
 * CR3 (no m2p_strict; confirmed §7.4) and is filled by NEW_BASEPTR.
 */
static const char *t_l4_xen_slots_filled_at_validation(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;
    intpte_t *l4;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_set_rw(1, t.l4_pfn, true), 0);
    l4 = sim_pfn_ptr(1, t.l4_pfn);
    for ( unsigned int s = 256; s <= 271; s++ )         /* garbage the guest left */
        l4[s] = pte_from_mfn(sim_mfn(2, SIM_DATA_PFN), G_LN);
    CHECK_RC(sim_set_rw(1, t.l4_pfn, false), 0);
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK_U(l4[256], 0);
    for ( unsigned int s = 256; s <= 271; s++ )
        CHECK(pte_mfn(l4[s]).m != sim_mfn(2, SIM_DATA_PFN).m);
    CHECK(l4[260] & _PAGE_PRESENT);                    /* per-domain area */
    CHECK_U(sim_count(sim_mfn(2, SIM_DATA_PFN)), 2);  /* no refs for slots */
    CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK(l4[256] & _PAGE_PRESENT);
    CHECK(!(l4[256] & _PAGE_RW));
    return NULL;
}

/* §3.5: hooking an unvalidated subtree validates it recursively. */
static const char *t_hook_validates_recursively(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN + 1;
    mfn_t dm;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 0, &data, 1);
    dm = sim_mfn(1, data);
    CHECK_U(sim_tcount(t.l3), 0);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 2, pte_from_mfn(t.l3, G_LN)), 0);
    CHECK_U(sim_type(t.l3), PGT_l3_page_table);
    CHECK_U(sim_type(t.l2), PGT_l2_page_table);
    CHECK_U(sim_type(t.l1), PGT_l1_page_table);
    CHECK(sim_validated(t.l3) && sim_validated(t.l2) && sim_validated(t.l1));
    CHECK_U(sim_tcount(t.l3), 1);
    CHECK_U(sim_tcount(t.l1), 1);
    CHECK_U(sim_tcount(dm), 2);                        /* bootstrap + new L1e */
    /* §3.5: promote_l1 rewrote the entry with adjust_guest_l1e. */
    CHECK_U(sim_table(t.l1)[0], pte_from_mfn(dm, G_L1 | _PAGE_USER | _PAGE_GUEST_KERNEL));
    CHECK_INV();
    return NULL;
}

/* §2.4: a frame still mapped RW cannot become a table -> -EINVAL. */
static const char *t_hook_rw_mapped_einval(void)
{
    unsigned long pfn;

    sim_init();
    pfn = sim_alloc_pfn(1);
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(sim_mfn(1, pfn), G_LN)), -XEN_EINVAL);
    CHECK_U(sim_type(sim_mfn(1, pfn)), PGT_writable_page);
    CHECK_U(sim_table(sim_sd(1)->l2)[SIM_L2_FREE_SLOT], 0);
    return NULL;
}

/* §2.3: target in use as another level -> -EINVAL (L3e -> validated L1). */
static const char *t_hook_wrong_level_einval(void)
{
    sim_init();
    CHECK_RC(set_entry(1, sim_sd(1)->l3, 1, pte_from_mfn(sim_sd(1)->l1, G_LN)),
             -XEN_EINVAL);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 1, pte_from_mfn(sim_sd(1)->l2, G_LN)),
             -XEN_EINVAL);
    CHECK_U(sim_tcount(sim_sd(1)->l1), 1);
    return NULL;
}

/* §2.3: target not owned by the domain -> -EINVAL. */
static const char *t_hook_foreign_table_einval(void)
{
    sim_init();
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(sim_sd(2)->l1, G_LN)), -XEN_EINVAL);
    CHECK_U(sim_count(sim_sd(2)->l1), 3);
    return NULL;
}

/* §2.3 / surprise 15: nested validation error propagates (-EBUSY from an L1e). */
static const char *t_hook_nested_error_innermost(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;
    unsigned long c3, c2, c1, cf;
    mfn_t foreign;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 0, &data, 1);
    foreign = sim_mfn(2, SIM_DATA_PFN);
    /* The guest writes a foreign frame into its (unvalidated) L1. */
    CHECK_RC(sim_mmu1(sim_entry_ma(t.l1, 1), pte_from_mfn(foreign, G_L1RO), DOMID_SELF), 0);
    c3 = sim_count(t.l3), c2 = sim_count(t.l2), c1 = sim_count(t.l1);
    cf = sim_count(foreign);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 2, pte_from_mfn(t.l3, G_LN)), -XEN_EBUSY);
    CHECK_U(sim_table(sim_sd(1)->l4)[2], 0);
    /* Deferred teardown (3.6) runs at the next MMU hypercall. */
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_count(t.l3), c3);
    CHECK_U(sim_count(t.l2), c2);
    CHECK_U(sim_count(t.l1), c1);
    CHECK_U(sim_count(foreign), cf);
    CHECK_U(sim_tcount(t.l3), 0);
    CHECK_U(sim_tcount(t.l1), 0);
    CHECK_INV();
    return NULL;
}

/* §2.7: demotion does not clear the Xen slots: a former L4 keeps them. */
static const char *t_xen_slots_survive_demotion(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;
    intpte_t e260;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_pin(4, t.l4), 0);
    e260 = sim_table(t.l4)[260];
    CHECK(e260 & _PAGE_PRESENT);
    CHECK_RC(sim_unpin(t.l4), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_U(sim_tcount(t.l4), 0);
    CHECK_U(sim_table(t.l4)[260], e260);
    return NULL;
}

/* §2.7: with VMASST_TYPE_m2p_strict slot 256 is filled at promotion and
 * zapped when the L4 is loaded as the user CR3. */
static const char *t_m2p_strict_slot_256(void)
{
    struct sim_tree t;
    unsigned long data = SIM_DATA_PFN;

    sim_init();
    sim_switch(1);
    sim_d(1)->vm_assist |= 1UL << VMASST_TYPE_m2p_strict;   /* vm_assist(enable) */
    sim_build_tree(1, &t, 1, &data, 1);
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK(sim_table(t.l4)[256] & _PAGE_PRESENT);
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(t.l4), 0), 0);
    CHECK_U(sim_table(t.l4)[256], 0);
    return NULL;
}

/* §2.3: non-present entries are not validated at L2-L4 either. */
static const char *t_upper_non_present_any_bits(void)
{
    uint64_t v = 0x7ff0000000000000UL | mfn_to_maddr(sim_sd(0)->l4) | _PAGE_PSE |
                 _PAGE_RW | _PAGE_GLOBAL | _PAGE_PCD;

    sim_init();
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT, v), 0);
    CHECK_U(sim_table(sim_sd(1)->l2)[SIM_L2_FREE_SLOT], v);
    CHECK_RC(set_entry(1, sim_sd(1)->l3, 9, v), 0);
    CHECK_RC(set_entry(1, sim_sd(1)->l4, 9, v), 0);
    CHECK_U(sim_table(sim_sd(1)->l4)[9], v);
    return NULL;
}

/* §2.4: RW of an upper entry does not matter for the accounting: an L1
 * hooked through an RO L2 entry still holds writable refs for its RW L1es. */
static const char *t_ro_upper_entry_still_counts_rw(void)
{
    unsigned long pfn;
    mfn_t dm;

    sim_init();
    sim_switch(1);
    dm = sim_mfn(1, SIM_DATA_PFN);
    pfn = sim_alloc_pfn(1);
    ((intpte_t *)sim_pfn_ptr(1, pfn))[0] = pte_from_mfn(dm, G_L1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK_RC(set_entry(1, sim_sd(1)->l2, SIM_L2_FREE_SLOT,
                       pte_from_mfn(sim_mfn(1, pfn), G_L1RO)), 0);
    CHECK_U(sim_tcount(dm), 2);
    CHECK_RC(sim_pin(1, dm), -XEN_EINVAL);
    CHECK_INV();
    return NULL;
}

static const struct test tests[] = {
    { t_pse_l2_l3_einval, "2.6 PSE in L2/L3 -EINVAL" },
    { t_upper_disallowed_flags_einval, "2.3 G/PCD/PWT in L2-L4 -EINVAL" },
    { t_adjust_upper_levels, "2.8 L2/L3 get U, L4 gets U|A" },
    { t_l4_xen_slots_einval, "2.7 L4 slots 256-271 -EINVAL" },
    { t_l4_xen_slots_filled_at_validation, "2.7 Xen slots filled at validation, 256 at CR3" },
    { t_hook_validates_recursively, "3.5 hooking a subtree validates recursively" },
    { t_hook_rw_mapped_einval, "2.4 RW-mapped frame as table -EINVAL" },
    { t_hook_wrong_level_einval, "2.3 target in use as other level -EINVAL" },
    { t_hook_foreign_table_einval, "2.3 target not owned -EINVAL" },
    { t_hook_nested_error_innermost, "2.3 nested error -EBUSY, refs released" },
    { t_xen_slots_survive_demotion, "2.7 Xen slots survive demotion" },
    { t_m2p_strict_slot_256, "2.7 m2p_strict: 256 at promotion, zapped as user CR3" },
    { t_upper_non_present_any_bits, "2.3 non-present L2-L4 entries not validated" },
    { t_ro_upper_entry_still_counts_rw, "2.4 RO upper entry: RW L1es still count" },
};
DEFINE_SUITE(mmu_upper_suite, "mmu-upper", tests);
