/*
 * gnt_helpers.h - grant-table shorthands for tests/host/test-mmu-grant*.c.
 * Every call goes through do_grant_table_op as the guest would issue it.
 */
#ifndef TESTS_HOST_GNT_HELPERS_H
#define TESTS_HOST_GNT_HELPERS_H

#include "sim.h"
#include "grant_table.h"

static inline long gnt_op(unsigned int cmd, void *uop, unsigned int count)
{
    return sim_hc(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop, count, 0, 0);
}

/* setup_table for DOMID_SELF as dom: frames in f (up to 8). */
static inline int16_t gnt_setup(unsigned int dom, unsigned int nr, xen_pfn_t *f)
{
    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = nr };

    sim_switch(dom);
    set_xen_guest_handle(op.frame_list, f);
    if ( gnt_op(GNTTABOP_setup_table, &op, 1) )
        return 99;
    return op.status;
}

/* dom's grant entry ref: a plain store into its (RW-shared) table frame,
 * as a v1 or v2 entry (full page) as its table is. */
static inline void gnt_grant(unsigned int dom, uint32_t ref, domid_t to, mfn_t frame,
                             uint16_t flags)
{
    const struct grant_table *gt = &sim_d(dom)->grant_table;

    if ( gnttab_is_v2(gt) )
    {
        union grant_entry_v2 *e = shared_entry_v2(gt, ref);

        e->hdr.domid = to;
        e->full_page.frame = mfn_x(frame);
        e->hdr.flags = flags;
        return;
    }
    struct grant_entry_v1 *e = shared_entry(gt, ref);

    e->domid = to;
    e->frame = (uint32_t)mfn_x(frame);
    e->flags = flags;
}

/* The entry's flags with GTF_reading/GTF_writing, wherever they live. */
static inline uint16_t gnt_flags(unsigned int dom, uint32_t ref)
{
    const struct grant_table *gt = &sim_d(dom)->grant_table;

    if ( gnttab_is_v2(gt) )
        return shared_entry_v2(gt, ref)->hdr.flags | *status_entry(gt, ref);
    return shared_entry(gt, ref)->flags;
}

/* As the current domain: set_version; *now gets the version answered. */
static inline long gnt_version(unsigned int dom, uint32_t v, uint32_t *now)
{
    struct gnttab_set_version op = { .version = v };
    long rc;

    sim_switch(dom);
    rc = gnt_op(GNTTABOP_set_version, &op, 1);
    if ( now )
        *now = op.version;
    return rc;
}

/* As dom: map (rd, ref); returns the status, *h the handle. */
static inline int16_t gnt_map(unsigned int dom, domid_t rd, uint32_t ref, uint32_t flags,
                              uint64_t addr, uint32_t *h)
{
    struct gnttab_map_grant_ref op = { .host_addr = addr, .flags = flags, .ref = ref,
                                       .dom = rd, .status = 77, .handle = ~0u };

    sim_switch(dom);
    if ( gnt_op(GNTTABOP_map_grant_ref, &op, 1) )
        return 99;
    if ( h )
        *h = op.handle;
    return op.status;
}

static inline int16_t gnt_unmap(unsigned int dom, uint32_t h, uint64_t addr)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = addr, .handle = h, .status = 77 };

    sim_switch(dom);
    if ( gnt_op(GNTTABOP_unmap_grant_ref, &op, 1) )
        return 99;
    return op.status;
}

/* After d1 and d2 are gone: NULL if no frame of theirs is left allocated,
 * else a failure naming the first one. */
static inline const char *gnt_frames_left(void)
{
    for ( unsigned long m = 0; m < max_page; m++ )
        if ( !(frame_table[m].count_info & PGC_free) &&
             (frame_table[m].owner == 1 || frame_table[m].owner == 2) )
            return test_failf("mfn %#lx of d%u left: count_info %#lx type_info %#lx", m,
                              frame_table[m].owner, frame_table[m].count_info,
                              frame_table[m].type_info);
    return NULL;
}

/* The auditor must agree after every step. */
#define CHECK_AUDIT()                                                       \
    do {                                                                    \
        char why_[256];                                                     \
        if ( mmu_audit(why_, sizeof(why_)) )                                \
            return test_failf("%s:%d: audit: %s", __FILE__, __LINE__, why_); \
    } while ( 0 )

#define GNT_VA(k)  SIM_SLOT_VA(k)
#define GNT_L1E(dom, k) (sim_table(sim_sd(dom)->l1)[256 + (k)])
#define GNT_RW (GNTMAP_host_map)
#define GNT_RO (GNTMAP_host_map | GNTMAP_readonly)

#endif
