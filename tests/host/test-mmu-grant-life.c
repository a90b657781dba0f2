/*
 * test-mmu-grant-life.c - grant copy, batches and continuations, teardown
 * with live grants on both sides, and the auditor's grant checks.
 */
#include <string.h>

#include "gnt_helpers.h"
#include "mmu.h"

#define DATA(dom, k) sim_mfn(dom, SIM_DATA_PFN + (k))

static int16_t gnt_copy1(unsigned int dom, struct gnttab_copy *op)
{
    sim_switch(dom);
    op->status = 77;
    if ( gnt_op(GNTTABOP_copy, op, 1) )
        return 99;
    return op->status;
}

/* GNTTABOP_copy between a grant and an own frame, both ways; its refusals. */
static const char *t_copy(void)
{
    xen_pfn_t f[1];
    struct gnttab_copy op;
    char *src, *dst;
    unsigned long c;

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, DATA(1, 0), GTF_permit_access);
    gnt_grant(1, 2, 2, DATA(1, 1), GTF_permit_access | GTF_readonly);
    gnt_grant(1, 3, 2, sim_sd(1)->l1, GTF_permit_access);
    src = sim_pfn_ptr(2, SIM_DATA_PFN);
    memcpy(src + 100, "grant-copy", 10);
    c = sim_count(DATA(1, 0));
    memset(&op, 0, sizeof(op));
    op.source.u.gmfn = mfn_x(DATA(2, 0));
    op.source.domid = DOMID_SELF;
    op.source.offset = 100;
    op.dest.u.ref = 1;
    op.dest.domid = 1;
    op.dest.offset = 4000;
    op.len = 10;
    op.flags = GNTCOPY_dest_gref;
    CHECK_I(gnt_copy1(2, &op), GNTST_okay);
    dst = sim_pfn_ptr(1, SIM_DATA_PFN);
    CHECK(memcmp(dst + 4000, "grant-copy", 10) == 0);
    CHECK_U(sim_count(DATA(1, 0)), c);                 /* nothing outlives the op */
    CHECK_U(gnt_flags(1, 1), GTF_permit_access);
    /* Back: from the grant to an own frame. */
    op.source = op.dest;
    op.dest.u.gmfn = mfn_x(DATA(2, 1));
    op.dest.domid = DOMID_SELF;
    op.dest.offset = 0;
    op.flags = GNTCOPY_source_gref;
    CHECK_I(gnt_copy1(2, &op), GNTST_okay);
    CHECK(memcmp(sim_pfn_ptr(2, SIM_DATA_PFN + 1), "grant-copy", 10) == 0);
    CHECK_AUDIT();
    /* Refusals. */
    op.len = 200;
    CHECK_I(gnt_copy1(2, &op), GNTST_bad_copy_arg);            /* 4000 + 200 */
    op.len = 10;
    op.dest.domid = 1;                                       /* a frame, not SELF */
    CHECK_I(gnt_copy1(2, &op), GNTST_permission_denied);
    op.dest.domid = DOMID_SELF;
    op.dest.u.gmfn = mfn_x(sim_sd(2)->l1);                     /* a page table */
    CHECK_I(gnt_copy1(2, &op), GNTST_general_error);
    op.dest.u.gmfn = mfn_x(DATA(1, 2));                        /* not d2's */
    CHECK_I(gnt_copy1(2, &op), GNTST_bad_page);
    op.dest.u.gmfn = mfn_x(DATA(2, 1));
    op.source.u.ref = 600;
    CHECK_I(gnt_copy1(2, &op), GNTST_bad_gntref);
    op.source.domid = 6;
    CHECK_I(gnt_copy1(2, &op), GNTST_bad_domain);
    op.source.domid = 1;
    op.source.u.ref = 7;                                      /* empty entry */
    CHECK_I(gnt_copy1(2, &op), GNTST_general_error);
    /* Into a read-only grant, or into a granted page table: refused. */
    op.flags = GNTCOPY_dest_gref;
    op.source.u.gmfn = mfn_x(DATA(2, 0));
    op.source.domid = DOMID_SELF;
    op.dest.domid = 1;
    op.dest.u.ref = 2;
    CHECK_I(gnt_copy1(2, &op), GNTST_general_error);
    op.dest.u.ref = 3;
    CHECK_I(gnt_copy1(2, &op), GNTST_general_error);
    CHECK_AUDIT();
    return NULL;
}

