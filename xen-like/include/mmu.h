/*
 * mmu.h - the PV-MMU core's API, as the rest of the hypervisor (and the host
 * tests) see it.  The hypercall handlers themselves (do_mmu_update,
 * do_mmuext_op, do_update_va_mapping[_otherdomain], do_multicall) are
 * declared in hypercall.h from hypercalls/hypercalls.def.
 *
 * Error convention: 0 or a negative XEN_Exxx; -XEN_ERESTART means "preempted,
 * state saved, call again" and never reaches a guest (it becomes a
 * continuation).
 */
#ifndef XL_MMU_H
#define XL_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include "domain.h"
#include "page.h"
#include "mm.h"

struct page_info;

/*
 * "Preempted, call again".  Xen's <xen/errno.h> defines ERESTART (85) only
 * for Xen itself (__XEN__), since it must never reach a guest; xen-like
 * uses the same number for the same internal purpose.
 */
#ifndef XEN_ERESTART
#define XEN_ERESTART 85
#endif

/* get_page/put_page: general references, checked against the owner. */
/* Inline: taken once per present entry a table validates (docs/bench.md). */
static inline bool get_page(struct page_info *pg, const struct domain *d)
{
    unsigned long c = pg->count_info & PGC_count_mask;

    if ( (pg->count_info & PGC_free) || c == 0 || c >= PGC_count_mask - 1 ||
         pg->owner != d->domain_id || d->domain_id == DOMID_XEN )
        return false;           /* (the hypervisor's own frames are never lent) */
    pg->count_info++;
    return true;
}
void put_page(struct page_info *pg);

/*
 * get_page_type/put_page_type: type references.  Taking the first
 * reference of a page-table type validates (promotes) the frame, which may
 * recurse into the tables it points at; dropping the last devalidates
 * (demotes) it.  The _preemptible forms may stop part-way with
 * -XEN_ERESTART, leaving the frame PGT_partial; the plain forms never do.
 * Failure returns the innermost reason (e.g. -XEN_EBUSY from an L1 entry
 * three levels down).
 */
int get_page_type_preemptible(struct page_info *pg, unsigned long type);
int put_page_type_preemptible(struct page_info *pg);
bool get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
/* Drop the claim a half-done entry or a partial deferred put holds on a
 * partial frame: a type put only if pg is still PGT_partial (page_ref.c). */
int put_page_type_partial(struct page_info *pg, bool preemptible);
bool get_page_and_type(struct page_info *pg, const struct domain *d, unsigned long type);
void put_page_and_type(struct page_info *pg);

/* Load mfn as the vCPU's kernel / user page table (NEW_[USER_]BASEPTR). */
int new_guest_cr3(struct vcpu *v, mfn_t mfn);
int new_guest_user_cr3(struct vcpu *v, mfn_t mfn);

/* relinquish.c: drop everything a dead domain holds; returns the number of
 * frames it still owns (0 unless a count is wrong). */
unsigned long domain_relinquish_memory(struct domain *d);

/* Finish this vCPU's deferred put; 0 when done, -XEN_ERESTART if preempted. */
int put_old_guest_table(struct vcpu *v);

/*
 * Translate mode (p2m.c): guest frame -> machine frame.  In Xen mode (the
 * default) it is the identity; INVALID_MFN if the guest frame is not
 * populated.  translate_pte rewrites the frame of a guest-written entry.
 */
mfn_t gfn_to_mfn(const struct domain *d, gfn_t gfn);
int translate_pte(const struct domain *d, intpte_t *e);
int p2m_init(struct domain *d, unsigned long nr);
void p2m_set(struct domain *d, unsigned long pfn, mfn_t mfn);

/*
 * Change one entry of a validated L1 (table) with every check of
 * mmu_update: the writable-page-table emulation uses it too.
 */
int mod_l1_entry(intpte_t *pl1e, intpte_t nl1e, mfn_t table, struct domain *pt_owner,
                 struct domain *pg_owner, bool preserve_ad, bool translate);

/* Does the CPU (with EFER.NXE) honour NX?  Set at boot; NX is refused
 * in guest entries otherwise. */
extern bool cpu_has_nx;

/* iomem.c: may d map this non-RAM frame?  (Set up from CPUID at boot.) */
bool iomem_access_permitted(const struct domain *d, mfn_t mfn);
void iomem_setup(unsigned int paddr_bits, bool amd_ht_hole);

/* mmu_trace=1: print one f·g line per page-table update (mm/trace.c). */
extern bool mmu_trace_enabled;

/* The domain owning frames that a foreigndom argument names (Xen's
 * get_pg_owner): NULL and *rc set on failure. */
struct domain *get_pg_owner(domid_t domid, int *rc);

/*
 * mm/audit.c: recount every reference from scratch (frame table, live
 * tables, vCPU roots, pins, GDT frames, deferred puts, partial holds) and
 * compare with the stored counts.  0 if consistent; otherwise the number
 * of the first broken invariant of pvmmu-security.md §3 (-1 if the audit
 * itself could not run), with a line naming it and the frame in why.
 * Booting with mmu_audit=1 runs it after every MMU hypercall.
 */
int mmu_audit(char *why, size_t len);
/* Hypervisor frames the audit keeps as its per-frame scratch (allocated at
 * its first run, never freed; the end-of-run frame accounting counts them). */
unsigned long mmu_audit_scratch_frames(void);

/*
 * Debug-key views of the PV-MMU state (read only, nothing is taken):
 * pt_dump_domain() prints d's page-table tree in the stable format of
 * mm/pt_dump.c and returns the number of tables; frame_census() prints
 * every frame counted by owner and type (mm/frame_census.c).
 */
unsigned long pt_dump_domain(const struct domain *d);
void frame_census(void);

#endif
