/*
 * pt_entry.c - the rules for one page-table entry.
 *
 * Before an entry that the guest wrote becomes live, three questions are
 * answered here:
 *
 *   flags   Is every set bit allowed at this level?  (PSE never: PV guests
 *           get no superpages; G only in an L1; cache-control bits only
 *           for a domain with I/O rights.)
 *   frame   Does the domain own the frame the entry names?  An L1 entry
 *           may also name I/O space, if the domain has rights to it.
 *   type    What does the entry make of the frame?  A writable L1 entry
 *           takes a "writable" type reference; an L2 entry takes an "L1"
 *           reference on its target (validating it if needed), and so on
 *           up.  That is what makes writable page tables impossible.
 *
 * get_page_from_lNe takes the references an entry holds; put_page_from_lNe
 * drops them.  adjust_guest_lNe adds the bits Xen always adds, so a guest
 * reading an entry back sees what it would see on Xen.
 */
#include "console.h"
#include "domain.h"
#include "mm.h"
#include "mmu.h"
#include "pt.h"

bool cpu_has_nx = true;              /* set from EFER.NXE at boot */

intpte_t adjust_guest_lNe(unsigned int level, intpte_t e)
{
    if ( !(e & _PAGE_PRESENT) )
        return e;
    if ( level == 1 )
        return adjust_guest_l1e(e);
    return e | _PAGE_USER | (level == 4 ? _PAGE_ACCESSED : 0);
}

/* ------------------------------------------------------------------------
 * L1 entries: data frames (or I/O frames).
 */
int get_page_from_l1e(intpte_t e, struct domain *l1e_owner, struct domain *pg_owner)
{
    mfn_t mfn = pte_mfn(e);
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    if ( e & pt_disallow_mask(1, l1e_owner) )
    {
        gprintk(l1e_owner, XENLOG_G_WARNING "L1e %#lx: bad L1 flags %#lx -> -EINVAL\n",
                (unsigned long)e, (unsigned long)(e & pt_disallow_mask(1, l1e_owner)));
        return -XEN_EINVAL;
    }
    if ( !mfn_is_ram(mfn) || (mfn_valid(mfn) && mfn_to_page(mfn)->owner == DOMID_IO) )
    {
        /* I/O space: DOMID_IO means "the caller's own rights". */
        const struct domain *who = pg_owner->domain_id == DOMID_IO ? current->domain
                                                                   : pg_owner;
        if ( !iomem_access_permitted(who, mfn) || !iomem_access_permitted(l1e_owner, mfn) )
        {
            /* An all-ones frame is a bad value, not an attempt at I/O. */
            if ( mfn_x(mfn) == (PADDR_MASK >> PAGE_SHIFT) )
                return -XEN_EINVAL;
            gprintk(l1e_owner, XENLOG_G_WARNING "L1e %#lx: mfn %#lx is I/O space d%u "
                    "may not map -> -EPERM\n", (unsigned long)e, mfn_x(mfn),
                    who->domain_id);
            return -XEN_EPERM;
        }
        /*
         * No references for I/O.  Device memory is never mapped write-back:
         * a WB request becomes UC, a WT or WP one UC- (the returned bits are
         * flipped in the installed entry, as Xen does).
         */
        switch ( e & CACHE_BITS )
        {
        case 0:
            return _PAGE_PWT | _PAGE_PCD;
        case _PAGE_PWT:
        case _PAGE_PWT | _PAGE_PAT:
            return _PAGE_PCD | (e & _PAGE_PAT);
        default:
            return 0;
        }
    }
    pg = mfn_to_page(mfn);
    if ( !get_page(pg, pg_owner) )
    {
        gprintk(l1e_owner, XENLOG_G_WARNING "L1e %#lx: mfn %#lx belongs to %s%u, not "
                "d%u -> -EBUSY\n", (unsigned long)e, mfn_x(mfn),
                (pg->count_info & PGC_free) ? "(free) " : "d", pg->owner,
                pg_owner->domain_id);
        return -XEN_EBUSY;
    }
    if ( (e & CACHE_BITS) && (pg->count_info & PGC_xen_heap) )
    {
        /* A hypervisor page (shared_info) is only ever mapped write-back. */
        gprintk(l1e_owner, XENLOG_G_WARNING "L1e %#lx: non-WB mapping of hypervisor "
                "page mfn %#lx -> -EACCES\n", (unsigned long)e, mfn_x(mfn));
        put_page(pg);
        return -XEN_EACCES;
    }
    if ( (e & _PAGE_RW) && !get_page_type(pg, PGT_writable_page) )
    {
        gprintk(l1e_owner, XENLOG_G_WARNING "L1e %#lx: RW map of mfn %#lx (%s, tc=%lu) "
                "-> -EBUSY\n", (unsigned long)e, mfn_x(mfn),
                page_type_name(pg->type_info), pg->type_info & PGT_count_mask);
        put_page(pg);
        return -XEN_EBUSY;
    }
    return 0;
}

