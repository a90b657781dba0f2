/*
 * test-mmu-security.c - invariants of pvmmu-security.md §3: no writable
 * mapping of a frame typed L1-L4 or seg_desc can be created by any route
 * (direct, linear/recursive entries, RW fast path = XSA-182, PSE = XSA-148),
 * foreign frames are refused (-EBUSY), counts balance after teardown, and
 * a random-operation walk keeps the oracle (sim_check_invariants) quiet.
 */
#include "sim.h"

/* inv. 2 direct: RW L1 mapping of any live table frame -> -EBUSY, by
 * mmu_update and by update_va_mapping. */
static const char *t_no_rw_map_of_tables_direct(void)
{
    struct sim_dom *sd;
    mfn_t tabs[4];

    sim_init();
    sim_switch(1);
    sd = sim_sd(1);
    tabs[0] = sd->l1, tabs[1] = sd->l2, tabs[2] = sd->l3, tabs[3] = sd->l4;
    for ( unsigned int i = 0; i < 4; i++ )
    {
        CHECK_RC(sim_mmu1(sim_slot_ma(1, i), pte_from_mfn(tabs[i], G_L1), DOMID_SELF),
                 -XEN_EBUSY);
        CHECK_RC(sim_uvm(SIM_SLOT_VA(i), pte_from_mfn(tabs[i], G_L1 | _PAGE_USER),
                         UVMF_INVLPG), -XEN_EBUSY);
        /* Re-enabling RW on a table's own bootstrap mapping. */
        CHECK_RC(sim_set_rw(1, SIM_PT_PFN + i, true), -XEN_EBUSY);
    }
    CHECK_INV();
    return NULL;
}

/* inv. 8 / XSA-182 at L1: an RO mapping of a table cannot be flipped to RW
 * through the no-revalidate fast path. */
static const char *t_no_rw_via_l1_fast_path(void)
{
    mfn_t l2;

    sim_init();
    sim_switch(1);
    l2 = sim_sd(1)->l2;
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(l2, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(l2, G_L1RO | _PAGE_RW), DOMID_SELF),
             -XEN_EBUSY);
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                      pte_from_mfn(l2, G_L1RO | _PAGE_RW | _PAGE_DIRTY), DOMID_SELF),
             -XEN_EBUSY);
    CHECK_RC(sim_uvm(SIM_SLOT_VA(0), pte_from_mfn(l2, G_L1RO | _PAGE_RW), 0), -XEN_EBUSY);
    CHECK(!(sim_table(sim_sd(1)->l1)[256] & _PAGE_RW));
    CHECK_INV();
    return NULL;
}

/* inv. 2/9 linear: RW recursive entries at L2, L3 and L4 are refused;
 * XSA-182: an RO self-map cannot be flipped RW later. */
static const char *t_no_rw_via_linear(void)
{
    struct sim_dom *sd;

    sim_init();
    sim_switch(1);
    sd = sim_sd(1);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l2, 7), pte_from_mfn(sd->l2, G_LN), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l3, 7), pte_from_mfn(sd->l3, G_LN), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 7), pte_from_mfn(sd->l4, G_LN), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 7), pte_from_mfn(sd->l4, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 7), pte_from_mfn(sd->l4, G_L1RO | _PAGE_RW),
                      DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l4, 7) | MMU_PT_UPDATE_PRESERVE_AD,
                      pte_from_mfn(sd->l4, G_L1RO | _PAGE_RW), DOMID_SELF), -XEN_EINVAL);
    CHECK(!(sim_table(sd->l4)[7] & _PAGE_RW));
    CHECK_INV();
    return NULL;
}

/* XSA-182 at L2 and L3: RO self-maps are accepted (linear page tables,
 * §2.5), flipping them RW is not. */
static const char *t_linear_l2_l3_ro_to_rw(void)
{
    struct sim_dom *sd;

    sim_init();
    sim_switch(1);
    sd = sim_sd(1);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l2, 7), pte_from_mfn(sd->l2, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l2, 7), pte_from_mfn(sd->l2, G_L1RO | _PAGE_RW),
                      DOMID_SELF), -XEN_EINVAL);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l3, 7), pte_from_mfn(sd->l3, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l3, 7), pte_from_mfn(sd->l3, G_L1RO | _PAGE_RW),
                      DOMID_SELF), -XEN_EINVAL);
    CHECK(!(sim_table(sd->l2)[7] & _PAGE_RW));
    CHECK(!(sim_table(sd->l3)[7] & _PAGE_RW));
    CHECK_INV();
    return NULL;
}

/* inv. 12 / §3.3 / §7.4: a frame that had writable mappings is flushed from
 * the TLBs before it becomes a page table. */
static const char *t_retype_from_writable_flushes(void)
{
    unsigned long pfn;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);            /* mmu_update: no flush */
    sim_tlb_clear();
    CHECK_RC(sim_pin(1, sim_mfn(1, pfn)), 0);
    CHECK(sim_tlb_total() >= 1);
    return NULL;
}

