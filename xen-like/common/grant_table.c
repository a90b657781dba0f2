/*
 * grant_table.c - grant tables: the per-domain table, the maptrack, and
 * the grant_table_op hypercall (docs/grants.md).  Versions and v2 status
 * frames are in grant_v2.c.
 *
 * The table grows on demand (setup_table) up to Xen 4.17's default of 64
 * frames of 512 v1 (256 v2) entries; a domain that never asked has one frame's
 * worth of entries, all zero, as on Xen.  Each shared frame comes with one
 * hypervisor-private frame of active entries.  The maptrack grows a frame
 * of 256 handles at a time, up to 1024 frames.  Freed handles go to the
 * tail of the free list, so a handle is not reused at once (as Xen does).
 *
 * Return values, as Xen's do_grant_table_op: the hypercall returns 0 or a
 * -errno for a bad argument (a negative count, an unknown command, an
 * unreadable array); each map/unmap/copy op gets its own GNTST_* status.
 * Long batches stop between ops and continue with the rest of the array.
 */
#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"

#define GNTTABOP_CMD_MASK 0xfffU     /* Xen: the rest is a continuation argument */

unsigned int nr_grant_entries(const struct grant_table *gt)
{
    unsigned int frames = gt->nr_frames ? gt->nr_frames : 1;

    return frames * (unsigned int)(gnttab_is_v2(gt) ? GNTTAB_V2_PER_FRAME
                                                    : GNTTAB_ENTRIES_PER_FRAME);
}

struct grant_entry_v1 *shared_entry(const struct grant_table *gt, uint32_t ref)
{
    uint32_t f = ref / GNTTAB_ENTRIES_PER_FRAME;

    if ( gnttab_is_v2(gt) || gt->released || f >= gt->nr_frames )
        return NULL;                    /* never set up (or gone): reads as zero */
    return (struct grant_entry_v1 *)mfn_to_virt(gt->shared[f]) +
           ref % GNTTAB_ENTRIES_PER_FRAME;
}

struct active_grant_entry *active_entry(const struct grant_table *gt, uint32_t ref)
{
    uint32_t f = ref / GNTTAB_ACTIVE_PER_FRAME;

    if ( ref / GNTTAB_ENTRIES_PER_FRAME >= gt->nr_frames )
        return NULL;
    return (struct active_grant_entry *)mfn_to_virt(gt->active[f]) +
           ref % GNTTAB_ACTIVE_PER_FRAME;
}

struct grant_mapping *maptrack_entry(const struct grant_table *gt, uint32_t handle)
{
    return (struct grant_mapping *)mfn_to_virt(gt->maptrack[handle / MAPTRACK_PER_FRAME]) +
           handle % MAPTRACK_PER_FRAME;
}

/* Grow d's table to nr frames: a shared frame (d's, writable by d) and an
 * active frame (the hypervisor's) each; for v2 the status frames too. */
int gnttab_grow_table(struct domain *d, unsigned int nr)
{
    struct grant_table *gt = &d->grant_table;

    while ( gt->nr_frames < nr )
    {
        mfn_t s = alloc_xenheap_mfn(), a = alloc_xenheap_mfn();
        struct page_info *pg;

        if ( mfn_eq(s, INVALID_MFN) || mfn_eq(a, INVALID_MFN) )
        {
            free_xenheap_mfn(s);
            free_xenheap_mfn(a);
            return -XEN_ENOMEM;
        }
        /* Xen's share_xen_page_with_guest(SHARE_rw): owned by d, and a
         * writable type reference for as long as the table lives, so the
         * frame can never be validated as a page table. */
        pg = mfn_to_page(s);
        pg->owner = d->domain_id;
        pg->type_info = PGT_writable_page | PGT_validated | 1;
        gt->shared[gt->nr_frames] = s;
        gt->active[gt->nr_frames] = a;
        gt->nr_frames++;
    }
    return gnttab_is_v2(gt) ? gnttab_populate_status_frames(d, nr) : 0;
}

uint32_t get_maptrack_handle(struct grant_table *gt)
{
    struct grant_mapping *map;
    uint32_t h;

    if ( !gt->maptrack_frames || gt->maptrack_free == MAPTRACK_END )
    {
        mfn_t m;
        uint32_t base = maptrack_limit(gt);

        if ( gt->maptrack_frames >= GNTTAB_MAX_MAPTRACK_FRAMES ||
             mfn_eq(m = alloc_xenheap_mfn(), INVALID_MFN) )
            return MAPTRACK_END;
        gt->maptrack[gt->maptrack_frames++] = m;
        for ( uint32_t i = 0; i < MAPTRACK_PER_FRAME; i++ )
            maptrack_entry(gt, base + i)->next_free =
                i + 1 < MAPTRACK_PER_FRAME ? base + i + 1 : MAPTRACK_END;
        gt->maptrack_free = base;
        gt->maptrack_tail = base + (uint32_t)MAPTRACK_PER_FRAME - 1;
    }
    h = gt->maptrack_free;
    map = maptrack_entry(gt, h);
    gt->maptrack_free = map->next_free;
    map->next_free = MAPTRACK_END;
    return h;
}

