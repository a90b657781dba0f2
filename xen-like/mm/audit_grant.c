/*
 * audit_grant.c - the auditor's part for grants (mm/audit.c calls it).
 *
 * References a grant explains (docs/grants.md):
 *   - a shared grant-table frame, and a v2 status frame, holds one
 *     writable type reference of its own (gnttab_shared_type_refs), while
 *     its domain lives;
 *   - a host mapping is an L1 entry and is counted as one by audit.c; an
 *     L1 entry of an unprivileged domain naming another domain's frame is
 *     legitimate only if a live maptrack entry of that domain explains it:
 *     same granted frame, and writable only if the mapping is
 *     (gnttab_audit_explains);
 *   - maptrack and active entries hold no frame reference.
 *
 * Checked here (invariant 14 of pvmmu-security.md, "grant PTEs"):
 *   - every shared and status frame of a live table is its domain's
 *     Xen-heap frame, typed writable with at least its own type reference;
 *     only a v2 table has status frames;
 *   - each pinned active entry's read-only / read-write pin counts equal
 *     the live maptrack entries naming it, all held by the domain the entry
 *     is pinned for; no maptrack entry names anything else; nr_pinned is
 *     the number of pinned entries; a live granter still owns each pinned
 *     frame.
 */
#include <stdarg.h>

#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"

static int gfail(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int gfail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    if ( why && len )
    {
        n = (size_t)snprintf(why, len, "invariant 14 (grants): ");
        if ( n < len )
        {
            va_start(ap, fmt);
            vsnprintf(why + n, len - n, fmt, ap);
            va_end(ap);
        }
    }
    return 14;
}

unsigned int gnttab_shared_type_refs(const struct domain *d, mfn_t m)
{
    const struct grant_table *gt = &d->grant_table;

    if ( gt->released )
        return 0;
    for ( unsigned int i = 0; i < gt->nr_frames; i++ )
        if ( mfn_eq(gt->shared[i], m) )
            return 1;
    for ( unsigned int i = 0; i < gt->nr_status_frames; i++ )
        if ( mfn_eq(gt->status[i], m) )
            return 1;
    return 0;
}

bool gnttab_audit_explains(const struct domain *ld, mfn_t m, bool rw)
{
    const struct grant_table *gt = &ld->grant_table;

    for ( uint32_t h = 0; h < maptrack_limit(gt); h++ )
    {
        const struct grant_mapping *map = maptrack_entry(gt, h);
        const struct domain *rd;
        const struct active_grant_entry *act;

        if ( !(map->flags & GNTMAP_host_map) || (rw && (map->flags & GNTMAP_readonly)) ||
             !(rd = get_domain_by_id(map->domid)) ||
             !(act = active_entry(&rd->grant_table, map->ref)) )
            continue;
        if ( act->mfn == mfn_x(m) )
            return true;
    }
    return false;
}

/* The pins of one active entry against ld's maptrack. */
static int audit_pins(const struct domain *rd, uint32_t ref,
                      const struct active_grant_entry *act, char *why, size_t len)
{
    const struct domain *ld = get_domain_by_id(act->domid);
    const struct grant_table *lgt;
    unsigned int ro = 0, rw = 0;

    if ( !ld )
        return gfail(why, len, "d%u ref %#x is pinned by d%u, no domain", rd->domain_id,
                     ref, act->domid);
    lgt = &ld->grant_table;
    for ( uint32_t h = 0; h < maptrack_limit(lgt); h++ )
    {
        const struct grant_mapping *map = maptrack_entry(lgt, h);

        if ( map->flags && map->domid == rd->domain_id && map->ref == ref )
        {
            if ( map->flags & GNTMAP_readonly )
                ro++;
            else
                rw++;
        }
    }
    if ( ro != act->hstr || rw != act->hstw )
        return gfail(why, len, "d%u ref %#x has pins RO %u RW %u but d%u's maptrack "
                     "holds %u RO and %u RW", rd->domain_id, ref, act->hstr, act->hstw,
                     ld->domain_id, ro, rw);
    if ( !rd->grant_table.released && mfn_to_page(_mfn(act->mfn))->owner != rd->domain_id )
        return gfail(why, len, "d%u ref %#x is pinned on mfn %#x, owned by %u",
                     rd->domain_id, ref, act->mfn, mfn_to_page(_mfn(act->mfn))->owner);
    return 0;
}

int gnttab_audit(char *why, size_t len)
{
    unsigned long pins = 0, maps = 0;

    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        const struct domain *d = domain_list(i);
        const struct grant_table *gt;
        unsigned int pinned = 0;
        int rc;

        if ( !d || !d->max_vcpus )
            continue;
        gt = &d->grant_table;
        for ( unsigned int f = 0; f < gt->nr_frames + gt->nr_status_frames && !gt->released;
              f++ )
        {
            bool st = f >= gt->nr_frames;
            mfn_t m = st ? gt->status[f - gt->nr_frames] : gt->shared[f];
            const struct page_info *pg = mfn_to_page(m);

            if ( (pg->count_info & (PGC_free | PGC_xen_heap)) != PGC_xen_heap ||
                 pg->owner != d->domain_id ||
                 (pg->type_info & (PGT_type_mask | PGT_validated)) !=
                 (PGT_writable_page | PGT_validated) || !(pg->type_info & PGT_count_mask) )
                return gfail(why, len, "d%u %s frame %u (mfn %#lx) is not a writable "
                             "Xen-heap frame of d%u (count_info %#lx type_info %#lx)",
                             d->domain_id, st ? "status" : "grant",
                             st ? f - gt->nr_frames : f, mfn_x(m), d->domain_id,
                             pg->count_info, pg->type_info);
        }
        if ( gt->nr_status_frames && !gnttab_is_v2(gt) )
            return gfail(why, len, "d%u: a v1 table with %u status frames", d->domain_id,
                         gt->nr_status_frames);
        for ( uint32_t ref = 0; ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME; ref++ )
        {
            const struct active_grant_entry *act = active_entry(gt, ref);

            if ( !act->hstr && !act->hstw )
                continue;
            pinned++;
            pins += act->hstr + act->hstw;
            if ( (rc = audit_pins(d, ref, act, why, len)) )
                return rc;
        }
        if ( pinned != gt->nr_pinned )
            return gfail(why, len, "d%u: nr_pinned %u, but %u entries are pinned",
                         d->domain_id, gt->nr_pinned, pinned);
        for ( uint32_t h = 0; h < maptrack_limit(gt); h++ )
            if ( maptrack_entry(gt, h)->flags )
                maps++;
    }
    if ( pins != maps )
        return gfail(why, len, "%lu pins, but %lu live maptrack entries", pins, maps);
    return 0;
}
