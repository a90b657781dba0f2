/*
 * grant_map.c - GNTTABOP_map_grant_ref and unmap_grant_ref: the PV-MMU side
 * of grants (docs/grants.md).  Plain C behind mm_env.h: it runs in the host
 * tests as it runs in the hypervisor.
 *
 * Map (Xen's map_grant_ref + create_grant_pv_mapping):
 *   1. the grant entry must say GTF_permit_access to the mapper (and not
 *      GTF_readonly for a writable map); the first pin reads its frame and
 *      sets GTF_reading (and GTF_writing);
 *   2. the granted frame takes a general reference (it must be the
 *      granter's) and, for a writable map, a writable type reference: the
 *      very references get_page_from_l1e would take for an ordinary L1
 *      entry, because a host mapping *is* an L1 entry;
 *   3. the L1 entry is written: found by virtual address in the caller's
 *      kernel page tables, as update_va_mapping does, or, with
 *      GNTMAP_contains_pte, at a machine address that must be 8-byte
 *      aligned and inside a validated L1 the caller owns (XSA-227).  What
 *      the old entry held is dropped, as for any overwritten entry;
 *   4. a maptrack entry records (granter, ref, flags); its index is the handle.
 *
 * Unmap (Xen's unmap_common + replace_grant_pv_mapping): the handle must be
 * in range and in use (else GNTST_bad_handle); the entry at host_addr must
 * still map the pinned frame with the Present and RW bits the mapping was
 * made with (XSA-234), else GNTST_general_error and nothing changes.  Only
 * then, all together (XSA-224): the entry is cleared, the TLB flushed, the
 * two references dropped, the pin dropped and the handle freed.
 *
 * The references belong to the L1 entry, as in Xen: an mmu_update that
 * overwrites a grant entry drops them (put_page_from_l1e), the maptrack
 * entry goes stale and a later unmap of it fails the check above.
 */
#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "pt.h"

/* Xen's grant_to_pte_flags, then adjust_guest_l1e (write-back only here). */
static intpte_t grant_pte_flags(uint32_t flags)
{
    intpte_t f = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | (cpu_has_nx ? _PAGE_NX : 0);

    if ( flags & GNTMAP_application_map )
        f |= _PAGE_USER;
    if ( !(flags & GNTMAP_readonly) )
        f |= _PAGE_RW;
    f |= ((intpte_t)(flags >> _GNTMAP_guest_avail0) << 9) & _PAGE_AVAIL;
    return f;
}

/*
 * The L1 entry a grant op names: a machine address of an entry
 * (contains_pte) or a virtual address in the caller's kernel tables.  The
 * L1 must be a validated L1 of the caller.
 */
static intpte_t *grant_l1e(uint64_t addr, uint32_t flags, const char *what)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    mfn_t l1mfn;
    intpte_t *pl1e;
    const struct page_info *pg;

    if ( !(flags & GNTMAP_contains_pte) )
    {
        if ( !is_canonical_address(addr) || !(pl1e = pv_guest_l1e(v, addr, &l1mfn)) )
            gprintk(d, XENLOG_G_WARNING "grant %s: no validated L1 of d%u maps va %#lx "
                    "-> GNTST_general_error\n", what, d->domain_id, (unsigned long)addr);
        else
            return pl1e;
        return NULL;
    }
    if ( addr & (sizeof(intpte_t) - 1) )
    {
        gprintk(d, XENLOG_G_WARNING "grant %s: PTE address %#lx is not 8-byte aligned "
                "(XSA-227) -> GNTST_general_error\n", what, (unsigned long)addr);
        return NULL;
    }
    l1mfn = maddr_to_mfn(addr);
    pg = mfn_to_page(l1mfn);
    if ( !mfn_is_ram(l1mfn) || pg->owner != d->domain_id ||
         (pg->type_info & (PGT_type_mask | PGT_validated)) !=
         (PGT_l1_page_table | PGT_validated) || !(pg->type_info & PGT_count_mask) )
    {
        gprintk(d, XENLOG_G_WARNING "grant %s: PTE address %#lx is not in a validated L1 "
                "of d%u (XSA-227) -> GNTST_general_error\n", what, (unsigned long)addr,
                d->domain_id);
        return NULL;
    }
    return (intpte_t *)mfn_to_virt(l1mfn) + ((addr & ~PAGE_MASK) >> 3);
}

static int16_t create_grant_pv_mapping(uint64_t addr, mfn_t frame, uint32_t flags)
{
    intpte_t *pl1e = grant_l1e(addr, flags, "map"), ol1e;

    if ( !pl1e )
        return GNTST_general_error;
    ol1e = *pl1e;
    *pl1e = adjust_guest_l1e(pte_from_mfn(frame, grant_pte_flags(flags)));
    put_page_from_l1e(ol1e);        /* what the overwritten entry held */
    return GNTST_okay;
}

