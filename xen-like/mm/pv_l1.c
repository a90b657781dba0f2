/*
 * pv_l1.c - update_va_mapping[_otherdomain]: change the L1 entry that maps
 * one virtual address of the current address space, then flush as asked.
 *
 * The L1 is found by walking the vCPU's kernel page tables; it must be a
 * validated L1 owned by the caller.  The entry is checked exactly as an
 * mmu_update to that L1 would be.  Flags: bits 0-1 say what to flush
 * (0 nothing, 1 the whole TLB, 2 one entry, 3 nothing); the rest is
 * UVMF_LOCAL (0), UVMF_ALL (4) or a pointer to a vCPU bitmap.  A bad
 * address fails before any flush (XSA-279), and an unreadable bitmap
 * fails with -EFAULT after the entry was changed, as on Xen.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "pt.h"

/* The validated L1 entry that maps va in v's kernel page tables (also
 * grant_map.c: a grant mapping by virtual address). */
intpte_t *pv_guest_l1e(struct vcpu *v, unsigned long va, mfn_t *l1mfn)
{
    intpte_t e = pte_from_mfn(v->guest_table, _PAGE_PRESENT);
    struct page_info *pg;

    if ( mfn_eq(v->guest_table, INVALID_MFN) )
        return NULL;                           /* no kernel page table yet */

    for ( unsigned int shift = L4_PAGETABLE_SHIFT; shift >= L2_PAGETABLE_SHIFT;
          shift -= 9 )
    {
        e = ((intpte_t *)mfn_to_virt(pte_mfn(e)))[(va >> shift) & 511];
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) || !mfn_is_ram(pte_mfn(e)) )
            return NULL;
    }
    *l1mfn = pte_mfn(e);
    pg = mfn_to_page(*l1mfn);
    if ( pg->owner != v->domain->domain_id ||
         (pg->type_info & (PGT_type_mask | PGT_validated)) !=
         (PGT_l1_page_table | PGT_validated) || !(pg->type_info & PGT_count_mask) )
        return NULL;
    return (intpte_t *)mfn_to_virt(*l1mfn) + l1_table_offset(va);
}

static long update_va_mapping(unsigned long va, unsigned long val, unsigned long flags,
                              struct domain *pg_owner)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    unsigned long bmap = flags & ~UVMF_FLUSHTYPE_MASK;
    intpte_t *pl1e;
    mfn_t l1mfn;
    long rc;

    if ( !is_canonical_address(va) || !guest_range_ok(va, 1) ||
         !(pl1e = pv_guest_l1e(v, va, &l1mfn)) )
    {
        gprintk(d, XENLOG_G_WARNING "update_va_mapping: no validated L1 of d%u maps "
                "va %#lx -> -EINVAL\n", d->domain_id, va);
        return -XEN_EINVAL;
    }
    if ( (rc = mod_l1_entry_va(pl1e, val, l1mfn, d, pg_owner, false, true, va)) )
        return rc;

    switch ( flags & UVMF_FLUSHTYPE_MASK )
    {
    case UVMF_TLB_FLUSH:
    case UVMF_INVLPG:
        if ( bmap != UVMF_LOCAL && bmap != UVMF_ALL )
        {
            unsigned long mask;

            if ( copy_from_guest(&mask, bmap, sizeof(mask)) )
                return -XEN_EFAULT;            /* the entry is changed already */
        }
        if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG )
            arch_invlpg(va);
        else if ( bmap == UVMF_LOCAL )
            arch_flush_tlb_local();
        else
            arch_flush_tlb_domain(d);
        break;
    }
    return 0;
}

long do_update_va_mapping(unsigned long va, unsigned long val, unsigned long flags)
{
    struct vcpu *v = current;
    int rc = put_old_guest_table(v);

    if ( rc == -XEN_ERESTART )
        return hypercall_create_continuation(__HYPERVISOR_update_va_mapping, 3, va, val,
                                             flags, 0, 0);
    return rc ? rc : update_va_mapping(va, val, flags, v->domain);
}

long do_update_va_mapping_otherdomain(unsigned long va, unsigned long val,
                                      unsigned long flags, unsigned long domid)
{
    struct vcpu *v = current;
    struct domain *pg_owner;
    int rc = put_old_guest_table(v);

    if ( rc == -XEN_ERESTART )
        return hypercall_create_continuation(__HYPERVISOR_update_va_mapping_otherdomain,
                                             4, va, val, flags, domid, 0);
    if ( rc )
        return rc;
    if ( !(pg_owner = get_pg_owner((domid_t)domid, &rc)) )
        return rc;
    if ( pg_owner != v->domain && !v->domain->is_privileged )
        return -XEN_EPERM;
    return update_va_mapping(va, val, flags, pg_owner);
}
