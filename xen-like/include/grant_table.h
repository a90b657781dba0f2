/*
 * grant_table.h - grant tables v1 and v2 (docs/grants.md).
 *
 * A domain *grants* another domain access to one of its frames by filling
 * an entry of its grant table (struct grant_entry_v1 from Xen's public
 * <xen/grant_table.h>: flags, domid, frame) in frames the hypervisor shares
 * with it.  The other domain then *maps* (domid, ref) into its own page
 * tables, or copies to or from it, with grant_table_op.
 *
 * Per domain, as in Xen:
 *   shared frames   the grant entries, Xen-heap frames owned by the domain
 *                   and writable by it (a permanent writable type reference,
 *                   so they can never become page tables);
 *   active entries  one per grant entry, hypervisor-private: who has it
 *                   pinned (mapped), read-only and read-write counts, and
 *                   the frame it was pinned with;
 *   maptrack        one entry per mapping this domain made of someone's
 *                   grant; its index is the handle the guest gets back.
 *
 * Counting (docs/grants.md): a host mapping is an L1 entry.  Like any L1
 * entry it holds one general reference on the granted frame and, when
 * writable, one writable type reference.  The maptrack entry and the
 * active entry's pin count hold none: they record that the mapping was
 * made through a grant, so that unmap can check it and so that the
 * granter sees GTF_reading/GTF_writing while it lasts.
 */
#ifndef XL_GRANT_TABLE_H
#define XL_GRANT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "page.h"
#include "xen-abi.h"

struct domain;

/* Xen 4.17's defaults (max_grant_frames, max_maptrack_frames). */
#define GNTTAB_MAX_FRAMES        64
#define GNTTAB_MAX_MAPTRACK_FRAMES 1024
#define GNTTAB_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))   /* 512 */
#define GNTTAB_V2_PER_FRAME      (PAGE_SIZE / sizeof(union grant_entry_v2))     /* 256 */
#define GNTTAB_STATUS_PER_FRAME  (PAGE_SIZE / sizeof(grant_status_t))          /* 2048 */
/* Status frames of a v2 table of GNTTAB_MAX_FRAMES grant frames (Xen's
 * grant_to_status_frames). */
#define GNTTAB_MAX_STATUS_FRAMES \
    ((GNTTAB_MAX_FRAMES * GNTTAB_V2_PER_FRAME + GNTTAB_STATUS_PER_FRAME - 1) / \
     GNTTAB_STATUS_PER_FRAME)
#define GNTTAB_NR_RESERVED_ENTRIES 8    /* Xen: kept across set_version */

/* Hypervisor-private state of one grant entry (8 bytes, 512 per frame). */
struct active_grant_entry {
    uint32_t mfn;               /* the frame pinned (valid while pinned) */
    domid_t domid;              /* the domain that has it pinned */
    uint8_t hstr, hstw;         /* host mappings read-only / read-write */
};
#define GNTTAB_ACTIVE_PER_FRAME (PAGE_SIZE / sizeof(struct active_grant_entry))
#define GNTTAB_PIN_MAX 127      /* Xen refuses at 0x80 per counter */

/* One mapping a domain made (16 bytes, 256 per frame); flags 0 = free. */
struct grant_mapping {
    uint32_t ref;
    uint32_t flags;             /* GNTMAP_* as mapped; 0 when free */
    domid_t domid;              /* the granting domain */
    uint16_t pad;
    uint32_t next_free;         /* free-list link (a handle) */
};
#define MAPTRACK_PER_FRAME (PAGE_SIZE / sizeof(struct grant_mapping))
#define MAPTRACK_END 0xffffffffu

