/*
 * grant_v2.c - grant-table versions (docs/grants.md, "Version 2").
 *
 * A table is version 1 (8-byte struct grant_entry_v1, 512 per frame, the
 * GTF_reading/GTF_writing bits in the entry's own flags) or, after
 * GNTTABOP_set_version(2), version 2 (16-byte union grant_entry_v2, 256
 * per frame, a 64-bit frame, sub-page grants) with the status bits moved
 * to separate *status frames*: one uint16_t per entry, 2048 per frame,
 * ceil(grant frames / 8) of them.  Status frames are shared with the
 * domain as the grant frames are (Xen's share_xen_page_with_guest
 * SHARE_rw: owned by it, one permanent writable type reference); the
 * guest finds them with GNTTABOP_get_status_frames.
 *
 * set_version, as Xen 4.17's gnttab_set_version:
 *   - version other than 1 or 2: -EINVAL; the same version: 0;
 *   - any entry from 8 up pinned (mapped): -EBUSY.  Entries 0..7, the
 *     toolstack's reserved grants, may stay in use and are carried over,
 *     converted; every other entry is cleared;
 *   - v2 -> v1 with a reserved entry v1 cannot express (a transitive grant,
 *     a frame above 2^32): -ERANGE;
 *   - v2 -> v1 while a status frame holds any reference beyond its own
 *     (the guest still maps it): -EBUSY and the table stays v2 (XSA-255:
 *     Xen once freed status frames still mapped).  Unlike Xen, which drops
 *     the frame's allocation reference before it looks, nothing changes
 *     here on the refusal.
 * The answer always carries the version in force.
 */
#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "guest_access.h"
#include "lib.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"

union grant_entry_v2 *shared_entry_v2(const struct grant_table *gt, uint32_t ref)
{
    uint32_t f = ref / GNTTAB_V2_PER_FRAME;

    if ( !gnttab_is_v2(gt) || gt->released || f >= gt->nr_frames )
        return NULL;
    return (union grant_entry_v2 *)mfn_to_virt(gt->shared[f]) + ref % GNTTAB_V2_PER_FRAME;
}

grant_status_t *status_entry(const struct grant_table *gt, uint32_t ref)
{
    uint32_t f = ref / GNTTAB_STATUS_PER_FRAME;

    if ( gt->released || f >= gt->nr_status_frames )
        return NULL;
    return (grant_status_t *)mfn_to_virt(gt->status[f]) + ref % GNTTAB_STATUS_PER_FRAME;
}

bool gnttab_read_entry(const struct grant_table *gt, uint32_t ref, struct grant_view *e)
{
    if ( gnttab_is_v2(gt) )
    {
        const union grant_entry_v2 *sha = shared_entry_v2(gt, ref);

        if ( !sha )
            return false;
        e->flags = sha->hdr.flags;
        e->domid = sha->hdr.domid;
        e->frame = sha->full_page.frame;
        e->page_off = (e->flags & GTF_sub_page) ? sha->sub_page.page_off : 0;
        e->length = (e->flags & GTF_sub_page) ? sha->sub_page.length : PAGE_SIZE;
    }
    else
    {
        const struct grant_entry_v1 *sha = shared_entry(gt, ref);

        if ( !sha )
            return false;
        e->flags = sha->flags;
        e->domid = sha->domid;
        e->frame = sha->frame;
        e->page_off = 0;
        e->length = PAGE_SIZE;
    }
    return true;
}

uint16_t gnttab_status(const struct grant_table *gt, uint32_t ref)
{
    const grant_status_t *st = gnttab_is_v2(gt) ? status_entry(gt, ref) : NULL;
    const struct grant_entry_v1 *sha = gnttab_is_v2(gt) ? NULL : shared_entry(gt, ref);

    return (uint16_t)((st ? *st : sha ? sha->flags : 0) & (GTF_reading | GTF_writing));
}

void gnttab_set_status(const struct grant_table *gt, uint32_t ref, uint16_t bits)
{
    grant_status_t *st = gnttab_is_v2(gt) ? status_entry(gt, ref) : NULL;
    struct grant_entry_v1 *sha = gnttab_is_v2(gt) ? NULL : shared_entry(gt, ref);

    if ( st )
        *st |= bits;
    else if ( sha )
        sha->flags |= bits;
}