void put_maptrack_handle(struct grant_table *gt, uint32_t handle)
{
    struct grant_mapping *map = maptrack_entry(gt, handle);

    map->flags = 0;
    map->next_free = MAPTRACK_END;
    if ( gt->maptrack_free == MAPTRACK_END )
        gt->maptrack_free = handle;
    else
        maptrack_entry(gt, gt->maptrack_tail)->next_free = handle;
    gt->maptrack_tail = handle;
}

/* Free the active frames of a dead granter once nobody has a pin. */
static void gnttab_free_active(struct grant_table *gt)
{
    for ( unsigned int i = 0; i < gt->nr_frames; i++ )
        free_xenheap_mfn(gt->active[i]);
    gt->nr_frames = 0;
}

void gnttab_drop_pin(struct domain *rd, uint32_t ref, bool readonly)
{
    struct grant_table *gt = &rd->grant_table;
    struct active_grant_entry *act = active_entry(gt, ref);

    if ( readonly )
        act->hstr--;
    else
        act->hstw--;
    if ( !readonly && !act->hstw )
        gnttab_clear_status(gt, ref, GTF_writing);
    if ( !act->hstr && !act->hstw )
        gnttab_clear_status(gt, ref, GTF_reading);
    if ( !act->hstr && !act->hstw )
    {
        gt->nr_pinned--;
        if ( gt->released && !gt->nr_pinned )
            gnttab_free_active(gt);
    }
}

void gnttab_release_frames(struct domain *d)
{
    struct grant_table *gt = &d->grant_table;

    if ( gt->released )
        return;
    /* The permanent writable type references go; PGC_allocated goes with
     * the rest of d's frames, and a frame someone still maps stays until
     * that mapping goes (its general reference). */
    for ( unsigned int i = 0; i < gt->nr_frames; i++ )
        put_page_type(mfn_to_page(gt->shared[i]));
    for ( unsigned int i = 0; i < gt->nr_status_frames; i++ )
        put_page_type(mfn_to_page(gt->status[i]));
    gt->nr_status_frames = 0;           /* freed with d's frames, as the shared ones */
    gt->released = true;
    if ( !gt->nr_pinned )
        gnttab_free_active(gt);
}

/* The domain named by a grant op: DOMID_SELF or a live domain (else NULL). */
struct domain *gnttab_domain(domid_t id)
{
    struct domain *d = id == DOMID_SELF ? current->domain : get_domain_by_id(id);

    return d && d->state != DOMAIN_DEAD ? d : NULL;
}

bool gnttab_may_control(const struct domain *d)
{
    return d == current->domain || current->domain->is_privileged;
}

static long gnttab_setup_table(unsigned long uop, unsigned int count)
{
    struct gnttab_setup_table op;
    struct domain *d;

    if ( count != 1 )
        return -XEN_EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -XEN_EFAULT;
    /* Like Xen's guest_handle_okay(): only where the list starts; each
     * frame number is copied out on its own below. */
    if ( !guest_range_ok((unsigned long)op.frame_list.p, 0) )
        return -XEN_EFAULT;
    if ( !(d = gnttab_domain(op.dom)) )
        op.status = GNTST_bad_domain;
    else if ( !gnttab_may_control(d) )
        op.status = GNTST_permission_denied;
    else if ( op.nr_frames > GNTTAB_MAX_FRAMES )
    {
        gprintk(current->domain, XENLOG_G_INFO "grant: d%u is limited to %u grant-table "
                "frames -> GNTST_general_error\n", d->domain_id, GNTTAB_MAX_FRAMES);
        op.status = GNTST_general_error;
    }
    else if ( gnttab_grow_table(d, op.nr_frames) )
    {
        gprintk(current->domain, XENLOG_G_INFO "grant: growing d%u's table to %u frames "
                "failed -> GNTST_general_error\n", d->domain_id, op.nr_frames);
        op.status = GNTST_general_error;
    }
    else
    {
        op.status = GNTST_okay;
        for ( unsigned int i = 0; i < op.nr_frames; i++ )
        {
            xen_pfn_t f = mfn_x(d->grant_table.shared[i]);

            if ( copy_to_guest((unsigned long)(op.frame_list.p + i), &f, sizeof(f)) )
                op.status = GNTST_bad_virt_addr;
        }
    }
    if ( copy_to_guest(uop + offsetof(struct gnttab_setup_table, status), &op.status,
                       sizeof(op.status)) )
        return -XEN_EFAULT;
    return 0;
}