void put_page_from_l1e(intpte_t e)
{
    mfn_t mfn = pte_mfn(e);
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) || !mfn_is_ram(mfn) )
        return;
    pg = mfn_to_page(mfn);
    if ( pg->owner == DOMID_IO )
        return;
    if ( e & _PAGE_RW )
        put_page_type(pg);
    put_page(pg);
}

/* ------------------------------------------------------------------------
 * Linear ("recursive") page tables: an L2/L3/L4 entry that points at a
 * table of its own level.  Allowed only read-only, only to a table of the
 * same owner that is already validated, and never mixing roles: a table
 * that holds such entries may not be the target of one, and the reverse
 * (linear_pt_count > 0: holds linear entries; < 0: is a linear target).
 * Without these rules a guest could build a writable alias of a live page
 * table (XSA-182) or unbounded chains (XSA-240).
 */
static bool get_linear_pagetable(unsigned int level, intpte_t e, mfn_t table,
                                 struct domain *d)
{
    mfn_t target = pte_mfn(e);
    struct page_info *pg, *ptpg = mfn_to_page(table);
    unsigned long x;

    if ( e & _PAGE_RW )
    {
        gprintk(d, XENLOG_G_WARNING "L%ue %#lx in mfn %#lx: linear page table must be "
                "read-only -> -EINVAL\n", level, (unsigned long)e, mfn_x(table));
        return false;
    }
    if ( mfn_eq(target, table) )
        return true;                                /* self-map: no reference */
    if ( ptpg->owner != d->domain_id || !mfn_is_ram(target) )
        return false;
    pg = mfn_to_page(target);
    if ( !get_page(pg, d) )
        return false;
    if ( ptpg->linear_pt_count < 0 || ptpg->linear_pt_count == INT16_MAX ||
         pg->linear_pt_count > 0 || pg->linear_pt_count == INT16_MIN )
    {
        gprintk(d, XENLOG_G_WARNING "L%ue %#lx in mfn %#lx: linear page tables may not "
                "mix roles -> -EINVAL\n", level, (unsigned long)e, mfn_x(table));
        put_page(pg);
        return false;
    }
    x = pg->type_info;
    if ( (x & PGT_count_mask) >= PGT_count_mask - 1 ||
         (x & (PGT_type_mask | PGT_validated)) != (pt_level_type(level) | PGT_validated) )
    {
        put_page(pg);
        return false;
    }
    pg->type_info = x + 1;
    ptpg->linear_pt_count++;
    pg->linear_pt_count--;
    return true;
}

/* ------------------------------------------------------------------------
 * L2-L4 entries: a lower-level page table.  Taking the entry's type
 * reference validates the target if nobody uses it as a table yet, so
 * hooking a fresh subtree into a live tree validates the whole subtree.
 */
int get_page_from_lNe(unsigned int level, intpte_t e, mfn_t table, struct domain *d,
                      bool preemptible)
{
    mfn_t mfn = pte_mfn(e);
    struct page_info *pg;
    int rc;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    if ( e & pt_disallow_mask(level, d) )
    {
        gprintk(d, XENLOG_G_WARNING "L%ue %#lx: bad L%u flags %#lx -> -EINVAL\n", level,
                (unsigned long)e, level, (unsigned long)(e & pt_disallow_mask(level, d)));
        return -XEN_EINVAL;
    }
    if ( !mfn_is_ram(mfn) || !get_page(pg = mfn_to_page(mfn), d) )
    {
        gprintk(d, XENLOG_G_WARNING "L%ue %#lx: mfn %#lx is not a page of d%u -> "
                "-EINVAL\n", level, (unsigned long)e, mfn_x(mfn), d->domain_id);
        return -XEN_EINVAL;
    }
    rc = get_page_type_rc(pg, pt_level_type(level - 1), preemptible);
    if ( rc == 0 || rc == -XEN_ERESTART )
        return rc;          /* preempted: the caller keeps the general ref */
    put_page(pg);
    if ( rc == -XEN_EINVAL && get_linear_pagetable(level, e, table, d) )
        return 0;
    if ( rc == -XEN_EINVAL )
        gprintk(d, XENLOG_G_WARNING "L%ue %#lx: mfn %#lx cannot be used as an L%u "
                "table (%s, tc=%lu) -> -EINVAL\n", level, (unsigned long)e, mfn_x(mfn),
                level - 1, page_type_name(pg->type_info), pg->type_info & PGT_count_mask);
    return rc;
}

int put_page_from_lNe(unsigned int level, intpte_t e, mfn_t table, bool preemptible)
{
    mfn_t mfn = pte_mfn(e);
    struct page_info *pg, *ptpg = mfn_to_page(table);

    if ( !(e & _PAGE_PRESENT) || mfn_eq(mfn, table) )
        return 0;
    pg = mfn_to_page(mfn);
    if ( (pg->type_info & PGT_type_mask) == pt_level_type(level) )
    {
        /* A linear entry: it holds a same-level type reference. */
        ptpg->linear_pt_count--;
        pg->linear_pt_count++;
    }
    if ( preemptible )
    {
        int rc = put_page_type_preemptible(pg);

        if ( rc )
            return rc;  /* preempted: we keep pg's general ref until resumed */
    }
    else
        put_page_type(pg);
    put_page(pg);
    return 0;
}
