/*
 * test-mmu-grant.c - grant tables v1: setup, versions, map and unmap
 * (version 2: test-mmu-grant-v2.c)
 * (docs/grants.md; Xen's common/grant_table.c, pv/grant_table.c).
 */
#include "gnt_helpers.h"

#define DATA(dom) sim_mfn(dom, SIM_DATA_PFN)

/* setup_table, query_size, get/set_version; the frames are d's, writable. */
static const char *t_setup_query_version(void)
{
    xen_pfn_t f[8] = { 0 };
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_set_version sv = { .version = 2 };

    sim_init();
    sim_switch(1);
    CHECK_RC(gnt_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_I(q.status, GNTST_okay);
    CHECK_U(q.nr_frames, 1);                    /* as Xen: one frame from the start */
    CHECK_U(q.max_nr_frames, 64);
    CHECK_I(gnt_setup(1, 2, f), GNTST_okay);
    CHECK_U(sim_d(1)->grant_table.nr_frames, 2);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        mfn_t m = _mfn(f[i]);

        CHECK_U(mfn_to_page(m)->owner, 1);
        CHECK_U(sim_type(m), PGT_writable_page);
        CHECK_U(sim_tcount(m), 1);
        /* The pin probe: a grant frame never becomes a page table. */
        CHECK_RC(sim_ext1(MMUEXT_PIN_L1_TABLE, f[i], 0), -XEN_EINVAL);
    }
    CHECK_RC(gnt_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_U(q.nr_frames, 2);
    CHECK_RC(gnt_op(GNTTABOP_get_version, &gv, 1), 0);
    CHECK_U(gv.version, 1);
    sv.version = 3;
    CHECK_RC(gnt_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
    CHECK_U(sv.version, 1);
    sv.version = 1;
    CHECK_RC(gnt_op(GNTTABOP_set_version, &sv, 1), 0);
    CHECK_AUDIT();
    return NULL;
}

/* Bad arguments: -errno for the hypercall, GNTST_* for the op. */
static const char *t_setup_errors(void)
{
    xen_pfn_t f[8];
    struct gnttab_setup_table op = { .dom = 2, .nr_frames = 1 };

    sim_init();
    CHECK_I(gnt_setup(1, 65, f), GNTST_general_error);     /* max_grant_frames 64 */
    CHECK_LOG("limited to 64");
    set_xen_guest_handle(op.frame_list, f);
    sim_switch(1);
    CHECK_RC(gnt_op(GNTTABOP_setup_table, &op, 1), 0);
    CHECK_I(op.status, GNTST_permission_denied);           /* d1 may not set up d2's */
    op.dom = 7;
    CHECK_RC(gnt_op(GNTTABOP_setup_table, &op, 1), 0);
    CHECK_I(op.status, GNTST_bad_domain);
    CHECK_RC(gnt_op(GNTTABOP_setup_table, &op, 2), -XEN_EINVAL);
    CHECK_RC(gnt_op(GNTTABOP_setup_table, (void *)SIM_BAD_PTR, 1), -XEN_EFAULT);
    CHECK_RC(gnt_op(GNTTABOP_map_grant_ref, &op, (unsigned int)-1), -XEN_EINVAL);
    CHECK_RC(gnt_op(GNTTABOP_map_grant_ref | 0x1000, &op, 1), -XEN_EINVAL);
    CHECK_RC(gnt_op(GNTTABOP_transfer, &op, 1), -XEN_ENOSYS);
    CHECK_RC(gnt_op(99, &op, 1), -XEN_ENOSYS);
    CHECK_RC(gnt_op(GNTTABOP_map_grant_ref, (void *)SIM_BAD_PTR, 1), -XEN_EFAULT);
    op.dom = 2;
    sim_switch(0);                                         /* dom0 may */
    CHECK_RC(gnt_op(GNTTABOP_setup_table, &op, 1), 0);
    CHECK_I(op.status, GNTST_okay);
    CHECK_U(mfn_to_page(_mfn(f[0]))->owner, 2);
    CHECK_AUDIT();
    return NULL;
}

/* A writable map by VA: the L1 entry, both references, the flags, the pin
 * probe; unmap gives everything back. */
static const char *t_map_rw_va(void)
{
    xen_pfn_t f[1];
    mfn_t m;
    unsigned long c, tc;
    uint32_t h;

    sim_init();
    m = DATA(1);
    c = sim_count(m);
    tc = sim_tcount(m);
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 5, 2, m, GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 5, GNT_RW, GNT_VA(0), &h), GNTST_okay);
    CHECK(pte_mfn(GNT_L1E(2, 0)).m == m.m);
    CHECK(GNT_L1E(2, 0) & _PAGE_RW);
    CHECK_U(sim_count(m), c + 1);
    CHECK_U(sim_tcount(m), tc + 1);
    CHECK_U(gnt_flags(1, 5), GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_AUDIT();
    /* The pin probe: the granter cannot make it a page table now. */
    sim_switch(1);
    CHECK_RC(sim_set_rw(1, SIM_DATA_PFN, false), 0);
    CHECK_RC(sim_pin(1, m), -XEN_EINVAL);
    CHECK_I(gnt_unmap(2, h, GNT_VA(0)), GNTST_okay);
    CHECK_U(GNT_L1E(2, 0), 0);
    CHECK_U(gnt_flags(1, 5), GTF_permit_access);
    CHECK_U(sim_count(m), c + 1 - 1);
    CHECK_U(sim_tcount(m), 0);                 /* d1 remapped it RO above */
    CHECK_AUDIT();
    sim_switch(1);
    CHECK_RC(sim_pin(1, m), 0);                /* and now it may */
    CHECK_I(gnt_unmap(2, h, GNT_VA(0)), GNTST_bad_handle);     /* already gone */
    CHECK_AUDIT();
    return NULL;
}

/* Read-only with GNTMAP_contains_pte: no type reference. */
static const char *t_map_ro_pte(void)
{
    xen_pfn_t f[1];
    mfn_t m;
    unsigned long c, tc;
    uint32_t h;

    sim_init();
    m = DATA(1);
    c = sim_count(m);
    tc = sim_tcount(m);
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, m, GTF_permit_access | GTF_readonly);
    CHECK_I(gnt_map(2, 1, 1, GNT_RO | GNTMAP_contains_pte, sim_slot_ma(2, 3), &h),
            GNTST_okay);
    CHECK(pte_mfn(GNT_L1E(2, 3)).m == m.m);
    CHECK(!(GNT_L1E(2, 3) & _PAGE_RW));
    CHECK_U(sim_count(m), c + 1);
    CHECK_U(sim_tcount(m), tc);
    CHECK_U(gnt_flags(1, 1), GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK_AUDIT();
    /* A writable map of a read-only grant is refused. */
    CHECK_I(gnt_map(2, 1, 1, GNT_RW, GNT_VA(4), NULL), GNTST_general_error);
    CHECK_LOG("read-only");
    CHECK_I(gnt_unmap(2, h, sim_slot_ma(2, 3)), GNTST_okay);
    CHECK_U(GNT_L1E(2, 3), 0);
    CHECK_U(gnt_flags(1, 1), GTF_permit_access | GTF_readonly);
    CHECK_U(sim_count(m), c);
    CHECK_AUDIT();
    return NULL;
}

/* XSA-227: the PTE address must be 8-byte aligned and in the caller's L1. */
static const char *t_contains_pte_xsa227(void)
{
    xen_pfn_t f[1];
    mfn_t m;
    intpte_t before, next;

    sim_init();
    m = DATA(1);
    before = GNT_L1E(2, 3);
    next = GNT_L1E(2, 4);
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, m, GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 1, GNT_RW | GNTMAP_contains_pte, sim_slot_ma(2, 3) + 4, NULL),
            GNTST_general_error);
    CHECK_LOG("not 8-byte aligned");
    CHECK_U(GNT_L1E(2, 3), before);
    CHECK_U(GNT_L1E(2, 4), next);
    CHECK_I(gnt_map(2, 1, 1, GNT_RW | GNTMAP_contains_pte, sim_slot_ma(1, 3), NULL),
            GNTST_general_error);                  /* d1's L1, not d2's */
    CHECK_I(gnt_map(2, 1, 1, GNT_RW | GNTMAP_contains_pte,
                    mfn_to_maddr(DATA(2)) + 8, NULL), GNTST_general_error);  /* data */
    CHECK_LOG("not in a validated L1");
    CHECK_I(gnt_map(2, 1, 1, GNT_RW, 0x0000800000000000UL, NULL), GNTST_general_error);
    CHECK_U(gnt_flags(1, 1), GTF_permit_access);   /* no pin left behind */
    CHECK_U(sim_d(1)->grant_table.nr_pinned, 0);
    CHECK_AUDIT();
    return NULL;
}