void gnttab_clear_status(const struct grant_table *gt, uint32_t ref, uint16_t bits)
{
    grant_status_t *st = gnttab_is_v2(gt) ? status_entry(gt, ref) : NULL;
    struct grant_entry_v1 *sha = gnttab_is_v2(gt) ? NULL : shared_entry(gt, ref);

    if ( st )
        *st &= (uint16_t)~bits;
    else if ( sha )
        sha->flags &= (uint16_t)~bits;
}

/* Xen's grant_to_status_frames. */
static unsigned int status_frames_for(unsigned int grant_frames)
{
    return (unsigned int)((grant_frames * GNTTAB_V2_PER_FRAME + GNTTAB_STATUS_PER_FRAME - 1) /
                          GNTTAB_STATUS_PER_FRAME);
}

int gnttab_populate_status_frames(struct domain *d, unsigned int grant_frames)
{
    struct grant_table *gt = &d->grant_table;
    unsigned int want = status_frames_for(grant_frames);

    while ( gt->nr_status_frames < want )
    {
        mfn_t s = alloc_xenheap_mfn();
        struct page_info *pg;

        if ( mfn_eq(s, INVALID_MFN) )
            return -XEN_ENOMEM;
        /* Shared as the grant frames are: d's, one permanent writable type
         * reference (SHARE_rw), so never a page table. */
        pg = mfn_to_page(s);
        pg->owner = d->domain_id;
        pg->type_info = PGT_writable_page | PGT_validated | 1;
        gt->status[gt->nr_status_frames++] = s;
    }
    return 0;
}

/* XSA-255: free the status frames only if nothing but their own
 * references holds them; else -EBUSY and nothing changes. */
static int gnttab_unpopulate_status_frames(struct domain *d)
{
    struct grant_table *gt = &d->grant_table;

    for ( unsigned int i = 0; i < gt->nr_status_frames; i++ )
    {
        const struct page_info *pg = mfn_to_page(gt->status[i]);

        if ( (pg->count_info & PGC_count_mask) != 1 || (pg->type_info & PGT_count_mask) != 1 )
        {
            gprintk(d, XENLOG_G_WARNING "grant: set_version(1): d%u's status frame %u "
                    "(mfn %#lx) is still referenced (mapped?) (XSA-255) -> -EBUSY\n",
                    d->domain_id, i, mfn_x(gt->status[i]));
            return -XEN_EBUSY;
        }
    }
    for ( unsigned int i = 0; i < gt->nr_status_frames; i++ )
        free_xenheap_mfn(gt->status[i]);
    gt->nr_status_frames = 0;
    return 0;
}