/* XSA-148: PSE at L2 (a 2 MiB page covering table frames) -> -EINVAL,
 * also as a fast-path flag flip of an existing entry. */
static const char *t_no_rw_via_pse(void)
{
    struct sim_dom *sd;
    mfn_t base;

    sim_init();
    sim_switch(1);
    sd = sim_sd(1);
    base = _mfn(mfn_x(sd->l2) & ~511UL);
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l2, 7), pte_from_mfn(base, G_LN | _PAGE_PSE),
                      DOMID_SELF), -XEN_EINVAL);
    /* The existing bootstrap L2e with PSE added (only one flag differs). */
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l2, 2),
                      pte_from_mfn(sd->l1, G_LN | _PAGE_USER | _PAGE_PSE), DOMID_SELF),
             -XEN_EINVAL);
    CHECK(!(sim_table(sd->l2)[2] & _PAGE_PSE));
    CHECK_RC(sim_mmu1(sim_entry_ma(sd->l3, 7), pte_from_mfn(base, G_LN | _PAGE_PSE),
                      DOMID_SELF), -XEN_EINVAL);
    CHECK_INV();
    return NULL;
}

/* inv. 2 seg_desc: a descriptor page (as set_gdt takes it) is never RW. */
static const char *t_no_rw_map_of_seg_desc(void)
{
    unsigned long pfn;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK(get_page_and_type(mfn_to_page(sim_mfn(1, pfn)), sim_d(1), PGT_seg_desc_page));
    CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(sim_mfn(1, pfn), G_L1), DOMID_SELF),
             -XEN_EBUSY);
    CHECK_RC(sim_uvm(SIM_SLOT_VA(1), pte_from_mfn(sim_mfn(1, pfn), G_L1), 0), -XEN_EBUSY);
    CHECK_INV();
    return NULL;
}

/* inv. 2: an L1 cannot map itself RW (it is becoming an L1): -EBUSY both
 * when pinned and when hooked; an RO self-mapping L1 is fine. */
static const char *t_l1_maps_itself_rw_ebusy(void)
{
    unsigned long pfn;
    mfn_t m;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    m = sim_mfn(1, pfn);
    ((intpte_t *)sim_pfn_ptr(1, pfn))[0] = pte_from_mfn(m, G_L1);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK_RC(sim_pin(1, m), -XEN_EBUSY);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 3), pte_from_mfn(m, G_LN), DOMID_SELF),
             -XEN_EBUSY);
    CHECK_U(sim_tcount(m), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(m, 0), pte_from_mfn(m, G_L1RO), DOMID_SELF), 0);
    CHECK_RC(sim_pin(1, m), 0);
    CHECK_INV();
    return NULL;
}

/* inv. 6: frames of other domains are -EBUSY in every form, RO included. */
static const char *t_foreign_frames_ebusy(void)
{
    sim_init();
    sim_switch(1);
    for ( unsigned int d = 0; d < SIM_NR_DOMS; d += 2 )
    {
        CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(sim_mfn(d, 9), G_L1RO), DOMID_SELF),
                 -XEN_EBUSY);
        CHECK_RC(sim_mmu1(sim_slot_ma(1, 0), pte_from_mfn(sim_sd(d)->l1, G_L1RO),
                          DOMID_SELF), -XEN_EBUSY);
        CHECK_RC(sim_uvm(SIM_SLOT_VA(0), pte_from_mfn(sim_mfn(d, 9), G_L1), 0), -XEN_EBUSY);
    }
    CHECK_U(sim_count(sim_mfn(2, 9)), 2);
    CHECK_U(sim_count(sim_mfn(0, 9)), 2);
    return NULL;
}

/* inv. 2: a table hooked via its parent and then unpinned stays protected;
 * and hooking a frame that is still RW-mapped leaves both untouched. */
static const char *t_protection_follows_references(void)
{
    unsigned long pfn;
    mfn_t m;

    sim_init();
    sim_switch(1);
    pfn = sim_alloc_pfn(1);
    m = sim_mfn(1, pfn);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 3), pte_from_mfn(m, G_LN), DOMID_SELF),
             -XEN_EINVAL);
    CHECK_U(sim_type(m), PGT_writable_page);
    CHECK_RC(sim_set_rw(1, pfn, false), 0);
    CHECK_RC(sim_pin(1, m), 0);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 3), pte_from_mfn(m, G_LN), DOMID_SELF), 0);
    CHECK_RC(sim_unpin(m), 0);
    CHECK_RC(sim_set_rw(1, pfn, true), -XEN_EBUSY);
    CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l2, 3), 0, DOMID_SELF), 0);
    CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_RC(sim_set_rw(1, pfn, true), 0);
    CHECK_INV();
    return NULL;
}

/* inv. 3/4/20: pin/unpin + new baseptr + hook/unhook cycles return every
 * count of every frame to its start value. */
