/*
 * fuzz-mmu-grant.h - the grant operations of tests/host/fuzz-mmu.c, which
 * includes this file after its input reader and value pickers (u8, pick_mfn,
 * pick_slot, pick_va, gf, issue, audit): a separate file only to keep each
 * under ~400 lines.
 */
#ifndef TESTS_HOST_FUZZ_MMU_GRANT_H
#define TESTS_HOST_FUZZ_MMU_GRANT_H

#include "grant_table.h"

/*
 * Grant operations (grant_table_op) between the domains: setup, the
 * granter's own stores into its grant entries, map RO/RW by VA or by PTE
 * address, unmap with recorded or bogus handles and addresses, copy.
 */
static struct { uint32_t h; uint64_t addr; unsigned int dom; } gmaps[8];
static unsigned int nr_gmaps;

static uint32_t pick_ref(void)
{
    uint8_t b = u8();

    switch ( b % 4 )
    {
    case 0: return b >> 2;                                    /* 0..63 */
    case 1: return 512 + (b >> 2);                            /* second frame */
    case 2: return u16();
    default: return (b >> 2) % 4;
    }
}

static domid_t pick_dom(void)
{
    uint8_t b = u8();

    return b % 8 == 7 ? (b & 8 ? DOMID_SELF : 9) : (domid_t)(b % SIM_NR_DOMS);
}

static uint64_t pick_gaddr(uint32_t flags)
{
    if ( flags & GNTMAP_contains_pte )
        return sim_entry_ma(pick_mfn(), pick_slot()) + (u8() % 16 == 0 ? 4 : 0);
    return pick_va();
}

static void build_gnt_map(struct gnttab_map_grant_ref *op)
{
    static const uint32_t fl[] = {
        GNTMAP_host_map, GNTMAP_host_map | GNTMAP_readonly,
        GNTMAP_host_map | GNTMAP_contains_pte,
        GNTMAP_host_map | GNTMAP_readonly | GNTMAP_contains_pte,
        GNTMAP_host_map | GNTMAP_application_map, 0, GNTMAP_device_map,
    };
    uint8_t b = u8();

    memset(op, 0, sizeof(*op));
    op->flags = b < 224 ? fl[b % 7] : ((uint32_t)u16() << 8 | u8()) | GNTMAP_host_map;
    op->ref = pick_ref();
    op->dom = pick_dom();
    op->host_addr = pick_gaddr(op->flags);
}