static int gnttab_switch_version(struct domain *d, unsigned int to)
{
    struct grant_table *gt = &d->grant_table;
    struct grant_entry_v1 keep[GNTTAB_NR_RESERVED_ENTRIES];
    unsigned int nr = nr_grant_entries(gt);
    int rc;

    for ( uint32_t ref = GNTTAB_NR_RESERVED_ENTRIES; ref < nr; ref++ )
    {
        const struct active_grant_entry *act = active_entry(gt, ref);

        if ( act && (act->hstr || act->hstw) )
        {
            gprintk(d, XENLOG_G_WARNING "grant: set_version(%u): d%u ref %#x is still in "
                    "use -> -EBUSY\n", to, d->domain_id, ref);
            return -XEN_EBUSY;
        }
    }
    /* The reserved entries, as v1 entries (v1 flags carry the status). */
    memset(keep, 0, sizeof(keep));
    for ( uint32_t ref = 0; ref < GNTTAB_NR_RESERVED_ENTRIES; ref++ )
    {
        struct grant_view e;

        if ( !gnttab_read_entry(gt, ref, &e) )
            continue;
        if ( !gnttab_is_v2(gt) )
        {
            keep[ref] = *shared_entry(gt, ref);
            continue;
        }
        if ( (e.flags & GTF_type_mask) == GTF_transitive ||
             ((e.flags & GTF_type_mask) == GTF_permit_access && (e.frame >> 32)) )
        {
            gprintk(d, XENLOG_G_WARNING "grant: set_version(1): d%u reserved ref %u "
                    "cannot be a v1 entry -> -ERANGE\n", d->domain_id, ref);
            return -XEN_ERANGE;
        }
        if ( (e.flags & GTF_type_mask) != GTF_permit_access )
            continue;                       /* Xen: anything else becomes invalid */
        keep[ref].flags = (uint16_t)(e.flags | gnttab_status(gt, ref));
        keep[ref].domid = e.domid;
        keep[ref].frame = (uint32_t)e.frame;
    }
    if ( to == 2 )
        rc = gnttab_populate_status_frames(d, gt->nr_frames ? gt->nr_frames : 1);
    else
        rc = gnttab_unpopulate_status_frames(d);
    if ( rc )
        return rc;
    for ( unsigned int f = 0; f < gt->nr_frames; f++ )
        memset(mfn_to_virt(gt->shared[f]), 0, PAGE_SIZE);
    for ( unsigned int f = 0; f < gt->nr_status_frames; f++ )
        memset(mfn_to_virt(gt->status[f]), 0, PAGE_SIZE);
    gt->version = (uint8_t)to;
    for ( uint32_t ref = 0; ref < GNTTAB_NR_RESERVED_ENTRIES; ref++ )
    {
        union grant_entry_v2 *sha2 = shared_entry_v2(gt, ref);
        struct grant_entry_v1 *sha1 = shared_entry(gt, ref);

        if ( sha1 )
            *sha1 = keep[ref];
        if ( !sha2 )
            continue;
        sha2->hdr.flags = keep[ref].flags & (uint16_t)~(GTF_reading | GTF_writing);
        sha2->hdr.domid = keep[ref].domid;
        sha2->full_page.frame = keep[ref].frame;
        gnttab_set_status(gt, ref, keep[ref].flags & (GTF_reading | GTF_writing));
    }
    return 0;
}

long gnttab_set_version(unsigned long uop)
{
    struct gnttab_set_version op;
    struct domain *d = current->domain;
    long rc = 0;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -XEN_EFAULT;
    if ( op.version != 1 && op.version != 2 )
        rc = -XEN_EINVAL;
    else if ( op.version != (gnttab_is_v2(&d->grant_table) ? 2u : 1u) )
        rc = gnttab_switch_version(d, op.version);
    op.version = gnttab_is_v2(&d->grant_table) ? 2 : 1;
    return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

/* GNTTABOP_get_status_frames: a version-1 table has none. */
long gnttab_get_status_frames(unsigned long uop, unsigned int count)
{
    struct gnttab_get_status_frames op;
    struct domain *d;

    if ( count != 1 )
        return -XEN_EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -XEN_EFAULT;
    if ( !guest_range_ok((unsigned long)op.frame_list.p, (size_t)op.nr_frames * sizeof(uint64_t)) )
        return -XEN_EFAULT;
    if ( !(d = gnttab_domain(op.dom)) )
        op.status = GNTST_bad_domain;
    else if ( !gnttab_may_control(d) )
        op.status = GNTST_permission_denied;
    else if ( op.nr_frames > d->grant_table.nr_status_frames )
    {
        gprintk(current->domain, XENLOG_G_INFO "grant: get_status_frames: d%u has %u "
                "status frames, not %u -> GNTST_general_error\n", d->domain_id,
                d->grant_table.nr_status_frames, op.nr_frames);
        op.status = GNTST_general_error;
    }
    else
    {
        op.status = GNTST_okay;
        for ( unsigned int i = 0; i < op.nr_frames; i++ )
        {
            uint64_t f = mfn_x(d->grant_table.status[i]);

            if ( copy_to_guest((unsigned long)(op.frame_list.p + i), &f, sizeof(f)) )
                op.status = GNTST_bad_virt_addr;
        }
    }
    if ( copy_to_guest(uop + offsetof(struct gnttab_get_status_frames, status), &op.status,
                       sizeof(op.status)) )
        return -XEN_EFAULT;
    return 0;
}
