/*
 * pt.h - internals shared by the PV-MMU core's files (xen-like/mm/).
 */
#ifndef XL_MM_PT_H
#define XL_MM_PT_H

#include <stdbool.h>
#include "mm.h"
#include "domain.h"
#include "mmu.h"

struct domain;


/* page_info.partial_flags (see page_ref.c). */
#define PTF_demoting       0x1   /* the partial state is a devalidation */
#define PTF_entry_partial  0x2   /* entry nr_validated_ptes is half done */

/* PGT_lN_page_table for level N (1-4). */
static inline unsigned long pt_level_type(unsigned int level)
{
    return (unsigned long)level << PGT_type_shift;
}
static inline unsigned int pt_type_level(unsigned long type_info)
{
    unsigned long t = (type_info & PGT_type_mask) >> PGT_type_shift;
    return t >= 1 && t <= 4 ? (unsigned int)t : 0;
}
const char *page_type_name(unsigned long type_info);

/* Slots 256-271 of an L4 belong to the hypervisor. */
static inline bool is_guest_l4_slot(unsigned int i)
{
    return i < XEN_FIRST_SLOT || i > XEN_LAST_SLOT;
}

/* page_ref.c: get_page_type that reports why it failed (innermost code). */
int get_page_type_rc(struct page_info *pg, unsigned long type, bool preemptible);

/* pt_entry.c: the rules for one entry. */
/* Flag bits every level may use: P RW U A D, AVAIL (9-11), 52-62, NX. */
#define BASE_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                      _PAGE_DIRTY | _PAGE_AVAIL | (0x7ffUL << 52) | _PAGE_NX)
#define CACHE_BITS   (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
#define FLAG_BITS    (~PADDR_MASK)
/* The flag bits an entry at `level` may not have (inline: asked per entry). */
static inline intpte_t pt_disallow_mask(unsigned int level, const struct domain *d)
{
    intpte_t allowed = BASE_ALLOWED;

    if ( !cpu_has_nx )
        allowed &= ~_PAGE_NX;
    if ( level == 1 )
    {
        allowed |= _PAGE_GLOBAL;
        if ( d->io_rights )
            allowed |= CACHE_BITS;
    }
    return FLAG_BITS & ~allowed;
}
/* The bits Xen adds to a present L1 entry (inline: per entry). */
static inline intpte_t adjust_guest_l1e(intpte_t e)
{
    if ( !(e & _PAGE_PRESENT) )
        return e;
    if ( !(e & _PAGE_USER) )
        e |= _PAGE_USER | _PAGE_GUEST_KERNEL;      /* a guest-kernel page */
    if ( !(e & _PAGE_GUEST_KERNEL) )
        e |= _PAGE_USER | _PAGE_GLOBAL;            /* a user page: global */
    return e;
}
intpte_t adjust_guest_lNe(unsigned int level, intpte_t e);
/* < 0: refused; > 0: bits to flip in the installed entry (I/O caching). */
int get_page_from_l1e(intpte_t e, struct domain *l1e_owner, struct domain *pg_owner);
void put_page_from_l1e(intpte_t e);
int get_page_from_lNe(unsigned int level, intpte_t e, mfn_t table, struct domain *d,
                      bool preemptible);
int put_page_from_lNe(unsigned int level, intpte_t e, mfn_t table, bool preemptible);

/* pt_validate.c: promote / demote a whole table (entries [start, 512)). */
int promote_table(struct page_info *pg, unsigned int level, bool preemptible);
int demote_table(struct page_info *pg, unsigned int level, bool preemptible);

/* pt_update.c: change one entry of a validated table. */
int mod_lN_entry(unsigned int level, intpte_t *ple, intpte_t nle, mfn_t table,
                 struct domain *d, bool preserve_ad, bool translate);
int mod_l1_entry_va(intpte_t *pl1e, intpte_t nl1e, mfn_t table, struct domain *pt_owner,
                    struct domain *pg_owner, bool preserve_ad, bool translate,
                    unsigned long va);

/* pv_l1.c: the validated, owned L1 entry mapping va in v's kernel tables. */
intpte_t *pv_guest_l1e(struct vcpu *v, unsigned long va, mfn_t *l1mfn);

/* trace.c: mmu_trace=1 (va ~0UL when unknown). */
void mmu_trace(const struct domain *d, unsigned int level, mfn_t table, unsigned int slot,
               unsigned long va, intpte_t guest_e, intpte_t installed, int rc);

/* mmuext_op.c: the deferred put of a reference that is being dropped. */
void defer_put(struct vcpu *v, struct page_info *pg, bool partial);

#endif
