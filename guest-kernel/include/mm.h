/*
 * mm.h - frame numbers and page-table entries, as a PV guest sees them.
 *
 * Translating between the guest's three kinds of address (kernel.h):
 *   va  -> pfn   the bootstrap region maps pfn 0.. contiguously from
 *                VIRT_BASE, so pfn = (va - VIRT_BASE) >> 12;
 *   pfn -> mfn   our P2M, start_info->mfn_list;
 *   mfn -> pfn   the hypervisor's read-only M2P.
 * Page-table frames are not ours to write: the bootstrap region maps them
 * read-only, and a PTE changes only through a hypercall
 * (update_va_mapping).  Reading them is allowed, which is how a guest sees
 * the bits the hypervisor added to its entries (reference §2.8).
 */
#ifndef GUEST_MM_H
#define GUEST_MM_H

#include <stdint.h>

#include "x86-pte.h"            /* _PAGE_*: the CPU's entry bits (hypercalls/) */
/* The machine-address bits of an entry. */
#define PTE_ADDR_MASK  0x000ffffffffff000UL

unsigned long virt_to_pfn(const void *va);
unsigned long pfn_to_mfn(unsigned long pfn);
unsigned long virt_to_mfn(const void *va);
/* Machine address of the byte at va (frame from the P2M, plus offset). */
uint64_t virt_to_machine(const void *va);

/*
 * The L1 entry that maps va in the current (bootstrap) page tables, read
 * through the region's read-only mapping of the page-table frames; NULL
 * when a level above is not present or a table lies outside the region.
 */
const volatile uint64_t *l1e_of(unsigned long va);

/* Machine address of l1e_of(va) (what mmu_update's ptr names), or 0. */
uint64_t l1e_machine(unsigned long va);

/*
 * M2P[mfn] read without dying if the M2P has no page there: returns 0 and
 * sets *pfn, or 1 if the read trapped.
 */
int m2p_read(unsigned long mfn, uint64_t *pfn);

/* Is mfn one of ours: M2P names a pfn < nr_pages whose P2M entry is mfn? */
int mfn_is_ours(unsigned long mfn);

#endif