/* A batch stops between ops when preempted and continues with the rest. */
static const char *t_batch_continuation(void)
{
    xen_pfn_t f[1];
    struct gnttab_map_grant_ref map[4];
    struct gnttab_unmap_grant_ref unmap[4];

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    memset(map, 0, sizeof(map));
    for ( unsigned int i = 0; i < 4; i++ )
    {
        gnt_grant(1, 10 + i, 2, DATA(1, i), GTF_permit_access);
        map[i].host_addr = GNT_VA(i);
        map[i].flags = i & 1 ? GNT_RO : GNT_RW;
        map[i].ref = 10 + i;
        map[i].dom = 1;
    }
    map[2].ref = 9999;                                        /* one bad op */
    sim_switch(2);
    sim_preempt_every(1);
    sim_hc_once(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, (unsigned long)map,
                4, 0, 0);
    CHECK(sim.cont.pending);
    CHECK_U(sim.cont.args[1], (unsigned long)&map[1]);
    CHECK_U(sim.cont.args[2], 3);
    CHECK_RC(sim_hc(sim.cont.nr, sim.cont.args[0], sim.cont.args[1], sim.cont.args[2],
                    0, 0), 0);
    sim_preempt_every(0);
    CHECK_I(map[0].status, GNTST_okay);
    CHECK_I(map[1].status, GNTST_okay);
    CHECK_I(map[2].status, GNTST_bad_gntref);
    CHECK_I(map[3].status, GNTST_okay);
    CHECK_AUDIT();
    memset(unmap, 0, sizeof(unmap));
    for ( unsigned int i = 0; i < 4; i++ )
    {
        unmap[i].host_addr = GNT_VA(i);
        unmap[i].handle = map[i].handle;
    }
    CHECK_RC(gnt_op(GNTTABOP_unmap_grant_ref, unmap, 4), 0);
    CHECK_I(unmap[0].status, GNTST_okay);
    CHECK_I(unmap[2].status, GNTST_bad_handle);
    CHECK_I(unmap[3].status, GNTST_okay);
    CHECK_U(sim_d(1)->grant_table.nr_pinned, 0);
    CHECK_AUDIT();
    return NULL;
}

/* Freed handles are not reused at once; the maptrack grows a frame at a time. */
static const char *t_maptrack(void)
{
    xen_pfn_t f[1];
    uint32_t h1, h2, h3;

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, DATA(1, 0), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 1, GNT_RO, GNT_VA(0), &h1), GNTST_okay);
    CHECK_I(gnt_unmap(2, h1, GNT_VA(0)), GNTST_okay);
    CHECK_I(gnt_map(2, 1, 1, GNT_RO, GNT_VA(0), &h2), GNTST_okay);
    CHECK(h2 != h1);
    CHECK_I(gnt_unmap(2, h1, GNT_VA(0)), GNTST_bad_handle);   /* the old one */
    /* A pin count stops at 127 (Xen refuses at 0x80): GNTST_general_error. */
    for ( unsigned int i = 1; i < GNTTAB_PIN_MAX; i++ )
        CHECK_I(gnt_map(2, 1, 1, GNT_RO, GNT_VA(1), &h3), GNTST_okay);
    CHECK_I(gnt_map(2, 1, 1, GNT_RO, GNT_VA(1), &h3), GNTST_general_error);
    CHECK_LOG("overflow");
    for ( unsigned int i = 0; i < MAPTRACK_PER_FRAME; i++ )
    {
        gnt_grant(1, 20 + i, 2, DATA(1, 0), GTF_permit_access);
        CHECK_I(gnt_map(2, 1, 20 + i, GNT_RO, GNT_VA(1), &h3), GNTST_okay);
    }
    CHECK_U(sim_d(2)->grant_table.maptrack_frames, 2);
    CHECK_AUDIT();
    return NULL;
}

/* Both sides die with live grants, in either order: nothing leaks, nothing
 * stays mapped, every hypervisor frame of the tables is freed. */
