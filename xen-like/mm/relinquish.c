/*
 * relinquish.c - give back everything a dead domain held.
 *
 * The order matters, because every reference is counted:
 *   0. grants (grant_release.c): the pins of what d mapped, and the shared
 *      frames' own type references of what d granted;
 *   1. the vCPUs' roots: kernel and user page tables, the deferred put,
 *      the GDT frames;
 *   2. every pin (a pinned table may be nothing's root any more);
 *   3. tables left half validated by a preempted hypercall;
 *   so that dropping the last type reference of each top-level table
 *   devalidates it, which drops the references its entries held, all the
 *   way down to the writable references of the data pages;
 *   4. then the domain's ownership of each frame (PGC_allocated): a frame
 *      nobody else names is scrubbed and goes back to the free list.
 * Nothing here can be preempted: the domain is dead and never returns.
 * The result is the number of frames the domain still owns, which must be
 * zero; the caller reports it.  A frame another domain still maps through
 * one of d's grants is not a leak: it stays until that mapping goes, and
 * is logged, not counted.
 */
#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "mm.h"
#include "mmu.h"
#include "pt.h"

static void put_root(mfn_t *root)
{
    if ( !mfn_eq(*root, INVALID_MFN) )
        put_page_and_type(mfn_to_page(*root));
    *root = INVALID_MFN;
}

unsigned long domain_relinquish_memory(struct domain *d)
{
    unsigned long left = 0;

    gnttab_release_mappings(d);
    gnttab_release_frames(d);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];

        if ( !v )
            continue;
        while ( !mfn_eq(v->old_guest_table, INVALID_MFN) )
            if ( put_old_guest_table(v) == 0 )
                break;
        put_root(&v->guest_table);
        put_root(&v->guest_table_user);
        for ( unsigned int f = 0; f < GUEST_GDT_FRAMES; f++ )
            put_root(&v->gdt_frames[f]);
        v->gdt_ents = 0;
    }

    for ( unsigned long m = 0; m < max_page; m++ )
    {
        struct page_info *pg = &frame_table[m];

        if ( pg->owner != d->domain_id || (pg->count_info & PGC_free) )
            continue;
        if ( pg->type_info & PGT_pinned )
        {
            pg->type_info &= ~PGT_pinned;
            put_page_and_type(pg);
        }
    }

    for ( unsigned long m = 0; m < max_page; m++ )
    {
        struct page_info *pg = &frame_table[m];

        if ( pg->owner != d->domain_id || (pg->count_info & PGC_free) )
            continue;
        /* Half-validated by a preempted call: its holder's reference goes. */
        if ( (pg->type_info & PGT_partial) && !(pg->partial_flags & PTF_demoting) )
            put_page_type(pg);
        if ( pg->type_info & PGT_count_mask )
            gprintk(d, XENLOG_G_WARNING "teardown: mfn %#lx still has %lu %s "
                    "reference(s)\n", m, pg->type_info & PGT_count_mask,
                    page_type_name(pg->type_info));
    }

    for ( unsigned long m = 0; m < max_page; m++ )
    {
        struct page_info *pg = &frame_table[m];

        if ( pg->owner != d->domain_id || (pg->count_info & PGC_free) )
            continue;
        if ( pg->count_info & PGC_allocated )
        {
            pg->count_info &= ~PGC_allocated;
            put_page(pg);                      /* frees it if nothing else */
        }
        if ( pg->owner != d->domain_id || (pg->count_info & PGC_free) )
            continue;
        if ( gnttab_frame_pinned(d, _mfn(m)) )
            gprintk(d, XENLOG_G_INFO "teardown: mfn %#lx stays until the grant mapping "
                    "of it goes\n", m);
        else
            left++;
    }
    return left;
}