/* Every refusal of map, each with Xen's status and nothing left pinned. */
static const char *t_map_errors(void)
{
    xen_pfn_t f[1];
    uint32_t h;

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, DATA(1), GTF_permit_access);
    gnt_grant(1, 2, 0, DATA(1), GTF_permit_access);             /* for d0 */
    gnt_grant(1, 3, 2, sim_sd(1)->l1, GTF_permit_access);       /* a page table */
    gnt_grant(1, 4, 2, DATA(2), GTF_permit_access);             /* not d1's */
    gnt_grant(1, 5, 2, DATA(1), GTF_accept_transfer);
    CHECK_I(gnt_map(2, 1, 1, 0, GNT_VA(0), NULL), GNTST_bad_gntref);
    CHECK_I(gnt_map(2, 1, 1, GNTMAP_device_map, GNT_VA(0), NULL), GNTST_general_error);
    CHECK_I(gnt_map(2, 7, 1, GNT_RW, GNT_VA(0), NULL), GNTST_bad_domain);
    CHECK_I(gnt_map(2, DOMID_SELF, 1, GNT_RW, GNT_VA(0), NULL), GNTST_bad_domain);
    CHECK_I(gnt_map(2, 1, 512, GNT_RW, GNT_VA(0), NULL), GNTST_bad_gntref);
    CHECK_I(gnt_map(2, 1, 2, GNT_RW, GNT_VA(0), NULL), GNTST_general_error);
    CHECK_I(gnt_map(2, 1, 5, GNT_RW, GNT_VA(0), NULL), GNTST_general_error);
    CHECK_I(gnt_map(2, 1, 4, GNT_RW, GNT_VA(0), NULL), GNTST_bad_page);
    CHECK_I(gnt_map(2, 1, 3, GNT_RW, GNT_VA(0), NULL), GNTST_general_error);
    CHECK_LOG("no writable mapping");
    CHECK_U(gnt_flags(1, 3), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 9, GNT_RW, GNT_VA(0), NULL), GNTST_general_error); /* empty */
    CHECK_I(gnt_map(2, 2, 0, GNT_RW, GNT_VA(0), NULL), GNTST_general_error); /* no table */
    CHECK_U(GNT_L1E(2, 0), 0);
    CHECK_U(sim_d(1)->grant_table.nr_pinned, 0);
    CHECK_AUDIT();
    /* A read-only map of a page table is fine, and d0 cannot use d2's grant. */
    CHECK_I(gnt_map(2, 1, 3, GNT_RO, GNT_VA(0), &h), GNTST_okay);
    CHECK_I(gnt_map(0, 1, 3, GNT_RO, SIM_SLOT_VA(0), NULL), GNTST_general_error);
    CHECK_AUDIT();
    CHECK_I(gnt_unmap(2, h, GNT_VA(0)), GNTST_okay);
    CHECK_AUDIT();
    return NULL;
}