static long gnttab_query_size(unsigned long uop, unsigned int count)
{
    struct gnttab_query_size op;
    struct domain *d;

    if ( count != 1 )
        return -XEN_EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -XEN_EFAULT;
    if ( !(d = gnttab_domain(op.dom)) )
        op.status = GNTST_bad_domain;
    else if ( !gnttab_may_control(d) )
        op.status = GNTST_permission_denied;
    else
    {
        op.nr_frames = d->grant_table.nr_frames ? d->grant_table.nr_frames : 1;
        op.max_nr_frames = GNTTAB_MAX_FRAMES;
        op.status = GNTST_okay;
    }
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long gnttab_get_version(unsigned long uop)
{
    struct gnttab_get_version op;
    struct domain *d;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -XEN_EFAULT;
    if ( !(d = gnttab_domain(op.dom)) )
        return -XEN_ESRCH;
    if ( !gnttab_may_control(d) )
        return -XEN_EPERM;
    op.version = gnttab_is_v2(&d->grant_table) ? 2 : 1;
    if ( copy_to_guest(uop + offsetof(struct gnttab_get_version, version), &op.version,
                       sizeof(op.version)) )
        return -XEN_EFAULT;
    return 0;
}

/*
 * map, unmap and copy: an array of ops, each with its own status.  Returns
 * how many were done before a preemption (a continuation then carries the
 * rest), 0 when all were, or -EFAULT.
 */
static long gnttab_batch(unsigned int cmd, unsigned long uop, unsigned int count)
{
    union {
        struct gnttab_map_grant_ref map;
        struct gnttab_unmap_grant_ref unmap;
        struct gnttab_copy copy;
    } op;
    size_t size = cmd == GNTTABOP_map_grant_ref ? sizeof(op.map)
                  : cmd == GNTTABOP_unmap_grant_ref ? sizeof(op.unmap) : sizeof(op.copy);

    if ( !guest_range_ok(uop, (size_t)count * size) )
        return -XEN_EFAULT;
    for ( unsigned int i = 0; i < count; i++, uop += size )
    {
        if ( i && hypercall_preempt_check() )
            return i;
        if ( copy_from_guest(&op, uop, size) )
            return -XEN_EFAULT;
        switch ( cmd )
        {
        case GNTTABOP_map_grant_ref:
            gnttab_map_one(&op.map);
            if ( copy_to_guest(uop, &op.map, size) )
                return -XEN_EFAULT;
            break;
        case GNTTABOP_unmap_grant_ref:
            gnttab_unmap_one(&op.unmap);
            if ( copy_to_guest(uop + offsetof(struct gnttab_unmap_grant_ref, status),
                               &op.unmap.status, sizeof(op.unmap.status)) )
                return -XEN_EFAULT;
            break;
        default:
            gnttab_copy_one(&op.copy);
            if ( copy_to_guest(uop + offsetof(struct gnttab_copy, status),
                               &op.copy.status, sizeof(op.copy.status)) )
                return -XEN_EFAULT;
        }
    }
    return 0;
}

long do_grant_table_op(unsigned long cmd_arg, unsigned long uop, unsigned long count_arg)
{
    unsigned int cmd = (unsigned int)cmd_arg, count = (unsigned int)count_arg;
    long rc;

    if ( (int)count < 0 )
        return -XEN_EINVAL;
    if ( cmd & ~GNTTABOP_CMD_MASK )
        return -XEN_EINVAL;          /* no command here takes a continuation argument */
    switch ( cmd )
    {
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_copy:
        rc = gnttab_batch(cmd, uop, count);
        if ( rc > 0 )
        {
            size_t size = cmd == GNTTABOP_map_grant_ref ? sizeof(struct gnttab_map_grant_ref)
                          : cmd == GNTTABOP_unmap_grant_ref
                              ? sizeof(struct gnttab_unmap_grant_ref)
                              : sizeof(struct gnttab_copy);

            return hypercall_create_continuation(__HYPERVISOR_grant_table_op, 3, cmd,
                                                 uop + (unsigned long)rc * size,
                                                 count - (unsigned long)rc, 0, 0);
        }
        return rc;
    case GNTTABOP_setup_table:
        return gnttab_setup_table(uop, count);
    case GNTTABOP_query_size:
        return gnttab_query_size(uop, count);
    case GNTTABOP_set_version:
        return gnttab_set_version(uop);
    case GNTTABOP_get_version:
        return gnttab_get_version(uop);
    case GNTTABOP_get_status_frames:
        return gnttab_get_status_frames(uop, count);
    default:
        /* transfer, unmap_and_replace, swap, cache_flush */
        return -XEN_ENOSYS;
    }
}
