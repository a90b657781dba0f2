/*
 * pv_l1.c - changing one L1 entry on a guest's behalf (update_va_mapping)
 * and switching its page-table base (mov %cr3).
 *
 * This is the first, smallest piece of the PV-MMU: an L1 entry is
 * installed only after the rules below hold, each refusal naming its rule.
 *   - the L1 page is a validated L1 table owned by the domain (-EINVAL);
 *   - no reserved flag is set: PSE/PAT, and cache-control bits unless the
 *     domain may do I/O (-EINVAL);
 *   - the frame is RAM owned by the domain (-EBUSY), or an I/O frame the
 *     domain has rights to (-EPERM otherwise);
 *   - a writable entry takes a writable type reference, which fails if the
 *     frame is a page table or a descriptor page in use (-EBUSY).
 * The entry is then adjusted as Xen does (a kernel page gets U and the
 * GUEST_KERNEL marker, a user page gets G), the old entry's references are
 * dropped, and the TLB is flushed only if the guest asked.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm.h"
#include "mmu.h"
#include "x86.h"

#define L1_FLAG_MASK   (~PADDR_MASK)
#define BASE_ALLOWED   (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                        _PAGE_DIRTY | _PAGE_AVAIL | (0x7ffUL << 52) | _PAGE_NX)
#define CACHE_BITS     (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
/* Bits whose change needs no new references (Xen's fast path). */
#define FASTPATH_BITS  (_PAGE_NX | (0x7ffUL << 52) | _PAGE_AVAIL | _PAGE_GLOBAL | \
                        _PAGE_DIRTY | _PAGE_ACCESSED | _PAGE_USER)

static intpte_t l1_disallowed(const struct domain *d)
{
    intpte_t allowed = BASE_ALLOWED | _PAGE_GLOBAL;

    if ( d->is_privileged )
        allowed |= CACHE_BITS;                  /* dom0 has I/O rights */
    if ( !(rdmsr(MSR_EFER) & EFER_NXE) )
        allowed &= ~_PAGE_NX;
    return L1_FLAG_MASK & ~allowed;
}

static intpte_t adjust_guest_l1e(intpte_t e)
{
    if ( !(e & _PAGE_PRESENT) )
        return e;
    if ( !(e & _PAGE_USER) )
        e |= _PAGE_USER | _PAGE_GUEST_KERNEL;
    if ( !(e & _PAGE_GUEST_KERNEL) )
        e |= _PAGE_USER | _PAGE_GLOBAL;
    return e;
}

static int get_page_from_l1e(intpte_t e, struct domain *d)
{
    mfn_t mfn = pte_mfn(e);
    struct page_info *pg;

    if ( !mfn_is_ram(mfn) )
    {
        if ( d->is_privileged )
            return 0;                           /* dom0 may map I/O frames */
        gprintk(d, XENLOG_G_WARNING "L1e %#lx: mfn %#lx is not RAM and d%u has no "
                "I/O rights\n", (unsigned long)e, mfn_x(mfn), d->domain_id);
        return -XEN_EPERM;
    }
    pg = mfn_to_page(mfn);
    if ( !get_page(pg, d) )
    {
        gprintk(d, XENLOG_G_WARNING "L1e %#lx: mfn %#lx is not owned by d%u "
                "(owner %u)\n", (unsigned long)e, mfn_x(mfn), d->domain_id, pg->owner);
        return -XEN_EBUSY;
    }
    if ( (e & _PAGE_RW) && !get_page_type(pg, PGT_writable_page) )
    {
        put_page(pg);
        gprintk(d, XENLOG_G_WARNING "L1e %#lx: mfn %#lx may not be mapped writable: "
                "it is in use as type %lu\n", (unsigned long)e, mfn_x(mfn),
                (unsigned long)(pg->type_info >> PGT_type_shift));
        return -XEN_EBUSY;
    }
    return 0;
}

static void put_page_from_l1e(intpte_t e)
{
    mfn_t mfn = pte_mfn(e);
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) || !mfn_is_ram(mfn) )
        return;
    pg = mfn_to_page(mfn);
    if ( e & _PAGE_RW )
        put_page_type(pg);
    put_page(pg);
}

