/*
 * test-mmu-grant-v2.c - grant tables v2: set_version, status frames,
 * v2 entries in map/unmap/copy, XSA-255 (docs/grants.md, "Version 2";
 * Xen's gnttab_set_version, gnttab_get_status_frames).
 */
#include "gnt_helpers.h"

#define DATA(dom, k) sim_mfn(dom, SIM_DATA_PFN + (k))

static int16_t gnt_status_frames(unsigned int dom, uint32_t nr, uint64_t *list, long *rc)
{
    struct gnttab_get_status_frames op = { .nr_frames = nr, .dom = DOMID_SELF,
                                           .status = 77 };

    sim_switch(dom);
    set_xen_guest_handle(op.frame_list, list);
    *rc = gnt_op(GNTTABOP_get_status_frames, &op, 1);
    return op.status;
}

static int16_t gnt_copy(unsigned int dom, domid_t sdom, uint32_t sref, uint16_t soff,
                        mfn_t dst, uint16_t doff, uint16_t len)
{
    struct gnttab_copy op = {
        .source = { .domid = sdom, .offset = soff, .u.ref = sref },
        .dest = { .domid = DOMID_SELF, .offset = doff, .u.gmfn = mfn_x(dst) },
        .len = len, .flags = GNTCOPY_source_gref, .status = 77,
    };

    sim_switch(dom);
    if ( gnt_op(GNTTABOP_copy, &op, 1) )
        return 99;
    return op.status;
}

/* v1 -> v2 -> v1: versions, status frames, entries per frame, the
 * reserved entries carried over, the rest cleared. */