/* Clear the grant entry at addr if it still maps frame with the P and RW
 * bits of the mapping; the caller drops the references. */
static int16_t destroy_grant_pv_mapping(uint64_t addr, mfn_t frame, uint32_t flags)
{
    intpte_t *pl1e = grant_l1e(addr, flags, "unmap"), ol1e, want;

    if ( !pl1e )
        return GNTST_general_error;
    ol1e = *pl1e;
    want = grant_pte_flags(flags);
    if ( !mfn_eq(pte_mfn(ol1e), frame) || ((ol1e ^ want) & (_PAGE_PRESENT | _PAGE_RW)) )
    {
        gprintk(current->domain, XENLOG_G_WARNING "grant unmap: PTE %#lx at %#lx does not "
                "map mfn %#lx %s (XSA-234) -> GNTST_general_error\n", (unsigned long)ol1e,
                (unsigned long)addr, mfn_x(frame), (want & _PAGE_RW) ? "RW" : "RO");
        return GNTST_general_error;
    }
    *pl1e = 0;
    return GNTST_okay;
}

/* Pin (rd, ref) for ld: checks the entry (v1 or v2, as rd's table is) and
 * sets GTF_reading/GTF_writing (in the entry, or v2's status frame). */
static int16_t pin_grant(struct domain *rd, uint32_t ref, const struct domain *ld,
                         bool readonly, mfn_t *mfn)
{
    struct grant_table *rgt = &rd->grant_table;
    struct grant_view sha;
    struct active_grant_entry *act = active_entry(rgt, ref);
    bool pinned = act && (act->hstr || act->hstw);
    mfn_t m;

    if ( !act || !gnttab_read_entry(rgt, ref, &sha) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant: d%u has no grant table frame for ref %#x "
                "-> GNTST_general_error\n", rd->domain_id, ref);
        return GNTST_general_error;
    }
    if ( pinned && (act->domid != ld->domain_id || act->hstr >= GNTTAB_PIN_MAX ||
                    act->hstw >= GNTTAB_PIN_MAX) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant: d%u ref %#x is pinned by d%u, or its pin "
                "count would overflow -> GNTST_general_error\n", rd->domain_id, ref,
                act->domid);
        return GNTST_general_error;
    }
    /* A sub-page (v2) or transitive grant is never mapped. */
    if ( !pinned && ((sha.flags & (GTF_type_mask | GTF_sub_page)) != GTF_permit_access ||
                     sha.domid != ld->domain_id) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant: d%u ref %#x: flags %#x dom %u do not permit "
                "access by d%u -> GNTST_general_error\n", rd->domain_id, ref,
                sha.flags, sha.domid, ld->domain_id);
        return GNTST_general_error;
    }
    if ( !readonly && !act->hstw && (sha.flags & GTF_readonly) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant: d%u ref %#x is read-only: no writable pin "
                "-> GNTST_general_error\n", rd->domain_id, ref);
        return GNTST_general_error;
    }
    if ( !pinned )
    {
        m = sha.frame >> 32 ? INVALID_MFN : gfn_to_mfn(rd, _gfn((unsigned long)sha.frame));
        if ( !mfn_is_ram(m) || mfn_to_page(m)->owner != rd->domain_id ||
             (mfn_to_page(m)->count_info & PGC_free) )
        {
            gprintk(ld, XENLOG_G_WARNING "grant: d%u ref %#x names frame %#lx, not a "
                    "page of d%u -> GNTST_bad_page\n", rd->domain_id, ref,
                    (unsigned long)sha.frame, rd->domain_id);
            return GNTST_bad_page;
        }
        act->mfn = (uint32_t)mfn_x(m);
        act->domid = ld->domain_id;
        rgt->nr_pinned++;
    }
    gnttab_set_status(rgt, ref, (uint16_t)(GTF_reading | (readonly ? 0 : GTF_writing)));
    if ( readonly )
        act->hstr++;
    else
        act->hstw++;
    *mfn = _mfn(act->mfn);
    return GNTST_okay;
}

