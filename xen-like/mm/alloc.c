/*
 * mm/alloc.c - the frame allocator: one free list threaded through the
 * frame table.
 *
 * Xen uses a buddy allocator; a teaching hypervisor that only ever hands
 * out single 4 KiB frames does not need one, so this is a LIFO list with
 * O(1) allocate and free.  Frames are scrubbed (zeroed) when handed out,
 * so nothing of a previous owner can leak to the next.
 */
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mm_env.h"
#include "panic.h"

#define FREE_LIST_END 0xffffffffu

unsigned long free_pages;
static uint32_t free_head = FREE_LIST_END;

void free_domheap_mfn(mfn_t m)
{
    struct page_info *pg = mfn_to_page(m);

    BUG_ON(pg->count_info & PGC_free);
    /* A frame that belonged to someone is scrubbed before anyone else can
     * get it (boot-time free RAM has no owner and is zeroed on allocation). */
    if ( pg->owner != DOMID_INVALID )
        arch_clear_page(mfn_to_virt(m));
    pg->count_info = PGC_free;
    pg->type_info = 0;
    pg->owner = DOMID_INVALID;
    pg->linear_pt_count = 0;
    pg->nr_validated_ptes = 0;
    pg->partial_flags = 0;
    pg->next_free = free_head;
    free_head = (uint32_t)mfn_x(m);
    free_pages++;
    if ( mfn_x(m) < max_page )
        set_gpfn_from_mfn(m, INVALID_M2P_ENTRY);
}

static mfn_t alloc_one(domid_t owner, unsigned long flags)
{
    struct page_info *pg;
    mfn_t m;

    if ( free_head == FREE_LIST_END )
        return INVALID_MFN;
    m = _mfn(free_head);
    pg = mfn_to_page(m);
    BUG_ON(!(pg->count_info & PGC_free));
    free_head = pg->next_free;
    free_pages--;
    pg->count_info = flags | PGC_allocated | 1;
    pg->type_info = 0;
    pg->owner = owner;
    arch_clear_page(mfn_to_virt(m));
    return m;
}

mfn_t alloc_xenheap_mfn(void)
{
    return alloc_one(DOMID_XEN, PGC_xen_heap);
}

mfn_t alloc_domheap_mfn(struct domain *d)
{
    mfn_t m;

    if ( d->tot_pages >= d->max_pages )
        return INVALID_MFN;
    m = alloc_one(d->domain_id, 0);
    if ( !mfn_eq(m, INVALID_MFN) )
        d->tot_pages++;
    return m;
}

/* Give boot-time memory (a module, once consumed) back to the allocator;
 * returns how many frames were freed. */
unsigned long free_boot_range(paddr_t start, paddr_t end)
{
    unsigned long n = 0;

    for ( paddr_t pa = round_pgup(start); pa + PAGE_SIZE <= end; pa += PAGE_SIZE )
    {
        mfn_t m = maddr_to_mfn(pa);
        struct page_info *pg = mfn_to_page(m);

        if ( !mfn_valid(m) || pg->owner != DOMID_XEN )
            continue;
        free_domheap_mfn(m);
        n++;
    }
    return n;
}

void free_xenheap_mfn(mfn_t m)
{
    if ( !mfn_eq(m, INVALID_MFN) )
        free_domheap_mfn(m);
}