static const char *teardown(unsigned int first, unsigned int second)
{
    xen_pfn_t f[2];
    unsigned long free0;
    uint32_t h;

    sim_init();
    free0 = free_pages;
    CHECK_I(gnt_setup(1, 2, f), GNTST_okay);
    CHECK_I(gnt_setup(2, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, DATA(1, 0), GTF_permit_access);
    gnt_grant(1, 600, 2, DATA(1, 1), GTF_permit_access);
    gnt_grant(2, 1, 1, DATA(2, 0), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 1, GNT_RW, GNT_VA(0), &h), GNTST_okay);
    CHECK_I(gnt_map(2, 1, 600, GNT_RO, GNT_VA(1), &h), GNTST_okay);
    CHECK_I(gnt_map(2, 1, 1, GNT_RO | GNTMAP_contains_pte, sim_slot_ma(2, 2), &h),
            GNTST_okay);
    CHECK_I(gnt_map(1, 2, 1, GNT_RW, GNT_VA(0), &h), GNTST_okay);
    /* Its own grant, by id: allowed, but ref 1 grants to d1 only. */
    CHECK_I(gnt_map(2, 2, 1, GNT_RO, GNT_VA(3), &h), GNTST_general_error);
    CHECK_AUDIT();
    CHECK_U(domain_relinquish_memory(sim_d(first)), 0);
    sim_d(first)->state = DOMAIN_DEAD;
    CHECK_AUDIT();
    if ( first == 1 )
    {
        /* d2 still maps d1's frame: it stays, d1's; unmap still works. */
        CHECK_U(mfn_to_page(DATA(1, 0))->owner, 1);
        CHECK_I(gnt_unmap(2, 0, GNT_VA(0)), GNTST_okay);
        CHECK_AUDIT();
    }
    CHECK_U(domain_relinquish_memory(sim_d(second)), 0);
    sim_d(second)->state = DOMAIN_DEAD;
    CHECK_AUDIT();
    {
        const char *left = gnt_frames_left();

        if ( left )
            return left;
    }
    CHECK_U(gnttab_frames_held(sim_d(1)), 0);
    CHECK_U(gnttab_frames_held(sim_d(2)), 0);
    CHECK(free_pages > free0);
    return NULL;
}

static const char *t_teardown_granter_first(void) { return teardown(1, 2); }
static const char *t_teardown_mapper_first(void) { return teardown(2, 1); }

/* The auditor recounts pins against maptracks and the grant frames' refs. */
static const char *t_audit_catches(void)
{
    xen_pfn_t f[1];
    uint32_t h;
    char why[256];
    struct active_grant_entry *act;

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, DATA(1, 0), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 1, GNT_RW, GNT_VA(0), &h), GNTST_okay);
    CHECK_AUDIT();
    act = active_entry(&sim_d(1)->grant_table, 1);
    act->hstr++;                                            /* a pin nobody holds */
    CHECK(mmu_audit(why, sizeof(why)) != 0);
    CHECK_WHY(why, "maptrack holds");
    act->hstr--;
    maptrack_entry(&sim_d(2)->grant_table, h)->flags |= GNTMAP_readonly;
    CHECK(mmu_audit(why, sizeof(why)) != 0);
    maptrack_entry(&sim_d(2)->grant_table, h)->flags &= ~(uint32_t)GNTMAP_readonly;
    mfn_to_page(_mfn(f[0]))->type_info++;                   /* a stray type ref */
    CHECK(mmu_audit(why, sizeof(why)) != 0);
    mfn_to_page(_mfn(f[0]))->type_info--;
    CHECK_AUDIT();
    return NULL;
}

/* Once pinned, an entry's frame is the pinned one (the granter may rewrite
 * the entry); a self-grant works; a host mapping's unmap ignores dev_bus_addr; another
 * domain cannot use an entry pinned for someone else, even to copy. */