static const char *t_refcounts_balance_after_cycles(void)
{
    struct sim_tree t;
    struct sim_snapshot *before, *after;
    char why[256];

    sim_init();
    sim_switch(1);
    sim_build_wide_tree(1, &t, 1, 4);
    before = sim_snapshot_take();
    for ( unsigned int i = 0; i < 2; i++ )
    {
        CHECK_RC(sim_pin(4, t.l4), 0);
        CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(t.l4), 0), 0);
        CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(t.l4), 0), 0);
        CHECK_RC(sim_unpin(t.l4), 0);
        CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l4, 9), pte_from_mfn(t.l3, G_LN),
                          DOMID_SELF), 0);
        CHECK_RC(sim_ext1(MMUEXT_NEW_BASEPTR, mfn_x(sim_sd(1)->l4), 0), 0);
        CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, 0, 0), 0);
        CHECK_RC(sim_mmu1(sim_entry_ma(sim_sd(1)->l4, 9), 0, DOMID_SELF), 0);
        CHECK_RC(sim_ext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
        CHECK_INV();
    }
    after = sim_snapshot_take();
    /* Contents may differ (Xen slots written into the tree's L4, U/A bits
     * added at validation); the counts may not. */
    if ( !sim_snapshot_counts_equal(before, after, why, sizeof(why)) )
        return test_failf("%s", why);
    return NULL;
}

/* inv. 1-4, 8-9 under a random walk of guest operations. */
static const char *random_walk(uint64_t seed, unsigned long every)
{
    const char *inv;

    sim_init();
    sim_preempt_every(every);
    for ( unsigned int step = 0; step < 3000; step++ )
    {
        uint64_t r = test_rand(&seed);
        unsigned int dom = r % SIM_NR_DOMS;
        unsigned int tdom = (r >> 8) % 4 == 0 ? (dom + 1) % SIM_NR_DOMS : dom;
        unsigned long pfn = (r >> 16) % 24;            /* tables, data, free */
        mfn_t target = (r >> 24) % 50 == 0 ? _mfn(SIM_MMIO_MFN) : sim_mfn(tdom, pfn);
        unsigned long flags = _PAGE_PRESENT | ((r >> 32) & (_PAGE_RW | _PAGE_USER |
                              _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_PSE | _PAGE_GLOBAL));
        struct sim_dom *sd = sim_sd(dom);
        mfn_t tables[4] = { sd->l1, sd->l2, sd->l3, sd->l4 };
        unsigned int lvl = (r >> 40) % 5;              /* 4: a pfn's own L1e */
        unsigned int idx = 256 + (r >> 44) % 8;

        sim_switch(dom);
        if ( (r >> 52) % 8 == 0 )
            flags = 0;
        if ( lvl == 4 )
            sim_mmu1(sim_boot_l1e_ma(dom, pfn), pte_from_mfn(sim_mfn(dom, pfn), flags),
                     DOMID_SELF);
        else if ( lvl == 3 && idx >= 256 && idx < 272 )
            sim_mmu1(sim_entry_ma(tables[lvl], idx + 16), pte_from_mfn(target, flags),
                     DOMID_SELF);
        else if ( lvl == 1 && (r >> 60) % 2 )
            sim_pin((r >> 56) % 4 + 1, target);
        else if ( lvl == 2 && (r >> 60) % 2 )
            sim_unpin(target);
        else
            sim_mmu1(sim_entry_ma(tables[lvl], idx), pte_from_mfn(target, flags),
                     DOMID_SELF);
        if ( (inv = sim_check_invariants()) )
            return test_failf("seed %#llx step %u: %s", (unsigned long long)seed, step, inv);
    }
    return NULL;
}

static const char *t_random_walk_keeps_invariants(void)
{
    return random_walk(0x1234567, 0);
}

static const char *t_random_walk_preempted_keeps_invariants(void)
{
    const char *why;

    if ( (why = random_walk(0xabcdef, 2)) )
        return why;
    return random_walk(0x5eed, 1);
}

static const struct test tests[] = {
    { t_no_rw_map_of_tables_direct, "inv2 no RW mapping of L1-L4 (direct, uvm)" },
    { t_no_rw_via_l1_fast_path, "inv8 no RW via L1 fast path" },
    { t_no_rw_via_linear, "inv2 no RW via linear entries (XSA-182)" },
    { t_linear_l2_l3_ro_to_rw, "inv8 XSA-182 at L2/L3: RO linear cannot turn RW" },
    { t_retype_from_writable_flushes, "inv12 retyping a formerly writable frame flushes" },
    { t_no_rw_via_pse, "inv2 no mapping via PSE (XSA-148)" },
    { t_no_rw_map_of_seg_desc, "inv2 no RW mapping of seg_desc" },
    { t_l1_maps_itself_rw_ebusy, "inv2 L1 mapping itself RW -EBUSY" },
    { t_foreign_frames_ebusy, "inv6 foreign frames -EBUSY" },
    { t_protection_follows_references, "inv2 protection follows references" },
    { t_refcounts_balance_after_cycles, "inv3 refcounts balance after cycles" },
    { t_random_walk_keeps_invariants, "inv1-9 random walk keeps invariants" },
    { t_random_walk_preempted_keeps_invariants, "inv10 random walk with forced preemption" },
};
DEFINE_SUITE(mmu_security_suite, "mmu-security", tests);