static int mod_l1_entry(intpte_t *pl1e, intpte_t nl1e, struct domain *d)
{
    intpte_t ol1e = *pl1e;
    int rc;

    if ( nl1e & _PAGE_PRESENT )
    {
        if ( nl1e & l1_disallowed(d) )
        {
            gprintk(d, XENLOG_G_WARNING "bad L1 flags %#lx in %#lx\n",
                    (unsigned long)(nl1e & l1_disallowed(d)), (unsigned long)nl1e);
            return -XEN_EINVAL;
        }
        nl1e = adjust_guest_l1e(nl1e);
        if ( (ol1e & _PAGE_PRESENT) && !((ol1e ^ nl1e) & ~FASTPATH_BITS) )
        {
            *pl1e = nl1e;                       /* same frame, same rights */
            return 0;
        }
        if ( (rc = get_page_from_l1e(nl1e, d)) )
            return rc;
    }
    *pl1e = nl1e;
    put_page_from_l1e(ol1e);
    return 0;
}

/* The validated L1 that maps va in the vCPU's kernel page tables. */
static intpte_t *guest_l1e(struct vcpu *v, unsigned long va, mfn_t *l1mfn)
{
    intpte_t *t = mfn_to_virt(v->guest_table), e = 0;
    struct page_info *pg;

    for ( unsigned int shift = L4_PAGETABLE_SHIFT; shift > L2_PAGETABLE_SHIFT - 9;
          shift -= 9 )
    {
        e = t[(va >> shift) & 511];
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return NULL;
        if ( shift == L2_PAGETABLE_SHIFT )
            break;
        t = mfn_to_virt(pte_mfn(e));
    }
    *l1mfn = pte_mfn(e);
    pg = mfn_to_page(*l1mfn);
    if ( !mfn_is_ram(*l1mfn) || pg->owner != v->domain->domain_id ||
         (pg->type_info & (PGT_type_mask | PGT_validated)) !=
         (PGT_l1_page_table | PGT_validated) || !(pg->type_info & PGT_count_mask) )
        return NULL;
    return (intpte_t *)mfn_to_virt(*l1mfn) + l1_table_offset(va);
}

long do_update_va_mapping(unsigned long va, unsigned long val, unsigned long flags)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    intpte_t *pl1e;
    mfn_t l1mfn;
    int rc;

    if ( !guest_range_ok(va, 1) || !is_canonical_address(va) ||
         !(pl1e = guest_l1e(v, va, &l1mfn)) )
    {
        gprintk(d, XENLOG_G_WARNING "update_va_mapping: no validated L1 maps va %#lx\n",
                va);
        return -XEN_EINVAL;
    }
    if ( (rc = mod_l1_entry(pl1e, val, d)) )
        return rc;

    switch ( flags & UVMF_FLUSHTYPE_MASK )
    {
    case UVMF_TLB_FLUSH:
        flush_tlb_local();
        break;
    case UVMF_INVLPG:
        invlpg(va);
        break;
    }
    if ( (flags & ~UVMF_FLUSHTYPE_MASK) != UVMF_LOCAL &&
         (flags & ~UVMF_FLUSHTYPE_MASK) != UVMF_ALL )
    {
        unsigned long bitmap;

        /* UVMF_MULTI: a pointer to a vCPU bitmap (one CPU here). */
        if ( copy_from_guest(&bitmap, flags & ~UVMF_FLUSHTYPE_MASK, sizeof(bitmap)) )
            return -XEN_EFAULT;
    }
    return 0;
}

int new_guest_cr3(struct vcpu *v, mfn_t mfn)
{
    struct domain *d = v->domain;
    struct page_info *pg;
    mfn_t old = v->guest_table;

    if ( mfn_eq(mfn, old) )
    {
        write_cr3(mfn_to_maddr(mfn));           /* a plain TLB flush */
        return 0;
    }
    if ( !mfn_is_ram(mfn) || !get_page(pg = mfn_to_page(mfn), d) )
    {
        gprintk(d, XENLOG_G_WARNING "new CR3 %#lx: frame not owned by d%u\n",
                mfn_x(mfn), d->domain_id);
        return -XEN_EINVAL;
    }
    if ( !get_page_type(pg, PGT_l4_page_table) )
    {
        put_page(pg);
        gprintk(d, XENLOG_G_WARNING "new CR3 %#lx: not a validated L4\n", mfn_x(mfn));
        return -XEN_EINVAL;
    }
    init_xen_l4_slots(mfn_to_virt(mfn), d, true);
    v->guest_table = mfn;
    if ( v->kernel_mode )
        write_cr3(mfn_to_maddr(mfn));
    if ( !mfn_eq(old, INVALID_MFN) )
    {
        put_page_type(mfn_to_page(old));
        put_page(mfn_to_page(old));
    }
    return 0;
}