struct grant_table {
    unsigned int nr_frames;             /* shared (and active) frames allocated */
    unsigned int maptrack_frames;       /* maptrack frames allocated */
    uint32_t maptrack_free;             /* first free handle (valid if frames > 0) */
    uint32_t maptrack_tail;             /* last free handle: freed ones queue here */
    unsigned int nr_pinned;             /* active entries with a pin */
    bool released;                      /* the domain is dead: shared frames gone */
    uint8_t version;                    /* 2 for v2; 0 or 1 for v1 */
    unsigned int nr_status_frames;      /* v2 only: status frames allocated */
    mfn_t shared[GNTTAB_MAX_FRAMES];
    mfn_t status[GNTTAB_MAX_STATUS_FRAMES];
    mfn_t active[GNTTAB_MAX_FRAMES];
    mfn_t maptrack[GNTTAB_MAX_MAPTRACK_FRAMES];
};

/* A grant entry as read under either version (grant_v2.c). */
struct grant_view {
    uint16_t flags;             /* v1 flags, or v2 hdr.flags (no status bits) */
    domid_t domid;
    uint64_t frame;
    uint16_t page_off, length;  /* v2 GTF_sub_page; else 0, PAGE_SIZE */
};

static inline bool gnttab_is_v2(const struct grant_table *gt) { return gt->version == 2; }

/* grant_table.c: the table itself. */
unsigned int nr_grant_entries(const struct grant_table *gt);  /* >= 512 (v2: 256), as Xen's */
struct grant_entry_v1 *shared_entry(const struct grant_table *gt, uint32_t ref); /* v1; NULL: zero */
int gnttab_grow_table(struct domain *d, unsigned int nr);
struct domain *gnttab_domain(domid_t id);       /* DOMID_SELF or live; else NULL */
bool gnttab_may_control(const struct domain *d);

/* grant_v2.c: versions, status frames, and entry access for both. */
union grant_entry_v2 *shared_entry_v2(const struct grant_table *gt, uint32_t ref); /* NULL: zero */
grant_status_t *status_entry(const struct grant_table *gt, uint32_t ref);         /* NULL: none */
bool gnttab_read_entry(const struct grant_table *gt, uint32_t ref, struct grant_view *e);
uint16_t gnttab_status(const struct grant_table *gt, uint32_t ref); /* GTF_reading|writing */
void gnttab_set_status(const struct grant_table *gt, uint32_t ref, uint16_t bits);
void gnttab_clear_status(const struct grant_table *gt, uint32_t ref, uint16_t bits);
int gnttab_populate_status_frames(struct domain *d, unsigned int grant_frames);
long gnttab_set_version(unsigned long uop);
long gnttab_get_status_frames(unsigned long uop, unsigned int count);
struct active_grant_entry *active_entry(const struct grant_table *gt, uint32_t ref);
struct grant_mapping *maptrack_entry(const struct grant_table *gt, uint32_t handle);
static inline uint32_t maptrack_limit(const struct grant_table *gt)
{ return gt->maptrack_frames * (uint32_t)MAPTRACK_PER_FRAME; }
uint32_t get_maptrack_handle(struct grant_table *gt);   /* MAPTRACK_END if none */
void put_maptrack_handle(struct grant_table *gt, uint32_t handle);
/* The domain that grants (rd) loses a pin; flags cleared, frames freed if dead. */
void gnttab_drop_pin(struct domain *rd, uint32_t ref, bool readonly);

/* grant_map.c: map_grant_ref / unmap_grant_ref (the PV-MMU side). */
void gnttab_map_one(struct gnttab_map_grant_ref *op);
void gnttab_unmap_one(struct gnttab_unmap_grant_ref *op);

/* grant_copy.c */
void gnttab_copy_one(struct gnttab_copy *op);

/* grant_release.c: a dying domain's grants, both sides (relinquish.c). */
void gnttab_release_mappings(struct domain *d);   /* first: what d mapped */
void gnttab_release_frames(struct domain *d);     /* then: what d granted */
unsigned long gnttab_frames_held(const struct domain *d); /* hypervisor frames left */
bool gnttab_frame_pinned(const struct domain *rd, mfn_t m);

/* audit_grant.c: the auditor's part (mm/audit.c). */
int gnttab_audit(char *why, size_t len);
bool gnttab_audit_explains(const struct domain *ld, mfn_t m, bool rw);
unsigned int gnttab_shared_type_refs(const struct domain *d, mfn_t m);

#endif
