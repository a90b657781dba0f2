/*
 * test-mmu-dump.c - the debug keys' read-only views of the PV-MMU state:
 * pt_dump_domain() ('p', xen-like/mm/pt_dump.c) and frame_census() ('m',
 * xen-like/mm/frame_census.c), on the simulated machine's bootstrap trees
 * and after a guest builds, pins and loads a tree of its own.
 */
#include "lib.h"
#include "sim.h"

static char want[256];

#define CHECK_DUMP(...)                                                      \
    do {                                                                    \
        snprintf(want, sizeof(want), __VA_ARGS__);                          \
        if ( !sim_log_has(want) )                                           \
            return test_failf("%s:%d: log lacks \"%s\"", __FILE__, __LINE__, want); \
    } while ( 0 )

/* The bootstrap tree of d1: four tables, the L4 pinned and d1's CR3. */
static const char *t_dump_bootstrap(void)
{
    struct sim_dom *sd;

    sim_init();
    sd = sim_sd(1);
    sim_log_clear();
    CHECK_U(pt_dump_domain(sim_d(1)), 4);
    CHECK_DUMP("pt-dump d1 begin mode=xen\n");
    CHECK_DUMP("table L4 gfn=%#lx mfn=%#lx tc=", mfn_x(sd->l4), mfn_x(sd->l4));
    CHECK_DUMP("mfn=%#lx tc=2 pinned=1 state=validated roots=cr3.v0\n", mfn_x(sd->l4));
    CHECK_DUMP("table L1 gfn=%#lx mfn=%#lx tc=1 pinned=0 state=validated roots=-\n",
              mfn_x(sd->l1), mfn_x(sd->l1));
    /* Each level's one entry names the table below it. */
    CHECK_DUMP("gfn=%#lx mfn=%#lx type=L3 flags=RW,U\n", mfn_x(sd->l3), mfn_x(sd->l3));
    CHECK_DUMP("gfn=%#lx mfn=%#lx type=L1 flags=RW,U\n", mfn_x(sd->l1), mfn_x(sd->l1));
    /* The read-only rule, seen in the leaves: the table frames map RO. */
    CHECK_DUMP("gfn=%#lx mfn=%#lx type=L4 flags=RO,U,K\n", mfn_x(sd->l4), mfn_x(sd->l4));
    CHECK_DUMP("pt-dump d1 end tables=4 entries=%u\n", 1 + 1 + 1 + SIM_DOM_PAGES);
    return NULL;
}

/* Consecutive slots mapping consecutive frames are one line of ranges. */
static const char *t_dump_runs(void)
{
    struct sim_dom *sd;

    sim_init();
    sd = sim_sd(2);
    sim_log_clear();
    pt_dump_domain(sim_d(2));
    /* Pfns 8..255 are data pages on consecutive frames, mapped RW by
     * consecutive slots of the bootstrap L1: one line. */
    CHECK_DUMP(" e 0x008-0x0ff gfn=%#lx-%#lx mfn=%#lx-%#lx type=writable flags=RW,U,K\n",
               sd->p2m[8], sd->p2m[255], sd->p2m[8], sd->p2m[255]);
    return NULL;
}

/* A tree the guest built, pinned and loaded shows up with its roles. */
static const char *t_dump_guest_tree(void)
{
    unsigned long data[2] = { SIM_DATA_PFN, SIM_DATA_PFN + 1 };
    struct sim_tree t;

    sim_init();
    sim_switch(1);
    sim_build_tree(1, &t, 3, data, 2);
    CHECK_RC(sim_pin(4, t.l4), 0);
    CHECK_RC(sim_ext1(MMUEXT_NEW_USER_BASEPTR, mfn_x(t.l4), 0), 0);
    sim_log_clear();
    CHECK_U(pt_dump_domain(sim_d(1)), 8);
    CHECK_DUMP("table L4 gfn=%#lx mfn=%#lx tc=", mfn_x(t.l4), mfn_x(t.l4));
    CHECK_DUMP("mfn=%#lx tc=2 pinned=1 state=validated roots=ucr3.v0\n", mfn_x(t.l4));
    CHECK_DUMP(" e 0x003 gfn=%#lx mfn=%#lx type=L3 flags=RW,U\n", mfn_x(t.l3), mfn_x(t.l3));
    CHECK_DUMP("table L2 gfn=%#lx mfn=%#lx tc=1 pinned=0", mfn_x(t.l2), mfn_x(t.l2));
    /* The new L1 maps the two data pages RW: their type is writable. */
    CHECK_DUMP("table L1 gfn=%#lx mfn=%#lx tc=1 pinned=0 state=validated roots=-\n"
               " e 0x000-0x001 gfn=%#lx-%#lx mfn=%#lx-%#lx type=writable flags=RW",
               mfn_x(t.l1), mfn_x(t.l1), mfn_x(sim_mfn(1, SIM_DATA_PFN)),
               mfn_x(sim_mfn(1, SIM_DATA_PFN + 1)), mfn_x(sim_mfn(1, SIM_DATA_PFN)),
               mfn_x(sim_mfn(1, SIM_DATA_PFN + 1)));
    return NULL;
}

/* Dumping and counting change nothing in the frame table. */
static const char *t_dump_reads_only(void)
{
    static struct page_info before[SIM_FRAMES];

    sim_init();
    memcpy(before, host_frame_table, sizeof(before));
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        pt_dump_domain(sim_d(i));
    frame_census();
    CHECK(memcmp(before, host_frame_table, sizeof(before)) == 0);
    return NULL;
}

/* The census: each domain's frames by type, its pins, free frames. */
static const char *t_census(void)
{
    sim_init();
    sim_log_clear();
    frame_census();
    /* A domain owns its tot_pages plus the shared_info page, a hypervisor
     * page shared with it (as Xen's share_xen_page_with_guest). */
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        CHECK_DUMP("frames owner=d%u total=%lu none=", i, sim_d(i)->tot_pages + 1);
    /* Its 256 mapped pfns: 4 tables and 252 data pages mapped RW (writable
     * type); shared_info is used as nothing. */
    CHECK_DUMP("frames owner=d1 total=%u none=1 L1=1 L2=1 L3=1 L4=1 seg_desc=0 shared=0 "
               "writable=%u pinned=1\n", SIM_DOM_PAGES + 1, SIM_DOM_PAGES - 4);
    CHECK_DUMP("frames owner=free total=");
    CHECK_DUMP("frames ram=");
    CHECK_DUMP(" max_page=%u\n", SIM_FRAMES);
    return NULL;
}

static const struct test tests[] = {
    { t_dump_bootstrap, "pt_dump: the bootstrap tree, roles and read-only table frames" },
    { t_dump_runs, "pt_dump: consecutive entries become one line of ranges" },
    { t_dump_guest_tree, "pt_dump: a guest-built tree, pinned and loaded as user base" },
    { t_dump_reads_only, "pt_dump and frame_census change nothing" },
    { t_census, "frame_census: frames by owner and type" },
};

DEFINE_SUITE(mmu_dump_suite, "mmu-dump", tests);