/* Unmap: handle checks; the entry must still map the frame with the same
 * Present and RW bits (XSA-234); all or nothing (XSA-224). */
static const char *t_unmap_checks(void)
{
    xen_pfn_t f[1];
    mfn_t m;
    uint32_t hw, hr;
    unsigned long c, tc;

    sim_init();
    m = DATA(1);
    c = sim_count(m);
    tc = sim_tcount(m);
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, m, GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 1, GNT_RW, GNT_VA(0), &hw), GNTST_okay);
    CHECK_I(gnt_map(2, 1, 1, GNT_RO, GNT_VA(1), &hr), GNTST_okay);
    CHECK(hw != hr);
    CHECK_U(sim_count(m), c + 2);
    CHECK_U(sim_tcount(m), tc + 1);
    CHECK_AUDIT();
    CHECK_I(gnt_unmap(2, 12345, GNT_VA(0)), GNTST_bad_handle);
    CHECK_I(gnt_unmap(2, hr + 1, GNT_VA(0)), GNTST_bad_handle);   /* free handle */
    /* The RW handle at the RO entry: shedding a writable reference the entry
     * does not hold (XSA-234).  And the reverse. */
    CHECK_I(gnt_unmap(2, hw, GNT_VA(1)), GNTST_general_error);
    CHECK_LOG("XSA-234");
    CHECK_I(gnt_unmap(2, hr, GNT_VA(0)), GNTST_general_error);
    CHECK_I(gnt_unmap(2, hw, GNT_VA(2)), GNTST_general_error);    /* maps nothing */
    CHECK_U(sim_count(m), c + 2);
    CHECK_U(sim_tcount(m), tc + 1);
    CHECK(GNT_L1E(2, 0) & _PAGE_RW);
    CHECK_AUDIT();
    /* host_addr 0: nothing asked, nothing done, the handle stays. */
    CHECK_I(gnt_unmap(2, hw, 0), GNTST_okay);
    CHECK_U(sim_count(m), c + 2);
    CHECK_I(gnt_unmap(2, hw, GNT_VA(0)), GNTST_okay);
    CHECK_U(gnt_flags(1, 1), GTF_permit_access | GTF_reading);
    CHECK_I(gnt_unmap(2, hr, GNT_VA(1)), GNTST_okay);
    CHECK_U(gnt_flags(1, 1), GTF_permit_access);
    CHECK_U(sim_count(m), c);
    CHECK_U(sim_tcount(m), tc);
    CHECK_AUDIT();
    return NULL;
}

