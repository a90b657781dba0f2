/*
 * mm.h - the frame table and the frame allocator.
 *
 * Every machine frame of RAM has a struct page_info in the frame table
 * (FRAMETABLE_VIRT_START + mfn * 32).  It records, as Xen's does:
 *
 *   owner       which domain owns the frame (DOMID_XEN for the hypervisor's
 *               own pages, DOMID_INVALID when free);
 *   count_info  the general reference count (anything that names the frame:
 *               a mapping, a pin, CR3, the domain's ownership itself as
 *               PGC_allocated) plus a few flags;
 *   type_info   the frame's type (none, L1-L4 page table, segment
 *               descriptors, writable) with its own type count, and the
 *               validated / pinned / partial flags.
 *
 * A frame may change type only when its type count is zero.  That single
 * rule is what keeps a page table from ever being writable: a writable
 * mapping holds a "writable" type reference, a page table needs an "Ln"
 * type reference, and the two cannot be held at the same time.
 */
#ifndef XL_MM_H
#define XL_MM_H

#include <stdbool.h>
#include <stdint.h>
#include "page.h"
#include "xen-abi.h"

struct domain;

struct page_info {
    unsigned long count_info;       /* PGC_* | general reference count */
    unsigned long type_info;        /* PGT_* type | flags | type count */
    domid_t owner;                  /* DOMID_INVALID when free */
    int16_t linear_pt_count;
    uint16_t nr_validated_ptes;     /* progress of a preempted (de)validation */
    uint8_t partial_flags;
    uint8_t pad;
    uint32_t next_free;             /* free-list link (an mfn) */
    uint32_t tlbflush_timestamp;
};
_Static_assert(sizeof(struct page_info) == 32, "page_info is 32 bytes per frame");

/* count_info */
#define PGC_allocated    (1UL << 63)    /* the owner's own reference */
#define PGC_xen_heap     (1UL << 62)    /* a hypervisor page (may be shared) */
#define PGC_free         (1UL << 61)    /* on the free list */
#define PGC_count_mask   ((1UL << 56) - 1)

/* type_info */
#define PGT_type_shift   61
#define PGT_type_mask    (7UL << PGT_type_shift)
#define PGT_none         (0UL << PGT_type_shift)
#define PGT_l1_page_table (1UL << PGT_type_shift)
#define PGT_l2_page_table (2UL << PGT_type_shift)
#define PGT_l3_page_table (3UL << PGT_type_shift)
#define PGT_l4_page_table (4UL << PGT_type_shift)
#define PGT_seg_desc_page (5UL << PGT_type_shift)
#define PGT_shared_page  (6UL << PGT_type_shift)
#define PGT_writable_page (7UL << PGT_type_shift)
#define PGT_locked       (1UL << 60)
#define PGT_pinned       (1UL << 59)
#define PGT_validated    (1UL << 58)
#define PGT_partial      (1UL << 56)
#define PGT_count_mask   ((1UL << 55) - 1)

#ifndef HOST_TEST
#define frame_table ((struct page_info *)FRAMETABLE_VIRT_START)
#define machine_to_phys_rw ((unsigned long *)RDWR_MPT_VIRT_START)
#else
extern struct page_info *host_frame_table;      /* tests/host/sim */
extern unsigned long *host_m2p;
#define frame_table host_frame_table
#define machine_to_phys_rw host_m2p
#endif

extern unsigned long max_page;          /* one past the highest RAM frame */
extern unsigned long total_ram_pages, free_pages;
extern intpte_t idle_pg_table[512];

static inline bool mfn_valid(mfn_t m) { return mfn_x(m) < max_page; }
/*
 * Integer arithmetic, so that computing the entry of a bogus frame number
 * (before mfn_is_ram() rejects it) is not undefined behaviour.  Callers
 * check the frame before they dereference the result.
 */
static inline struct page_info *mfn_to_page(mfn_t m)
{
    return (struct page_info *)((uintptr_t)frame_table + mfn_x(m) * sizeof(struct page_info));
}
static inline mfn_t page_to_mfn(const struct page_info *pg)
{ return _mfn((unsigned long)(pg - frame_table)); }

/* Is this frame usable RAM that someone owns (not free, not a hole)?
 * Inline: every entry a table validates asks this (docs/bench.md). */
static inline bool mfn_is_ram(mfn_t m)
{
    const struct page_info *pg;

    if ( !mfn_valid(m) )
        return false;
    pg = mfn_to_page(m);
    return pg->owner != DOMID_INVALID || (pg->count_info & PGC_free);
}

/* Boot: memory map -> direct map, frame table, M2P, free list. */
struct boot_info;
void init_memory(const struct boot_info *bi, unsigned long reserved_end);
unsigned long free_boot_range(paddr_t start, paddr_t end);
void print_memory_footprint(void);     /* image + boot allocations + heap */

/* Allocation.  Pages come back zeroed.  INVALID_MFN when out of memory. */
mfn_t alloc_xenheap_mfn(void);
mfn_t alloc_domheap_mfn(struct domain *d);
void free_domheap_mfn(mfn_t m);
void free_xenheap_mfn(mfn_t m);        /* INVALID_MFN is ignored */

/* The machine-to-phys table, one entry per machine frame (machine_to_phys_rw). */
static inline void set_gpfn_from_mfn(mfn_t m, unsigned long pfn)
{ machine_to_phys_rw[mfn_x(m)] = pfn; }
static inline unsigned long get_gpfn_from_mfn(mfn_t m)
{ return mfn_valid(m) ? machine_to_phys_rw[mfn_x(m)] : INVALID_M2P_ENTRY; }
extern unsigned long m2p_chunks;        /* 2 MiB chunks of M2P mapped */
mfn_t m2p_chunk_mfn(unsigned long i);


#endif
