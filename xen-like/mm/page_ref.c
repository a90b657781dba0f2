/*
 * page_ref.c - the two reference counts every frame carries, and the type
 * state machine built on them.
 *
 *   get_page / put_page            the general count: "someone names this
 *                                  frame", checked against the owner;
 *   get_page_type / put_page_type  the type count: "someone uses this frame
 *                                  as <type>" (writable data, L1..L4 table,
 *                                  descriptor page).
 *
 * The rules, as in Xen:
 *   - a frame's type may change only while its type count is zero;
 *   - taking the first reference of a page-table type *validates* (promotes)
 *     the frame: each entry takes the references it needs, which may
 *     validate the tables below it, recursively;
 *   - dropping the last one *devalidates* (demotes) it, dropping what each
 *     entry held;
 *   - both may be preempted part-way.  The frame is then PGT_partial with
 *     type count 1: entries [0, nr_validated_ptes) hold their references,
 *     and one extra general reference keeps the frame alive until someone
 *     finishes the job.  partial_flags says which direction it was going
 *     (PTF_demoting) and whether the entry at nr_validated_ptes is itself
 *     half done (PTF_entry_partial: we hold its target's general reference,
 *     and its target was left partial by us).
 *   - a partial frame's type reference is nobody's in particular: whoever
 *     takes a type reference next resumes the job and inherits it (the
 *     count stays 1).  So a half-done entry's claim can go stale: the
 *     target may since have been finished, failed, even retyped by another
 *     path.  Dropping such a claim (put_page_type_partial) therefore puts a
 *     type reference only while the target is still PGT_partial, as Xen's
 *     PTF_partial_set puts do; otherwise only the general reference goes.
 */
#include "console.h"
#include "desc.h"
#include "domain.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "panic.h"
#include "pt.h"

const char *page_type_name(unsigned long type_info)
{
    static const char *const names[8] = {
        "none", "L1", "L2", "L3", "L4", "seg_desc", "shared", "writable",
    };
    return names[(type_info & PGT_type_mask) >> PGT_type_shift];
}

void put_page(struct page_info *pg)
{
    BUG_ON((pg->count_info & PGC_count_mask) == 0);
    pg->count_info--;
    if ( (pg->count_info & PGC_count_mask) == 0 )
    {
        struct domain *d = get_domain_by_id(pg->owner);

        BUG_ON(pg->type_info & PGT_count_mask);
        if ( d && !(pg->count_info & PGC_xen_heap) )
            d->tot_pages--;
        free_domheap_mfn(page_to_mfn(pg));
    }
}

/* Check (and fix the DPL of) every descriptor in a would-be GDT/LDT page. */
static int validate_segdesc_page(struct page_info *pg)
{
    uint64_t *descs = mfn_to_virt(page_to_mfn(pg));

    for ( unsigned int i = 0; i < 512; i++ )
        if ( !check_descriptor(&descs[i]) )
            return -XEN_EINVAL;
    return 0;
}

/* Leave the partial state: the extra general reference goes. */
static void clear_partial(struct page_info *pg)
{
    pg->type_info &= ~PGT_partial;
    pg->partial_flags = 0;
    put_page(pg);
}

static void enter_partial(struct page_info *pg, bool demoting)
{
    if ( !(pg->type_info & PGT_partial) )
        pg->count_info++;                 /* keeps the frame while partial */
    pg->type_info |= PGT_partial;
    pg->partial_flags = (uint8_t)((pg->partial_flags & PTF_entry_partial) |
                                  (demoting ? PTF_demoting : 0));
}

