/*
 * pt_validate.c - promote and demote whole page tables.
 *
 * promote_table() makes a frame a live page table: every present entry
 * takes its references (get_page_from_lNe), which for L2-L4 means taking
 * a type reference on the table below, validating it first if nobody uses
 * it as a table yet.  So validating an L4 validates the whole tree under
 * it, and an error three levels down comes back as that error (an L1 entry
 * naming a foreign frame makes a PIN_L4 fail with -EBUSY).  Each entry is
 * then adjusted as Xen does (U, GUEST_KERNEL, G, A).  An L4's hypervisor
 * slots (256-271) are ignored and then overwritten with the hypervisor's.
 *
 * demote_table() is the reverse: every entry drops what it held.
 *
 * L2-L4 work is preemptible between entries (never before the first): the
 * progress is kept in nr_validated_ptes, entries below it holding their
 * references, and page_ref.c marks the frame PGT_partial.  L1s are small
 * enough to do in one go.  A failed promotion undoes what it took at once.
 */
#include "console.h"
#include "domain.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "panic.h"
#include "pt.h"

static int promote_l1(struct page_info *pg, struct domain *d)
{
    intpte_t *t = mfn_to_virt(page_to_mfn(pg));
    unsigned int i;
    int rc = 0;

    for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
    {
        if ( (rc = get_page_from_l1e(t[i], d, d)) < 0 )
            break;
        t[i] = adjust_guest_l1e(t[i]) ^ (intpte_t)rc;
        rc = 0;
    }
    if ( !rc )
        return 0;
    gprintk(d, XENLOG_G_WARNING "validating L1 mfn %#lx: slot %u refused (%d)\n",
            mfn_x(page_to_mfn(pg)), i, rc);
    while ( i-- )
        put_page_from_l1e(t[i]);
    return rc;
}

int promote_table(struct page_info *pg, unsigned int level, bool preemptible)
{
    mfn_t mfn = page_to_mfn(pg);
    intpte_t *t = mfn_to_virt(mfn);
    struct domain *d = get_domain_by_id(pg->owner);
    unsigned int i = pg->nr_validated_ptes, start = i;
    int rc = 0;

    BUG_ON(!d);
    if ( level == 1 )
        return promote_l1(pg, d);

    for ( ; i < PAGETABLE_ENTRIES; i++ )
    {
        if ( level == 4 && !is_guest_l4_slot(i) )
            continue;
        if ( preemptible && i > start && hypercall_preempt_check() )
        {
            pg->nr_validated_ptes = (uint16_t)i;
            return -XEN_ERESTART;
        }
        if ( pg->partial_flags & PTF_entry_partial )
        {
            /* Resume the child we were validating; we hold its general ref. */
            struct page_info *child = mfn_to_page(pte_mfn(t[i]));

            rc = get_page_type_preemptible(child, pt_level_type(level - 1));
            if ( rc != -XEN_ERESTART )
                pg->partial_flags &= (uint8_t)~PTF_entry_partial;
            if ( rc && rc != -XEN_ERESTART )
                put_page(child);
        }
        else
            rc = get_page_from_lNe(level, t[i], mfn, d, preemptible);
        if ( rc == -XEN_ERESTART )
        {
            pg->nr_validated_ptes = (uint16_t)i;
            pg->partial_flags |= PTF_entry_partial;
            return rc;
        }
        if ( rc )
            break;
        t[i] = adjust_guest_lNe(level, t[i]);
    }

    if ( rc )
    {
        gprintk(d, XENLOG_G_WARNING "validating L%u mfn %#lx: slot %u refused (%d)\n",
                level, mfn_x(mfn), i, rc);
        while ( i-- )
            if ( level != 4 || is_guest_l4_slot(i) )
                put_page_from_lNe(level, t[i], mfn, false);
        pg->nr_validated_ptes = 0;
        return rc;
    }
    if ( level == 4 )
    {
        /* With m2p_strict the guest-visible M2P is there from the start. */
        init_xen_l4_slots(t, d, d->vm_assist & (1UL << VMASST_TYPE_m2p_strict));
        d->nr_l4_pages++;
    }
    pg->nr_validated_ptes = PAGETABLE_ENTRIES;
    return 0;
}

int demote_table(struct page_info *pg, unsigned int level, bool preemptible)
{
    mfn_t mfn = page_to_mfn(pg);
    intpte_t *t = mfn_to_virt(mfn);
    unsigned int i = pg->nr_validated_ptes, start = i;
    int rc;

    if ( level == 1 )
    {
        for ( i = 0; i < PAGETABLE_ENTRIES; i++ )
            put_page_from_l1e(t[i]);
        pg->nr_validated_ptes = 0;
        return 0;
    }

    if ( pg->partial_flags & PTF_entry_partial )
    {
        /* Entry i is half done (either way): finish dropping it.  The
         * child may since have been finished or undone through another
         * path; then only our general reference is left to drop. */
        struct page_info *child = mfn_to_page(pte_mfn(t[i]));

        rc = put_page_type_partial(child, preemptible);
        BUG_ON(rc && !preemptible);
        if ( rc )
            return rc;
        put_page(child);
        pg->partial_flags &= (uint8_t)~PTF_entry_partial;
    }

    while ( i-- > 0 )
    {
        if ( level == 4 && !is_guest_l4_slot(i) )
            continue;
        if ( preemptible && i + 1 < start && hypercall_preempt_check() )
        {
            pg->nr_validated_ptes = (uint16_t)(i + 1);
            return -XEN_ERESTART;
        }
        rc = put_page_from_lNe(level, t[i], mfn, preemptible);
        if ( rc == -XEN_ERESTART )
        {
            pg->nr_validated_ptes = (uint16_t)i;
            pg->partial_flags |= PTF_entry_partial;
            return rc;
        }
    }
    if ( level == 4 )
    {
        struct domain *d = get_domain_by_id(pg->owner);

        if ( d )
            d->nr_l4_pages--;
    }
    pg->nr_validated_ptes = 0;
    return 0;
}
