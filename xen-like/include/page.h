/*
 * page.h - typed frame numbers and page-table entries.
 *
 * Three address spaces meet in a PV hypervisor, and mixing them up is the
 * classic bug.  Each gets its own one-field struct so that passing one where
 * another is expected fails to compile:
 *
 *   mfn_t  machine frame number: a real frame of host RAM (what the MMU
 *          walks, what the frame table and the M2P are indexed by);
 *   pfn_t  pseudo-physical frame number: the guest's own idea of "physical"
 *          frame n, 0..nr_pages-1, indexed into its P2M;
 *   gfn_t  guest frame number: the number a guest writes into its page
 *          tables.  For a PV (non-translated) guest gfn == mfn; for a
 *          translated guest gfn == pfn.
 */
#ifndef XL_PAGE_H
#define XL_PAGE_H

#include <stdint.h>
#include <stdbool.h>
#include "layout.h"
#include "x86-pte.h"             /* _PAGE_*: the CPU's entry bits, shared with the guest */

typedef struct { unsigned long m; } mfn_t;
typedef struct { unsigned long p; } pfn_t;
typedef struct { unsigned long g; } gfn_t;

#define _mfn(x) ((mfn_t){ (x) })
#define _pfn(x) ((pfn_t){ (x) })
#define _gfn(x) ((gfn_t){ (x) })
static inline unsigned long mfn_x(mfn_t m) { return m.m; }
static inline unsigned long pfn_x(pfn_t p) { return p.p; }
static inline unsigned long gfn_x(gfn_t g) { return g.g; }
static inline bool mfn_eq(mfn_t a, mfn_t b) { return a.m == b.m; }

#define INVALID_MFN  _mfn(~0UL)
#define INVALID_PFN  _pfn(~0UL)
#define INVALID_M2P_ENTRY (~0UL)
#define INVALID_P2M_ENTRY (~0UL)

typedef uint64_t paddr_t;
static inline paddr_t mfn_to_maddr(mfn_t m) { return (paddr_t)mfn_x(m) << PAGE_SHIFT; }
static inline mfn_t maddr_to_mfn(paddr_t a) { return _mfn(a >> PAGE_SHIFT); }

#ifndef HOST_TEST
/* The direct map: every RAM frame is visible at DIRECTMAP_VIRT_START + maddr. */
static inline void *maddr_to_virt(paddr_t a) { return (void *)(DIRECTMAP_VIRT_START + a); }
static inline paddr_t virt_to_maddr(const void *va)
{
    unsigned long v = (unsigned long)va;
    if ( v >= XEN_VIRT_START && v < XEN_VIRT_END )
        return v - XEN_VIRT_START;           /* the hypervisor image */
    return v - DIRECTMAP_VIRT_START;
}
#else
/* Host tests: "machine memory" is an array (tests/host/sim). */
extern uint8_t *host_machine_base;
static inline void *maddr_to_virt(paddr_t a) { return host_machine_base + a; }
static inline paddr_t virt_to_maddr(const void *va)
{ return (paddr_t)((const uint8_t *)va - host_machine_base); }
#endif
static inline void *mfn_to_virt(mfn_t m) { return maddr_to_virt(mfn_to_maddr(m)); }
static inline mfn_t virt_to_mfn(const void *va) { return maddr_to_mfn(virt_to_maddr(va)); }

/* Page-table entry bits (x86_64, 4-level). */
typedef uint64_t intpte_t;
#define PADDR_MASK     0x000ffffffffff000UL

static inline mfn_t pte_mfn(intpte_t e) { return _mfn((e & PADDR_MASK) >> PAGE_SHIFT); }
static inline intpte_t pte_from_mfn(mfn_t m, unsigned long flags)
{ return mfn_to_maddr(m) | flags; }

static inline unsigned int l1_table_offset(unsigned long va)
{ return (va >> L1_PAGETABLE_SHIFT) & 511; }
static inline unsigned int l2_table_offset(unsigned long va)
{ return (va >> L2_PAGETABLE_SHIFT) & 511; }
static inline unsigned int l3_table_offset(unsigned long va)
{ return (va >> L3_PAGETABLE_SHIFT) & 511; }
static inline unsigned int l4_table_offset(unsigned long va)
{ return (va >> L4_PAGETABLE_SHIFT) & 511; }

static inline bool is_canonical_address(unsigned long va)
{
    return ((long)va >> 47) == 0 || ((long)va >> 47) == -1;
}

#define PAGE_MASK       (~(PAGE_SIZE - 1))
#define round_pgup(x)   (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define round_pgdown(x) ((x) & ~(PAGE_SIZE - 1))
#define PFN_UP(x)       (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)

#endif
