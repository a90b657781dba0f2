/*
 * pt_update.c - change one entry of a live (validated) page table.
 *
 * The new entry takes its references first; only then is it stored, and
 * the old entry's references dropped.  If the new entry names the same
 * frame and changes only harmless bits (accessed, dirty, NX, available
 * bits, U, G), no references move: Xen's fast path.  RW is *not* harmless:
 * turning it on must take a writable type reference (XSA-182), and PSE is
 * never allowed at all (XSA-148).
 *
 * Dropping an old L2-L4 entry may mean devalidating a whole subtree.  That
 * is not done inside the update: the reference is parked in the vCPU's
 * deferred-put slot and finished, preemptibly, before the next request.
 */
#include "console.h"
#include "domain.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "panic.h"
#include "pt.h"

#define L1_FASTPATH (_PAGE_NX | (0x7ffUL << 52) | _PAGE_AVAIL | _PAGE_GLOBAL | \
                     _PAGE_DIRTY | _PAGE_ACCESSED | _PAGE_USER)
#define LN_FASTPATH (_PAGE_NX | (0x7ffUL << 52) | _PAGE_AVAIL | _PAGE_DIRTY | \
                     _PAGE_ACCESSED | _PAGE_USER)

static bool fastpath(intpte_t o, intpte_t n, intpte_t ok_bits)
{
    return (o & _PAGE_PRESENT) && !((o ^ n) & ~ok_bits);
}

static void store(intpte_t *p, intpte_t n, bool preserve_ad)
{
    if ( preserve_ad )
        n |= *p & (_PAGE_ACCESSED | _PAGE_DIRTY);
    *p = n;
}

static int __mod_l1_entry(intpte_t *pl1e, intpte_t nl1e, mfn_t table, struct domain *pt_owner,
                          struct domain *pg_owner, bool preserve_ad, bool translate)
{
    intpte_t ol1e = *pl1e;
    int rc;

    if ( nl1e & _PAGE_PRESENT )
    {
        /* Translate mode: the guest wrote its own frame number (f·g). */
        if ( translate && (rc = translate_pte(pg_owner, &nl1e)) )
            return rc;
        if ( nl1e & pt_disallow_mask(1, pt_owner) )
        {
            gprintk(pt_owner, XENLOG_G_WARNING "L1 slot %u of mfn %#lx: bad L1 flags "
                    "%#lx -> -EINVAL\n", (unsigned int)(((unsigned long)pl1e >> 3) & 511),
                    mfn_x(table), (unsigned long)(nl1e & pt_disallow_mask(1, pt_owner)));
            return -XEN_EINVAL;
        }
        nl1e = adjust_guest_l1e(nl1e);
        if ( fastpath(ol1e, nl1e, L1_FASTPATH) )
        {
            store(pl1e, nl1e, preserve_ad);
            return 0;
        }
        if ( (rc = get_page_from_l1e(nl1e, pt_owner, pg_owner)) < 0 )
            return rc;
        nl1e ^= (intpte_t)rc;                  /* I/O caching, as Xen */
    }
    store(pl1e, nl1e, preserve_ad);
    put_page_from_l1e(ol1e);
    return 0;
}

/*
 * Drop an old L2-L4 entry.  Cheap cases happen now; one that would
 * devalidate the target (its last type reference) is deferred.
 */
static void put_old_lNe(unsigned int level, intpte_t e, mfn_t table)
{
    struct vcpu *v = current;
    struct page_info *pg;

    if ( !(e & _PAGE_PRESENT) || mfn_eq(pte_mfn(e), table) )
        return;
    pg = mfn_to_page(pte_mfn(e));
    if ( (pg->type_info & PGT_count_mask) > 1 || !mfn_eq(v->old_guest_table, INVALID_MFN) )
    {
        put_page_from_lNe(level, e, table, false);
        return;
    }
    if ( (pg->type_info & PGT_type_mask) == pt_level_type(level) )
    {
        /* A linear entry: settle the role counters now. */
        mfn_to_page(table)->linear_pt_count--;
        pg->linear_pt_count++;
    }
    defer_put(v, pg, false);
}

static int __mod_lN_entry(unsigned int level, intpte_t *ple, intpte_t nle, mfn_t table,
                          struct domain *d, bool preserve_ad, bool translate)
{
    unsigned int slot = (unsigned int)(((unsigned long)ple >> 3) & 511);
    intpte_t ole = *ple;
    int rc;

    if ( level == 4 && !is_guest_l4_slot(slot) )
    {
        gprintk(d, XENLOG_G_WARNING "L4 slot %u of mfn %#lx belongs to the hypervisor "
                "-> -EINVAL\n", slot, mfn_x(table));
        return -XEN_EINVAL;
    }
    if ( nle & _PAGE_PRESENT )
    {
        if ( translate && (rc = translate_pte(d, &nle)) )
            return rc;
        if ( nle & pt_disallow_mask(level, d) )
        {
            gprintk(d, XENLOG_G_WARNING "L%u slot %u of mfn %#lx: bad L%u flags %#lx "
                    "-> -EINVAL\n", level, slot, mfn_x(table), level,
                    (unsigned long)(nle & pt_disallow_mask(level, d)));
            return -XEN_EINVAL;
        }
        nle = adjust_guest_lNe(level, nle);
        if ( fastpath(ole, nle, LN_FASTPATH) )
        {
            store(ple, nle, preserve_ad);
            return 0;
        }
        if ( (rc = get_page_from_lNe(level, nle, table, d, true)) )
        {
            if ( rc == -XEN_ERESTART )
            {
                /* Hooking in a subtree whose validation was preempted: the
                 * request is retried; drop the child's general ref meanwhile
                 * (its partial state keeps it alive). */
                put_page(mfn_to_page(pte_mfn(nle)));
            }
            return rc;
        }
    }
    store(ple, nle, preserve_ad);
    put_old_lNe(level, ole, table);
    return 0;
}

/* The entry points: the update, then (with mmu_trace=1) one line about it. */
int mod_l1_entry_va(intpte_t *pl1e, intpte_t nl1e, mfn_t table, struct domain *pt_owner,
                    struct domain *pg_owner, bool preserve_ad, bool translate,
                    unsigned long va)
{
    int rc = __mod_l1_entry(pl1e, nl1e, table, pt_owner, pg_owner, preserve_ad, translate);

    if ( mmu_trace_enabled )
        mmu_trace(pt_owner, 1, table, (unsigned int)(((unsigned long)pl1e >> 3) & 511), va,
                  nl1e, *pl1e, rc);
    return rc;
}

int mod_l1_entry(intpte_t *pl1e, intpte_t nl1e, mfn_t table, struct domain *pt_owner,
                 struct domain *pg_owner, bool preserve_ad, bool translate)
{
    return mod_l1_entry_va(pl1e, nl1e, table, pt_owner, pg_owner, preserve_ad, translate,
                           ~0UL);
}

int mod_lN_entry(unsigned int level, intpte_t *ple, intpte_t nle, mfn_t table,
                 struct domain *d, bool preserve_ad, bool translate)
{
    int rc = __mod_lN_entry(level, ple, nle, table, d, preserve_ad, translate);

    if ( mmu_trace_enabled )
        mmu_trace(d, level, table, (unsigned int)(((unsigned long)ple >> 3) & 511), ~0UL,
                  nle, *ple, rc);
    return rc;
}