static int _get_page_type(struct page_info *pg, unsigned long type, bool preemptible)
{
    unsigned long x = pg->type_info;
    unsigned int level = pt_type_level(type);
    struct domain *owner;
    bool resuming = false;
    int rc;

    if ( (x & PGT_count_mask) >= PGT_count_mask - 1 )
        return -XEN_EINVAL;                        /* would overflow */
    if ( (x & PGT_count_mask) == 0 )
    {
        if ( (x & PGT_type_mask) != type )
        {
            /* A frame that was writable becomes special: no stale
             * writable TLB entry may survive into its new life. */
            if ( (x & PGT_type_mask) == PGT_writable_page &&
                 (owner = get_domain_by_id(pg->owner)) )
                arch_flush_tlb_domain(owner);
            x = type;
        }
        x &= ~(PGT_partial | PGT_pinned);
        if ( type == PGT_writable_page || type == PGT_shared_page )
            x |= PGT_validated;
        pg->type_info = x + 1;
        if ( x & PGT_validated )
            return 0;
        pg->nr_validated_ptes = 0;
        pg->partial_flags = 0;
    }
    else
    {
        if ( (x & PGT_type_mask) != type )
            return -XEN_EINVAL;                    /* in use as something else */
        if ( x & PGT_validated )
        {
            pg->type_info = x + 1;
            return 0;
        }
        if ( !(x & PGT_partial) || (pg->partial_flags & PTF_demoting) )
            return -XEN_EINVAL;                    /* being torn down */
        resuming = true;                           /* count stays at 1 */
    }

    if ( level )
        rc = promote_table(pg, level, preemptible);
    else
        rc = type == PGT_seg_desc_page ? validate_segdesc_page(pg) : 0;

    if ( rc == 0 )
    {
        pg->type_info |= PGT_validated;
        if ( resuming )
            clear_partial(pg);
        return 0;
    }
    if ( rc == -XEN_ERESTART )
    {
        enter_partial(pg, false);
        return rc;
    }
    /* Failed: promote_table has dropped what it took; back to count 0. */
    pg->type_info &= ~(PGT_count_mask | PGT_validated);
    if ( resuming )
        clear_partial(pg);
    return rc;
}

static int _put_page_type(struct page_info *pg, bool preemptible)
{
    unsigned long x = pg->type_info;
    unsigned int level = pt_type_level(x);
    bool was_partial = x & PGT_partial;
    int rc;

    BUG_ON((x & PGT_count_mask) == 0);
    if ( (x & PGT_count_mask) > 1 )
    {
        BUG_ON(was_partial);
        pg->type_info = x - 1;
        return 0;
    }
    if ( level && (x & (PGT_validated | PGT_partial)) )
    {
        /* The last use of a page table: devalidate it, top entry first. */
        if ( x & PGT_validated )
        {
            pg->type_info = x & ~(PGT_validated | PGT_pinned);
            pg->nr_validated_ptes = PAGETABLE_ENTRIES;
        }
        rc = demote_table(pg, level, preemptible);
        if ( rc == -XEN_ERESTART )
        {
            enter_partial(pg, true);
            return rc;
        }
        BUG_ON(rc);
        pg->type_info &= ~(PGT_count_mask | PGT_validated | PGT_pinned);
        if ( was_partial )
            clear_partial(pg);
        return 0;
    }
    x--;
    if ( (x & PGT_type_mask) == PGT_seg_desc_page )
        x &= ~PGT_validated;                       /* re-check before reuse */
    pg->type_info = x & ~PGT_pinned;
    return 0;
}

int get_page_type_rc(struct page_info *pg, unsigned long type, bool preemptible)
{
    return _get_page_type(pg, type, preemptible);
}

int get_page_type_preemptible(struct page_info *pg, unsigned long type)
{
    return _get_page_type(pg, type, true);
}

bool get_page_type(struct page_info *pg, unsigned long type)
{
    return _get_page_type(pg, type, false) == 0;
}

int put_page_type_preemptible(struct page_info *pg)
{
    return _put_page_type(pg, true);
}

void put_page_type(struct page_info *pg)
{
    BUG_ON(_put_page_type(pg, false));
}

int put_page_type_partial(struct page_info *pg, bool preemptible)
{
    if ( !(pg->type_info & PGT_partial) )
        return 0;                   /* finished or undone by someone else */
    BUG_ON((pg->type_info & PGT_count_mask) != 1);
    return _put_page_type(pg, preemptible);
}

bool get_page_and_type(struct page_info *pg, const struct domain *d, unsigned long type)
{
    if ( !get_page(pg, d) )
        return false;
    if ( !get_page_type(pg, type) )
    {
        put_page(pg);
        return false;
    }
    return true;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}