static void grant_op(void)
{
    static union {
        struct gnttab_map_grant_ref map[3];
        struct gnttab_unmap_grant_ref unmap[3];
        struct gnttab_copy copy[3];
        struct gnttab_setup_table setup;
        struct gnttab_query_size query;
        struct gnttab_set_version ver;
        struct gnttab_get_status_frames status;
    } u;
    static xen_pfn_t frames[4];
    static uint64_t status_frames[2];
    uint8_t k = u8();
    unsigned int n = u8() % 3 + 1, cmd;

    memset(&u, 0, sizeof(u));
    switch ( k % 8 )
    {
    case 0:                                     /* setup_table */
        u.setup.dom = u8() % 4 ? DOMID_SELF : pick_dom();
        u.setup.nr_frames = u8() % 16 == 0 ? 65 : u8() % 3;
        set_xen_guest_handle(u.setup.frame_list, u8() % 16 ? frames : (xen_pfn_t *)SIM_BAD_PTR);
        cmd = GNTTABOP_setup_table;
        n = 1;
        break;
    case 1: case 2:
    {
        /* 1: the current domain writes one of its entries, for anyone;
         * 2: another domain writes one for the current domain (a frame
         * picked as that domain would), so that maps can succeed. */
        unsigned int me = cur_dom, granter = k % 8 == 2 ? (cur_dom + 1 + (k >> 7)) % SIM_NR_DOMS
                                                        : cur_dom;
        const struct grant_table *gt = &sim_d(granter)->grant_table;
        uint32_t ref = pick_ref();
        struct grant_entry_v1 *e = shared_entry(gt, ref);
        union grant_entry_v2 *e2 = shared_entry_v2(gt, ref);   /* a v2 table */
        static const uint16_t gflags[] = {
            GTF_permit_access, GTF_permit_access | GTF_readonly, GTF_invalid,
            GTF_permit_access | GTF_sub_page, GTF_accept_transfer, GTF_transitive,
        };
        uint8_t b = u8();
        uint64_t frame;
        domid_t to = granter == me ? pick_dom() : (domid_t)me;
        uint16_t fl = b < 240 ? gflags[b % 6] : u16();

        if ( !e && !e2 )
            return;
        cur_dom = granter;
        frame = mfn_x(gf(pick_mfn()));
        cur_dom = me;
        if ( e2 )
        {
            e2->hdr.domid = to;
            e2->full_page.frame = frame;
            if ( fl & GTF_sub_page )
            {
                e2->sub_page.page_off = u16() % 4200;
                e2->sub_page.length = u16() % 4200;
            }
            e2->hdr.flags = fl;
        }
        else
        {
            e->domid = to;
            e->frame = (uint32_t)frame;
            e->flags = fl;
        }
        audit("grant entry store");
        return;
    }
    case 3: case 4:
        for ( unsigned int i = 0; i < n; i++ )
            build_gnt_map(&u.map[i]);
        cmd = GNTTABOP_map_grant_ref;
        break;
    case 5:
        for ( unsigned int i = 0; i < n; i++ )
        {
            uint8_t b = u8();

            if ( nr_gmaps && b % 4 )
            {
                unsigned int j = b % nr_gmaps;

                u.unmap[i].handle = gmaps[j].h ^ (b % 32 == 1 ? 1 : 0);
                u.unmap[i].host_addr = b % 16 == 2 ? pick_gaddr(u8() & 1 ? 0 : GNTMAP_contains_pte)
                                                   : gmaps[j].addr;
            }
            else
            {
                u.unmap[i].handle = u8() % 2 ? u8() : u16();
                u.unmap[i].host_addr = pick_gaddr(b & 0x80 ? GNTMAP_contains_pte : 0);
            }
            if ( u8() % 16 == 0 )
                u.unmap[i].dev_bus_addr = (uint64_t)u16() << 12;
        }
        cmd = GNTTABOP_unmap_grant_ref;
        break;
    case 6:
        for ( unsigned int i = 0; i < n; i++ )
        {
            struct gnttab_copy *c = &u.copy[i];

            c->flags = u8() % 4;
            c->source.domid = c->flags & GNTCOPY_source_gref ? pick_dom() : DOMID_SELF;
            c->dest.domid = c->flags & GNTCOPY_dest_gref ? pick_dom() : DOMID_SELF;
            if ( c->flags & GNTCOPY_source_gref )
                c->source.u.ref = pick_ref();
            else
                c->source.u.gmfn = mfn_x(gf(pick_mfn()));
            if ( c->flags & GNTCOPY_dest_gref )
                c->dest.u.ref = pick_ref();
            else
                c->dest.u.gmfn = mfn_x(gf(pick_mfn()));
            c->source.offset = u16() % 4200;
            c->dest.offset = u16() % 4200;
            c->len = u16() % 4200;
        }
        cmd = GNTTABOP_copy;
        break;
    default:
    {
        static const unsigned int cmds[] = {
            GNTTABOP_query_size, GNTTABOP_set_version, GNTTABOP_get_version,
            GNTTABOP_transfer, 0x1000, GNTTABOP_set_version, GNTTABOP_get_status_frames,
        };

        cmd = cmds[u8() % 7];
        if ( cmd == GNTTABOP_get_status_frames )
        {
            u.status.dom = u8() % 4 ? DOMID_SELF : pick_dom();
            u.status.nr_frames = u8() % 3;
            set_xen_guest_handle(u.status.frame_list, u8() % 16 ? status_frames
                                                                 : (uint64_t *)SIM_BAD_PTR);
        }
        else
        {
            u.query.dom = pick_dom();
            u.ver.version = u8() % 4;       /* 1 and 2 switch; 0 and 3: -EINVAL */
        }
        n = u8() % 8 ? 1 : 2;
    }
    }
    if ( trace )
        fprintf(stderr, "  grant cmd %u x%u\n", cmd, n);
    issue(__HYPERVISOR_grant_table_op, cmd, (unsigned long)&u, n, 0, "grant_table_op");
    if ( trace )
        for ( unsigned int i = 0; i < n && cmd <= GNTTABOP_copy; i++ )
            fprintf(stderr, "  status[%u] %d\n", i,
                    cmd == GNTTABOP_map_grant_ref ? u.map[i].status
                    : cmd == GNTTABOP_unmap_grant_ref ? u.unmap[i].status
                    : cmd == GNTTABOP_copy ? u.copy[i].status : u.setup.status);
    if ( trace )
    {
        fprintf(stderr, "%s", sim_log());
        sim_log_clear();
    }
    if ( cmd == GNTTABOP_map_grant_ref )
        for ( unsigned int i = 0; i < n; i++ )
            if ( u.map[i].status == GNTST_okay )
            {
                unsigned int j = nr_gmaps < 8 ? nr_gmaps++ : u8() % 8;

                gmaps[j].h = u.map[i].handle;
                gmaps[j].addr = u.map[i].host_addr;
                gmaps[j].dom = cur_dom;
            }
}

#endif
