/*
 * grant_release.c - a dying domain's grants (called from relinquish.c).
 *
 * Both sides, as Xen does for a PV domain:
 *
 *   what d mapped   gnttab_release_mappings, first: each live maptrack
 *                   entry drops its pin on the granter's active entry
 *                   (clearing GTF_reading/GTF_writing as the pins reach
 *                   zero).  The references the mappings hold belong to
 *                   d's L1 entries and go when d's page tables are torn
 *                   down right after; then the maptrack frames go.
 *   what d granted  gnttab_release_frames (grant_table.c), then: the
 *                   shared frames (and v2 status frames) lose their
 *                   permanent writable type reference and, with the rest of d's frames, their
 *                   PGC_allocated.  A frame another domain still maps keeps
 *                   that mapping's general reference and is freed when the
 *                   mapping goes (unmap, or the mapper's own death); the
 *                   active entries live until the last pin is dropped.
 *
 * So when the last domain is gone, nothing is mapped and every frame is
 * back (the "Frame accounting" line of a run).
 */
#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "mm.h"
#include "mmu.h"

void gnttab_release_mappings(struct domain *d)
{
    struct grant_table *gt = &d->grant_table;

    for ( uint32_t h = 0; h < maptrack_limit(gt); h++ )
    {
        struct grant_mapping *map = maptrack_entry(gt, h);
        struct domain *rd;

        if ( !map->flags )
            continue;
        if ( (rd = get_domain_by_id(map->domid)) )
            gnttab_drop_pin(rd, map->ref, map->flags & GNTMAP_readonly);
        map->flags = 0;
    }
    for ( unsigned int i = 0; i < gt->maptrack_frames; i++ )
        free_xenheap_mfn(gt->maptrack[i]);
    gt->maptrack_frames = 0;
    gt->maptrack_free = MAPTRACK_END;
}

/* Hypervisor frames d's grant state still holds (0 once all is gone). */
unsigned long gnttab_frames_held(const struct domain *d)
{
    const struct grant_table *gt = &d->grant_table;

    return gt->maptrack_frames + gt->nr_frames * (gt->released ? 1 : 2) +
           gt->nr_status_frames;
}

/* Is m a frame of dead rd that a grant mapping still pins? */
bool gnttab_frame_pinned(const struct domain *rd, mfn_t m)
{
    const struct grant_table *gt = &rd->grant_table;

    if ( !gt->nr_pinned )
        return false;
    for ( uint32_t ref = 0; ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME; ref++ )
    {
        const struct active_grant_entry *act = active_entry(gt, ref);

        if ( (act->hstr || act->hstw) && act->mfn == mfn_x(m) )
            return true;
    }
    return false;
}