static const char *t_v2_switch(void)
{
    xen_pfn_t f[16] = { 0 };
    uint64_t sf[4] = { 0 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    const struct grant_table *gt;
    uint32_t v;
    long rc;
    mfn_t s;

    sim_init();
    gt = &sim_d(1)->grant_table;
    CHECK_I(gnt_setup(1, 2, f), GNTST_okay);
    CHECK_I(gnt_status_frames(1, 1, sf, &rc), GNTST_general_error);   /* v1: none */
    CHECK_RC(rc, 0);
    CHECK_I(gnt_status_frames(1, 0, sf, &rc), GNTST_okay);
    gnt_grant(1, 3, 2, DATA(1, 0), GTF_permit_access | GTF_readonly);
    gnt_grant(1, 100, 2, DATA(1, 1), GTF_permit_access);
    CHECK_RC(gnt_version(1, 2, &v), 0);
    CHECK_U(v, 2);
    CHECK_RC(gnt_op(GNTTABOP_get_version, &gv, 1), 0);
    CHECK_U(gv.version, 2);
    CHECK_U(nr_grant_entries(gt), 512);                 /* 2 frames of 256 */
    CHECK_RC(gnt_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_U(q.nr_frames, 2);
    CHECK_U(gt->nr_status_frames, 1);
    CHECK_I(gnt_status_frames(1, 1, sf, &rc), GNTST_okay);
    s = _mfn(sf[0]);
    CHECK(mfn_eq(s, gt->status[0]));
    CHECK_U(mfn_to_page(s)->owner, 1);
    CHECK_U(sim_type(s), PGT_writable_page);
    CHECK_U(sim_tcount(s), 1);
    CHECK_RC(sim_ext1(MMUEXT_PIN_L1_TABLE, sf[0], 0), -XEN_EINVAL);
    CHECK_I(gnt_status_frames(1, 2, sf, &rc), GNTST_general_error);   /* too many */
    /* An unwritable list (in the guest's range): per frame, as setup_table. */
    CHECK_I(gnt_status_frames(1, 1, (uint64_t *)SIM_BAD_PTR, &rc), GNTST_bad_virt_addr);
    CHECK_RC(rc, 0);
    /* Reserved ref 3 carried over; ref 100 cleared. */
    CHECK_U(shared_entry_v2(gt, 3)->hdr.flags, GTF_permit_access | GTF_readonly);
    CHECK_U(shared_entry_v2(gt, 3)->hdr.domid, 2);
    CHECK_U(shared_entry_v2(gt, 3)->full_page.frame, mfn_x(DATA(1, 0)));
    CHECK_U(shared_entry_v2(gt, 100)->hdr.flags, 0);
    CHECK_AUDIT();
    /* Growing a v2 table grows its status frames: 9 frames need 2. */
    CHECK_I(gnt_setup(1, 9, f), GNTST_okay);
    CHECK_U(gt->nr_status_frames, 2);
    CHECK_AUDIT();
    CHECK_RC(gnt_version(1, 2, &v), 0);                 /* same version: nothing */
    CHECK_RC(gnt_version(1, 1, &v), 0);
    CHECK_U(v, 1);
    CHECK_U(gt->nr_status_frames, 0);
    CHECK(mfn_to_page(s)->count_info & PGC_free);       /* freed */
    CHECK_U(shared_entry(gt, 3)->flags, GTF_permit_access | GTF_readonly);
    CHECK_U(shared_entry(gt, 3)->frame, mfn_x(DATA(1, 0)));
    CHECK_AUDIT();
    return NULL;
}

/* v2 entries in map, unmap and copy; status bits in the status frame;
 * set_version refused while a non-reserved entry is pinned. */
static const char *t_v2_map_copy(void)
{
    xen_pfn_t f[1];
    uint32_t h, h0, v;
    const struct grant_table *gt;
    unsigned long c;
    union grant_entry_v2 *e;

    sim_init();
    gt = &sim_d(1)->grant_table;
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    CHECK_RC(gnt_version(1, 2, &v), 0);
    c = sim_count(DATA(1, 0));
    gnt_grant(1, 20, 2, DATA(1, 0), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 20, GNT_RW, GNT_VA(0), &h), GNTST_okay);
    CHECK(mfn_eq(pte_mfn(GNT_L1E(2, 0)), DATA(1, 0)));
    CHECK_U(sim_count(DATA(1, 0)), c + 1);
    CHECK_U(shared_entry_v2(gt, 20)->hdr.flags, GTF_permit_access);  /* untouched */
    CHECK_U(*status_entry(gt, 20), GTF_reading | GTF_writing);
    CHECK_AUDIT();
    CHECK_RC(gnt_version(1, 1, &v), -XEN_EBUSY);        /* ref 20 in use */
    CHECK_U(v, 2);
    CHECK_LOG("still in use");
    CHECK_I(gnt_unmap(2, h, GNT_VA(0)), GNTST_okay);
    CHECK_U(*status_entry(gt, 20), 0);
    CHECK_U(sim_count(DATA(1, 0)), c);
    /* 256 entries per frame: ref 256 is out of range now. */
    CHECK_I(gnt_map(2, 1, 256, GNT_RO, GNT_VA(0), &h), GNTST_bad_gntref);
    /* A sub-page grant is never mapped, but copied within its bytes. */
    e = shared_entry_v2(gt, 21);
    e->hdr.domid = 2;
    e->sub_page.page_off = 64;
    e->sub_page.length = 32;
    e->sub_page.frame = mfn_x(DATA(1, 1));
    e->hdr.flags = GTF_permit_access | GTF_sub_page;
    CHECK_I(gnt_map(2, 1, 21, GNT_RO, GNT_VA(0), &h), GNTST_general_error);
    ((uint8_t *)mfn_to_virt(DATA(1, 1)))[70] = 0xa5;
    CHECK_I(gnt_copy(2, 1, 21, 64, DATA(2, 0), 0, 32), GNTST_okay);
    CHECK_U(((uint8_t *)mfn_to_virt(DATA(2, 0)))[6], 0xa5);
    CHECK_I(gnt_copy(2, 1, 21, 60, DATA(2, 0), 0, 8), GNTST_general_error);
    CHECK_I(gnt_copy(2, 1, 21, 90, DATA(2, 0), 0, 8), GNTST_general_error);
    CHECK_I(gnt_copy(2, 1, 20, 0, DATA(2, 0), 0, 8), GNTST_okay);   /* full page */
    e->hdr.flags = GTF_transitive;
    CHECK_I(gnt_copy(2, 1, 21, 64, DATA(2, 0), 0, 8), GNTST_general_error);
    /* A reserved entry may stay pinned across a switch; its status moves. */
    gnt_grant(1, 2, 2, DATA(1, 2), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 2, GNT_RO, GNT_VA(1), &h0), GNTST_okay);
    CHECK_RC(gnt_version(1, 1, &v), 0);
    CHECK_U(gnt_flags(1, 2), GTF_permit_access | GTF_reading);
    CHECK_AUDIT();
    CHECK_RC(gnt_version(1, 2, &v), 0);
    CHECK_U(gnt_flags(1, 2), GTF_permit_access | GTF_reading);
    CHECK_U(shared_entry_v2(gt, 2)->hdr.flags, GTF_permit_access);
    CHECK_I(gnt_unmap(2, h0, GNT_VA(1)), GNTST_okay);
    CHECK_U(gnt_flags(1, 2), GTF_permit_access);
    /* A reserved entry v1 cannot hold: -ERANGE, still v2. */
    shared_entry_v2(gt, 4)->full_page.frame = 1UL << 32;
    shared_entry_v2(gt, 4)->hdr.flags = GTF_permit_access;
    CHECK_RC(gnt_version(1, 1, &v), -XEN_ERANGE);
    CHECK_U(v, 2);
    CHECK_AUDIT();
    return NULL;
}

