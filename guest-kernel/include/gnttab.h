/*
 * gnttab.h - the guest's grant table (guest-kernel/gnttab.c), as Mini-OS
 * and Linux keep theirs.
 *
 * A grant table is an array of entries the granting domain writes in its
 * own memory: entry `ref` says "domain `domid` may map (or copy to/from)
 * my frame `frame`, read-only or not".  The frames holding the array
 * belong to the hypervisor; GNTTABOP_setup_table hands back their frame
 * numbers and the guest maps them like shared_info (update_va_mapping of
 * a page of its own image).  The other domain then calls
 * GNTTABOP_map_grant_ref with (our domid, ref) and a place to map it: a
 * virtual address, or the machine address of an L1 entry
 * (GNTMAP_contains_pte).  While it has the frame mapped, the hypervisor
 * sets GTF_reading / GTF_writing in our entry, and we may not end the
 * grant.
 *
 * Structures and constants come only from <xen/grant_table.h>.  Entries
 * are version 1 (8 bytes); the conformance group (tests/conformance/
 * gnttab*.c) also tries version 2.
 */
#ifndef GUEST_GNTTAB_H
#define GUEST_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>
#include "xen-abi.h"
#include <xen/grant_table.h>

/* Frames set up at boot (Mini-OS's NR_GRANT_FRAMES), at most the max. */
#define GNT_BOOT_FRAMES 4
/* The VA area mapped over the grant frames (pages of our own image). */
#define GNT_MAX_MAPPED  8
#define GNT_PER_FRAME   (4096 / sizeof(grant_entry_v1_t))
/* Refs 0-7 are reserved for the toolstack (console, xenstore), as in Linux. */
#define GNT_FIRST_FREE  8

/* The state after gnttab_init(): what the hypervisor answered. */
struct gnttab {
    long rc;                    /* the last setup hypercall's return */
    int16_t status;             /* its GNTST_* status */
    unsigned int nr_frames;     /* mapped at `shared` */
    unsigned int max_frames;    /* query_size */
    xen_pfn_t frame[GNT_MAX_MAPPED];    /* setup_table's frame list */
    grant_entry_v1_t *shared;   /* NULL until set up */
};
extern struct gnttab gnttab;

/* The raw hypercall: GNTTABOP_* with `count` operations at `arg`. */
long gnttab_op(unsigned int cmd, void *arg, unsigned int count);

/*
 * query_size, setup_table for min(nr, max) frames, map them.  NULL on
 * success, or why not (the hypercall's answer is in gnttab.rc/.status).
 */
const char *gnttab_init(unsigned int nr);
/* At boot (kernel.c): gnttab_init(GNT_BOOT_FRAMES), one line either way. */
void gnttab_boot(void);
/* The PTE that maps pfn if it is a page of the grant area, else 0 (kpt.c). */
uint64_t gnttab_area_pte(unsigned long pfn);

/* Write entry ref: domid may map frame (read-only or not).  Then flags. */
void gnttab_grant_ref(grant_ref_t ref, domid_t domid, unsigned long frame,
                      bool readonly);
/* A free ref (from GNT_FIRST_FREE up, never reused), granted as above. */
grant_ref_t gnttab_grant(domid_t domid, unsigned long frame, bool readonly);
/* End the grant unless it is mapped (GTF_reading/writing): true if ended. */
bool gnttab_end(grant_ref_t ref);
/* The entry's flags as the hypervisor left them. */
uint16_t gnttab_flags(grant_ref_t ref);

/*
 * Map (dom, ref) at host_addr (a VA, or with GNTMAP_contains_pte the
 * machine address of an L1 entry); flags GNTMAP_*.  Returns the
 * hypercall's rc; *status the GNTST_*, *handle the handle.
 */
long gnttab_map(domid_t dom, grant_ref_t ref, uint64_t host_addr, uint32_t flags,
                int16_t *status, grant_handle_t *handle);
long gnttab_unmap(uint64_t host_addr, grant_handle_t handle, uint64_t dev_bus_addr,
                  int16_t *status);
/* One GNTTABOP_copy; returns the hypercall's rc, *status the GNTST_*. */
long gnttab_copy1(struct gnttab_copy *c, int16_t *status);

#endif
