/*
 * frame_census.c - the 'm' debug key: every machine frame counted by owner
 * and by what it is used as now, from the frame table alone.
 *
 *   frames owner=d0 total=8192 none=8011 L1=16 L2=4 L3=2 L4=1 seg_desc=1 shared=0 writable=157 pinned=1
 *   frames owner=xen total=... 
 *   frames owner=free total=...
 *   frames ram=130716 max_page=131072
 *
 * A frame's type counts only while its type count is non-zero (or it is a
 * table part-way through a preempted (de)validation): a frame whose last
 * writable mapping went away keeps PGT_writable_page in type_info, but is
 * used as nothing, so it is counted as "none".  "pinned" counts tables
 * pinned with MMUEXT_PIN_Ln_TABLE (and the builder's pin of the first L4).
 * A domain's total is every frame whose owner it is: its tot_pages plus
 * the shared_info page, a hypervisor page shared with it (as Xen's
 * share_xen_page_with_guest does).  Holes (mfns below max_page that are
 * not RAM) are not listed.
 *
 * Reads only; built into the hypervisor and into the host tests.
 */
#include "console.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "pt.h"

#define CENSUS_OWNERS (MAX_DOMAINS + 2)      /* domains, then xen, then free */
#define OWNER_XEN     MAX_DOMAINS
#define OWNER_FREE    (MAX_DOMAINS + 1)

static const char *const type_names[8] = {
    "none", "L1", "L2", "L3", "L4", "seg_desc", "shared", "writable",
};

/* Index of a frame's owner in the census, or -1 (a hole, an unknown id). */
static int owner_index(const struct page_info *pg, domid_t *ids)
{
    if ( pg->count_info & PGC_free )
        return OWNER_FREE;
    if ( pg->owner == DOMID_XEN )
        return OWNER_XEN;
    if ( pg->owner == DOMID_INVALID )
        return -1;
    for ( int i = 0; i < MAX_DOMAINS; i++ )
        if ( ids[i] == pg->owner )
            return i;
    for ( int i = 0; i < MAX_DOMAINS; i++ )
        if ( ids[i] == DOMID_INVALID )
        {
            ids[i] = pg->owner;
            return i;
        }
    return -1;
}

void frame_census(void)
{
    static unsigned long count[CENSUS_OWNERS][8], total[CENSUS_OWNERS], pinned[CENSUS_OWNERS];
    domid_t ids[MAX_DOMAINS];
    unsigned long ram = 0;

    for ( int i = 0; i < CENSUS_OWNERS; i++ )
    {
        total[i] = pinned[i] = 0;
        for ( int t = 0; t < 8; t++ )
            count[i][t] = 0;
    }
    /* Domains in id order, as domain_list() has them, then any stray owner. */
    for ( int i = 0; i < MAX_DOMAINS; i++ )
    {
        const struct domain *d = domain_list((unsigned int)i);

        ids[i] = d ? d->domain_id : DOMID_INVALID;
    }

    for ( unsigned long m = 0; m < max_page; m++ )
    {
        const struct page_info *pg = mfn_to_page(_mfn(m));
        int o = owner_index(pg, ids);
        unsigned long t = (pg->type_info & PGT_type_mask) >> PGT_type_shift;

        if ( o < 0 )
            continue;
        ram++;
        if ( !(pg->type_info & PGT_count_mask) && !(pg->type_info & PGT_partial) )
            t = 0;
        count[o][t]++;
        total[o]++;
        if ( pg->type_info & PGT_pinned )
            pinned[o]++;
    }

    for ( int o = 0; o < CENSUS_OWNERS; o++ )
    {
        char name[8], line[256];
        size_t n;

        if ( o < MAX_DOMAINS && ids[o] == DOMID_INVALID )
            continue;
        if ( o < MAX_DOMAINS )
            snprintf(name, sizeof(name), "d%u", ids[o]);
        else
            snprintf(name, sizeof(name), "%s", o == OWNER_XEN ? "xen" : "free");
        n = (size_t)snprintf(line, sizeof(line), "frames owner=%s total=%lu", name, total[o]);
        for ( int t = 0; t < 8 && n < sizeof(line); t++ )
            n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%lu", type_names[t],
                                  count[o][t]);
        printk("%s pinned=%lu\n", line, pinned[o]);
    }
    printk("frames ram=%lu max_page=%lu\n", ram, max_page);
}