/* XSA-255: no switch back to v1 while the guest maps a status frame. */
static const char *t_v2_xsa255(void)
{
    xen_pfn_t f[1];
    uint64_t sf[1];
    uint32_t v;
    long rc;
    mfn_t s;

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    CHECK_RC(gnt_version(1, 2, &v), 0);
    CHECK_I(gnt_status_frames(1, 1, sf, &rc), GNTST_okay);
    s = _mfn(sf[0]);
    sim_switch(1);
    CHECK_RC(sim_uvm(GNT_VA(2), pte_from_mfn(s, G_L1RO), UVMF_NONE), 0);
    CHECK_AUDIT();
    CHECK_RC(gnt_version(1, 1, &v), -XEN_EBUSY);
    CHECK_U(v, 2);
    CHECK_LOG("XSA-255");
    CHECK_U(sim_d(1)->grant_table.nr_status_frames, 1);
    CHECK(!(mfn_to_page(s)->count_info & PGC_free));
    CHECK_AUDIT();
    /* A writable mapping of it too (SHARE_rw, as Xen). */
    CHECK_RC(sim_uvm(GNT_VA(2), pte_from_mfn(s, G_L1), UVMF_NONE), 0);
    CHECK_RC(gnt_version(1, 1, &v), -XEN_EBUSY);
    CHECK_AUDIT();
    CHECK_RC(sim_uvm(GNT_VA(2), 0, UVMF_NONE), 0);
    CHECK_RC(gnt_version(1, 1, &v), 0);
    CHECK_U(v, 1);
    CHECK(mfn_to_page(s)->count_info & PGC_free);
    CHECK_AUDIT();
    return NULL;
}

/* A v2 domain dies with a status frame still mapped by itself: all freed. */
static const char *t_v2_teardown(void)
{
    xen_pfn_t f[1];
    uint64_t sf[1];
    uint32_t v, h;
    long rc;

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    CHECK_RC(gnt_version(1, 2, &v), 0);
    CHECK_I(gnt_status_frames(1, 1, sf, &rc), GNTST_okay);
    sim_switch(1);
    CHECK_RC(sim_uvm(GNT_VA(2), pte_from_mfn(_mfn(sf[0]), G_L1RO), UVMF_NONE), 0);
    gnt_grant(1, 9, 2, DATA(1, 0), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 9, GNT_RW, GNT_VA(0), &h), GNTST_okay);
    CHECK_AUDIT();
    CHECK_U(domain_relinquish_memory(sim_d(1)), 0);
    sim_d(1)->state = DOMAIN_DEAD;
    CHECK_AUDIT();
    CHECK_I(gnt_unmap(2, h, GNT_VA(0)), GNTST_okay);
    CHECK_AUDIT();
    CHECK_U(domain_relinquish_memory(sim_d(2)), 0);
    sim_d(2)->state = DOMAIN_DEAD;
    {
        const char *left = gnt_frames_left();

        if ( left )
            return left;
    }
    CHECK_U(gnttab_frames_held(sim_d(1)), 0);
    CHECK_U(gnttab_frames_held(sim_d(2)), 0);
    return NULL;
}

static const struct test tests[] = {
    { t_v2_switch, "v1 -> v2 -> v1: status frames, 256 per frame, reserved entries kept" },
    { t_v2_map_copy, "v2 entries in map/unmap/copy; -EBUSY while pinned; -ERANGE" },
    { t_v2_xsa255, "XSA-255: no v1 while a status frame is mapped" },
    { t_v2_teardown, "v2 teardown: status frames freed, nothing leaked" },
};
DEFINE_SUITE(mmu_grant_v2_suite, "grant v2", tests);
