/*
 * page_ref.c - the two reference counts every frame carries.
 *
 *   get_page / put_page            the general count: "someone names this
 *                                  frame", checked against the owner;
 *   get_page_type / put_page_type  the type count: "someone uses this frame
 *                                  as <type>".
 *
 * A frame's type may change only while its type count is zero, and taking
 * the first reference of a special type validates the frame's contents:
 * descriptors are checked before a frame becomes a GDT page.  Page-table
 * types (L1-L4) are validated by promote in the PV-MMU core; until a frame
 * has been validated that way, only frames the domain builder typed (and
 * validated) can be referenced as page tables.
 */
#include "console.h"
#include "desc.h"
#include "domain.h"
#include "mm.h"
#include "mmu.h"
#include "panic.h"

bool get_page(struct page_info *pg, const struct domain *d)
{
    unsigned long c = pg->count_info & PGC_count_mask;

    if ( pg->count_info & PGC_free || c == 0 || c >= PGC_count_mask - 1 ||
         pg->owner != d->domain_id )
        return false;
    pg->count_info++;
    return true;
}

void put_page(struct page_info *pg)
{
    BUG_ON((pg->count_info & PGC_count_mask) == 0);
    pg->count_info--;
    if ( (pg->count_info & PGC_count_mask) == 0 )
        free_domheap_mfn(page_to_mfn(pg));
}

/* Check (and fix the DPL of) every descriptor in a would-be GDT/LDT page. */
static bool validate_segdesc_page(struct page_info *pg)
{
    uint64_t *descs = mfn_to_virt(page_to_mfn(pg));

    for ( unsigned int i = 0; i < 512; i++ )
        if ( !check_descriptor(&descs[i]) )
            return false;
    return true;
}

bool get_page_type(struct page_info *pg, unsigned long type)
{
    unsigned long x = pg->type_info, count = x & PGT_count_mask;

    if ( count >= PGT_count_mask - 1 )
        return false;                           /* would overflow */
    if ( count == 0 )
    {
        if ( (x & PGT_type_mask) != type )
            x = type;                           /* retype: not yet validated */
        if ( !(x & PGT_validated) )
        {
            switch ( type )
            {
            case PGT_writable_page:
            case PGT_shared_page:
                break;
            case PGT_seg_desc_page:
                if ( !validate_segdesc_page(pg) )
                    return false;
                break;
            default:
                /* Page-table promotion lives in the PV-MMU core. */
                return false;
            }
            x |= PGT_validated;
        }
    }
    else if ( (x & PGT_type_mask) != type || !(x & PGT_validated) )
        return false;                           /* in use as something else */
    pg->type_info = x + 1;
    return true;
}

void put_page_type(struct page_info *pg)
{
    unsigned long x = pg->type_info;

    BUG_ON((x & PGT_count_mask) == 0);
    x--;
    /* A descriptor page must be re-checked before it is used again. */
    if ( (x & PGT_count_mask) == 0 && (x & PGT_type_mask) == PGT_seg_desc_page )
        x &= ~PGT_validated;
    pg->type_info = x;
}