static const char *t_pinned_semantics(void)
{
    xen_pfn_t f[1];
    struct gnttab_copy op;
    struct gnttab_query_size q = { .dom = 1 };
    uint32_t h1, h2, hs;

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 1, 2, DATA(1, 0), GTF_permit_access);
    CHECK_I(gnt_map(2, 1, 1, GNT_RO, GNT_VA(0), &h1), GNTST_okay);
    gnt_grant(1, 1, 2, DATA(1, 1), GTF_permit_access | GTF_reading);
    CHECK_I(gnt_map(2, 1, 1, GNT_RW, GNT_VA(1), &h2), GNTST_okay);
    CHECK(pte_mfn(GNT_L1E(2, 1)).m == DATA(1, 0).m);     /* the pinned frame */
    CHECK_AUDIT();
    /* The entry now grants to d0 too late: d0 is refused while d2 pins it. */
    gnt_grant(1, 1, 0, DATA(1, 0), GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_I(gnt_map(0, 1, 1, GNT_RO, SIM_SLOT_VA(5), NULL), GNTST_general_error);
    memset(&op, 0, sizeof(op));
    op.source.u.ref = 1;
    op.source.domid = 1;
    op.dest.u.gmfn = mfn_x(DATA(0, 0));
    op.dest.domid = DOMID_SELF;
    op.len = 8;
    op.flags = GNTCOPY_source_gref;
    CHECK_I(gnt_copy1(0, &op), GNTST_general_error);
    {
        struct gnttab_unmap_grant_ref u = { .host_addr = GNT_VA(1), .handle = h2,
                                            .dev_bus_addr = mfn_to_maddr(DATA(1, 1)) };

        /* As Xen: a host mapping's unmap ignores dev_bus_addr (only a
         * device mapping is checked against it), so a wrong one unmaps. */
        sim_switch(2);
        CHECK_RC(gnt_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
        CHECK_I(u.status, GNTST_okay);
        u.dev_bus_addr = mfn_to_maddr(DATA(1, 0));
        CHECK_RC(gnt_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
        CHECK_I(u.status, GNTST_bad_handle);
    }
    CHECK_I(gnt_unmap(2, h1, GNT_VA(0)), GNTST_okay);
    CHECK_U(sim_d(1)->grant_table.nr_pinned, 0);
    /* A self-grant, writable. */
    gnt_grant(1, 2, 1, DATA(1, 2), GTF_permit_access);
    CHECK_I(gnt_map(1, 1, 2, GNT_RW, GNT_VA(6), &hs), GNTST_okay);
    CHECK_U(sim_tcount(DATA(1, 2)), 2);
    CHECK_AUDIT();
    CHECK_I(gnt_unmap(1, hs, GNT_VA(6)), GNTST_okay);
    CHECK_U(sim_tcount(DATA(1, 2)), 1);
    /* query_size of another domain: only dom0. */
    sim_switch(2);
    CHECK_RC(gnt_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_I(q.status, GNTST_permission_denied);
    CHECK_AUDIT();
    return NULL;
}

/* grant_table_op inside a multicall: the result in the entry, the audit holds. */
static const char *t_multicall(void)
{
    xen_pfn_t f[1];
    struct gnttab_map_grant_ref map = { .flags = GNT_RW, .ref = 3, .dom = 1,
                                        .host_addr = GNT_VA(0) };
    struct multicall_entry mc[2];

    sim_init();
    CHECK_I(gnt_setup(1, 1, f), GNTST_okay);
    gnt_grant(1, 3, 2, DATA(1, 0), GTF_permit_access);
    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_grant_table_op;
    mc[0].args[0] = GNTTABOP_map_grant_ref;
    mc[0].args[1] = (unsigned long)&map;
    mc[0].args[2] = 1;
    mc[1].op = __HYPERVISOR_grant_table_op;
    mc[1].args[0] = GNTTABOP_setup_table;
    mc[1].args[1] = (unsigned long)&map;
    mc[1].args[2] = 2;
    sim_switch(2);
    CHECK_RC(sim_multicall(mc, 2), 0);
    CHECK_I((long)mc[0].result, 0);
    CHECK_I(map.status, GNTST_okay);
    CHECK_I((long)mc[1].result, -XEN_EINVAL);
    CHECK_AUDIT();
    CHECK_I(gnt_unmap(2, map.handle, GNT_VA(0)), GNTST_okay);
    CHECK_AUDIT();
    return NULL;
}

static const struct test tests[] = {
    { t_pinned_semantics, "pinned frame wins, self-grant, dev_bus_addr, pinned for another" },
    { t_multicall, "grant_table_op inside a multicall" },
    { t_copy, "GNTTABOP_copy both ways and its refusals" },
    { t_batch_continuation, "batches: per-op status, continuation mid-batch" },
    { t_maptrack, "maptrack: handles not reused at once, grows by frames" },
    { t_teardown_granter_first, "teardown, granter first: nothing leaked or mapped" },
    { t_teardown_mapper_first, "teardown, mapper first: nothing leaked or mapped" },
    { t_audit_catches, "auditor recounts pins and grant-frame refs" },
};
DEFINE_SUITE(mmu_grant_life_suite, "grant life", tests);