/* Grant entries cannot be forged with mmu_update; clearing one drops the
 * references it holds (as in Xen), the maptrack entry goes stale and a
 * later unmap fails; the pin lasts until the mapper dies. */
static const char *t_forge_and_implicit_unmap(void)
{
    xen_pfn_t f[1];
    mfn_t m;
    uint32_t h;
    unsigned long c, tc;

    sim_init();
    m = DATA(1);
    c = sim_count(m);
    tc = sim_tcount(m);
    sim_switch(2);
    CHECK_RC(sim_mmu1(sim_slot_ma(2, 0), pte_from_mfn(m, G_L1), DOMID_SELF), -XEN_EBUSY);
    CHECK_RC(sim_uvm(GNT_VA(0), pte_from_mfn(m, G_L1RO), UVMF_NONE), -XEN_EBUSY);
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, m, GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 1, GNT_RW, GNT_VA(0), &h), GNTST_okay);
    /* Harmless bits may change (Xen's fast path); RW may not: the new entry
     * would have to take references on a frame that is not d2's. */
    CHECK_RC(sim_uvm(GNT_VA(0), GNT_L1E(2, 0) | (1UL << 9), UVMF_NONE), 0);
    CHECK_RC(sim_uvm(GNT_VA(0), GNT_L1E(2, 0) & ~(intpte_t)_PAGE_RW, UVMF_NONE),
             -XEN_EBUSY);
    CHECK_U(sim_tcount(m), tc + 1);
    CHECK_AUDIT();
    /* Cleared by mmu_update: the entry's references go with it. */
    CHECK_RC(sim_uvm(GNT_VA(0), 0, UVMF_NONE), 0);
    CHECK_U(sim_count(m), c);
    CHECK_U(sim_tcount(m), tc);
    CHECK_U(gnt_flags(1, 1), GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_AUDIT();
    CHECK_I(gnt_unmap(2, h, GNT_VA(0)), GNTST_general_error);
    CHECK_U(sim_count(m), c);
    CHECK_AUDIT();
    return NULL;
}

static const struct test tests[] = {
    { t_setup_query_version, "setup_table, query_size, get/set_version (v1; v2 in grant v2)" },
    { t_setup_errors, "bad arguments: -errno, GNTST_* per op" },
    { t_map_rw_va, "map RW by VA: refs, flags, pin probe, unmap" },
    { t_map_ro_pte, "map RO with contains_pte: no type ref" },
    { t_contains_pte_xsa227, "XSA-227 contains_pte aligned, in own L1" },
    { t_map_errors, "map refusals and their status codes" },
    { t_unmap_checks, "unmap checks frame, P and RW (XSA-224/234)" },
    { t_forge_and_implicit_unmap, "no forged grant PTE; implicit unmap drops the PTE's refs" },
};
DEFINE_SUITE(mmu_grant_suite, "grant map", tests);