void gnttab_map_one(struct gnttab_map_grant_ref *op)
{
    struct domain *ld = current->domain, *rd;
    struct grant_table *lgt = &ld->grant_table;
    bool readonly = op->flags & GNTMAP_readonly;
    struct grant_mapping *map;
    struct page_info *pg;
    uint32_t handle;
    mfn_t mfn;
    int16_t rc;

    if ( !(op->flags & (GNTMAP_device_map | GNTMAP_host_map)) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant map: flags %#x ask for no mapping "
                "-> GNTST_bad_gntref\n", op->flags);
        op->status = GNTST_bad_gntref;
        return;
    }
    if ( op->flags & GNTMAP_device_map )
    {
        gprintk(ld, XENLOG_G_WARNING "grant map: no devices, no GNTMAP_device_map "
                "-> GNTST_general_error\n");
        op->status = GNTST_general_error;
        return;
    }
    rd = op->dom == DOMID_SELF ? NULL : get_domain_by_id(op->dom);
    if ( !rd || rd->state == DOMAIN_DEAD )
    {
        gprintk(ld, XENLOG_G_WARNING "grant map: no domain %u -> GNTST_bad_domain\n",
                op->dom);
        op->status = GNTST_bad_domain;
        return;
    }
    if ( (handle = get_maptrack_handle(lgt)) == MAPTRACK_END )
    {
        gprintk(ld, XENLOG_G_WARNING "grant map: d%u's maptrack is full "
                "-> GNTST_no_space\n", ld->domain_id);
        op->status = GNTST_no_space;
        return;
    }
    if ( op->ref >= nr_grant_entries(&rd->grant_table) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant map: bad ref %#x for d%u -> GNTST_bad_gntref\n",
                op->ref, rd->domain_id);
        rc = GNTST_bad_gntref;
        goto out_handle;
    }
    if ( (rc = pin_grant(rd, op->ref, ld, readonly, &mfn)) != GNTST_okay )
        goto out_handle;

    /* The references an L1 entry mapping the frame holds. */
    pg = mfn_to_page(mfn);
    rc = GNTST_general_error;
    if ( !get_page(pg, rd) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant map: could not pin grant frame %#lx of d%u "
                "-> GNTST_general_error\n", mfn_x(mfn), rd->domain_id);
        goto out_pin;
    }
    if ( !readonly && !get_page_type(pg, PGT_writable_page) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant map: frame %#lx of d%u is a %s page: no "
                "writable mapping -> GNTST_general_error\n", mfn_x(mfn), rd->domain_id,
                page_type_name(pg->type_info));
        goto out_ref;
    }
    if ( (rc = create_grant_pv_mapping(op->host_addr, mfn, op->flags)) != GNTST_okay )
    {
        if ( !readonly )
            put_page_type(pg);
        goto out_ref;
    }
    map = maptrack_entry(lgt, handle);
    map->ref = op->ref;
    map->domid = rd->domain_id;
    map->flags = op->flags;
    op->handle = handle;
    op->dev_bus_addr = mfn_to_maddr(mfn);
    op->status = GNTST_okay;
    return;

 out_ref:
    put_page(pg);
 out_pin:
    gnttab_drop_pin(rd, op->ref, readonly);
 out_handle:
    put_maptrack_handle(lgt, handle);
    op->status = rc;
}

void gnttab_unmap_one(struct gnttab_unmap_grant_ref *op)
{
    struct domain *ld = current->domain, *rd;
    struct grant_table *lgt = &ld->grant_table;
    struct grant_mapping *map;
    struct active_grant_entry *act;
    struct page_info *pg;
    uint32_t flags;
    mfn_t mfn;

    if ( op->handle >= maptrack_limit(lgt) || !(map = maptrack_entry(lgt, op->handle))->flags )
    {
        gprintk(ld, XENLOG_G_WARNING "grant unmap: bad handle %#x -> GNTST_bad_handle\n",
                op->handle);
        op->status = GNTST_bad_handle;
        return;
    }
    flags = map->flags;
    rd = get_domain_by_id(map->domid);
    act = rd ? active_entry(&rd->grant_table, map->ref) : NULL;
    if ( !act || !(act->hstr || act->hstw) || act->domid != ld->domain_id )
    {
        gprintk(ld, XENLOG_G_WARNING "grant unmap: unstable handle %#x -> "
                "GNTST_bad_handle\n", op->handle);
        op->status = GNTST_bad_handle;
        return;
    }
    mfn = _mfn(act->mfn);
    /* Only a device mapping is checked against its bus address (Xen);
     * a host mapping's unmap ignores the field. */
    if ( (flags & GNTMAP_device_map) && op->dev_bus_addr &&
         op->dev_bus_addr != mfn_to_maddr(mfn) )
    {
        gprintk(ld, XENLOG_G_WARNING "grant unmap: bus address %#lx is not the grant's "
                "-> GNTST_bad_dev_addr\n", (unsigned long)op->dev_bus_addr);
        op->status = GNTST_bad_dev_addr;
        return;
    }
    if ( !op->host_addr || !(flags & GNTMAP_host_map) )
    {
        op->status = GNTST_okay;            /* nothing asked: as Xen, nothing done */
        return;
    }
    if ( (op->status = destroy_grant_pv_mapping(op->host_addr, mfn, flags)) != GNTST_okay )
        return;
    /* All checks passed: now everything goes together. */
    arch_flush_tlb_domain(ld);
    pg = mfn_to_page(mfn);
    if ( !(flags & GNTMAP_readonly) )
        put_page_type(pg);
    put_page(pg);
    gnttab_drop_pin(rd, map->ref, flags & GNTMAP_readonly);
    put_maptrack_handle(lgt, op->handle);
}
