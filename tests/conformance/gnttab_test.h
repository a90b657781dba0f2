/*
 * gnttab_test.h - the "gnttab" conformance group: grant_table_op as dom0
 * alone can exercise it on real Xen, by granting frames to itself (the
 * grant entries name domid 0; maps name DOMID_SELF or 0).
 *
 * The group boots like every other mode: kernel.c has already set up the
 * grant table (gnttab.c, GNT_BOOT_FRAMES frames mapped); here that is a
 * case, not a step.  Frames, the window and raw MMU hypercalls come from
 * mmu_test.h; the grant helpers from gnttab.h.  Expected values are what
 * real Xen 4.17.7 answered (dom0, dom0_mem=32M).
 */
#ifndef GNTTAB_TEST_H
#define GNTTAB_TEST_H

#include "mmu_test.h"
#include "gnttab.h"

extern const struct mmu_case gnttab_table_cases[];  /* gnttab.c: setup, query, version, copy */
extern const struct mmu_case gnttab_map_cases[];    /* gnttab_map.c: map, unmap, pin, XSAs */
extern const struct mmu_case gnttab_xsa255_cases[]; /* gnttab_table.c: v2 -> v1 */
extern const struct mmu_case gnttab_last_cases[];   /* gnttab_map.c: leaves a grant active */

/* Refs the scenarios use (all >= GNT_FIRST_FREE, below one frame). */
#define R_RW     10     /* frame gt_data, read-write to ourselves */
#define R_RO     11     /* frame gt_data, read-only to ourselves */
#define R_NONE   12     /* never granted */
#define R_OTHER  13     /* frame gt_data, granted to domain 5 */
#define R_COPY   14     /* frame gt_copy, read-write, for GNTTABOP_copy */
#define R_COPYRO 15     /* frame gt_copy, read-only */
#define R_LEAK   20     /* left active by uvm_over_grant (never ended) */

/* Our own domid: dom0. */
#define SELF_ID 0

extern unsigned long gt_data, gt_copy;  /* frames, zeroed, even markers */
/* Fill pfn with marker words (bit 0 clear: a valid, empty L1 too). */
void gt_fill(unsigned long pfn, uint64_t tag);
/* Does pfn hold gt_fill(pfn, tag)'s words? */
int gt_holds(unsigned long pfn, uint64_t tag);
/* One map/unmap: the rc if not 0, else the GNTST_ status. */
long gt_map(domid_t dom, grant_ref_t ref, uint64_t addr, uint32_t flags,
               grant_handle_t *h);
long gt_unmap(uint64_t addr, grant_handle_t h);

#endif
