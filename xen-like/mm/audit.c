/*
 * audit.c - mmu_audit(): recount the PV-MMU world from scratch and compare
 * it with the stored counts (pvmmu-security.md §3, invariants 1-4 and 6-11).
 *
 * Only the frame table, the contents of live tables and each vCPU's roots
 * are read: nothing the core keeps as a cache of itself.  The references
 * that exist between hypercalls (page_ref.c's header comment) are:
 *
 *   holder                                  general  type
 *   PGC_allocated                              1      -
 *   present RAM L1e of a validated L1          1      writable, if RW
 *   present L2-L4e of a held table entry       1      L(n-1), or L(n) if linear
 *     (self-map entries hold nothing)
 *   PTF_entry_partial entry of a partial table 1      - (the child, if still
 *                                                       partial, has tc=1 as
 *                                                       its own partial hold;
 *                                                       the claim may be stale)
 *   PGT_pinned                                 1      1
 *   guest_table / guest_table_user             1      L4
 *   GDT frame slot                             1      seg_desc
 *   old_guest_table (deferred put)             1      1 (0 if the frame is
 *                                                       already PGT_partial)
 *   PGT_partial (the partial hold)             1      the frame's tc of 1
 *   a live domain's grant-table frame          -      writable (its own)
 *   a grant host mapping: it is an L1e, above  -      -
 *     (maptrack and active entries hold no reference: audit_grant.c)
 *
 * A validated table holds all its entries (an L4 not its slots 256-271); a
 * PGT_partial one holds [0, nr_validated_ptes) in either direction.  The
 * type count must equal the recount exactly; so must the general count
 * (invariant 4 asks for "at least"; xen-like has no other holders: grant
 * mappings are L1 entries, and no IOMMU; so anything more is a leak and is
 * reported as one).
 *
 * Also checked on the way: each reference's target has the type it is used
 * as (1) and no RW L1e names a table or seg_desc frame (2); entries carry
 * only the flags their level allows, I/O is never mapped write-back and
 * hypervisor pages only write-back (8); targets are the table owner's (an
 * L1e may name another live domain's frame: a privileged domain's foreign
 * mapping, or a grant mapping its domain's maptrack explains), never free or the hypervisor's (6); a validated L4's slots
 * 256-271 are what init_xen_l4_slots writes, A/D aside, slot 256 possibly
 * empty (7); linear entries are RO, target validated same-level tables,
 * never mix roles, and linear_pt_count matches them (9); partial frames
 * are L2-L4, tc 1, unpinned, nothing else holds them as a table (10); pins
 * are on validated tables (11).
 *
 * Built freestanding (no libc) for the hypervisor and as is on the host.
 */
#include <stdarg.h>

#include "console.h"
#include "domain.h"
#include "grant_table.h"
#include "lib.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "pt.h"

/*
 * Per-frame scratch.  An entry belongs to the current audit only if its
 * epoch says so (a stale one reads as zero), and every entry touched joins
 * a list: nothing is cleared per audit and the per-frame checks visit only
 * frames that are in use, which keeps mmu_audit=1 usable on a big machine.
 */
struct audit_ent {
    uint32_t epoch;
    uint32_t next;          /* the list of frames touched by this audit */
    uint32_t gen;           /* general references found */
    uint32_t type;          /* type references found (non-partial holders) */
    uint16_t lin_hold;      /* linear entries this table holds */
    uint16_t lin_tgt;       /* linear entries naming this table */
    uint16_t holders;       /* "full" holders, for the partial check */
    uint16_t pad;
};

#define AUDIT_PER_CHUNK (PAGE_SIZE / sizeof(struct audit_ent))
#define AUDIT_MAX_CHUNKS 8192                  /* 1.4M frames: 5.6 GiB of RAM */
#define LIST_END 0xffffffffu

static struct audit_ent *chunks[AUDIT_MAX_CHUNKS];
static unsigned long nr_chunks;
static uint32_t epoch, list_head;

#ifdef HOST_TEST
#define AUDIT_HOST_CHUNKS 512
static uint8_t host_pool[AUDIT_HOST_CHUNKS][PAGE_SIZE] __attribute__((aligned(8)));
#endif

static char *why_buf;
static size_t why_len;

static int fail(int inv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(int inv, const char *fmt, ...)
{
    static const char *const names[] = {
        [1] = "exclusive typing",
        [2] = "no writable alias of a special frame",
        [3] = "type count = reality",
        [4] = "general refs dominate",
        [6] = "ownership of targets",
        [7] = "Xen slots are Xen's",
        [8] = "flag whitelist per level",
        [9] = "linear tables bounded",
        [10] = "restartable validation is exact",
        [11] = "pins",
    };
    size_t n = 0;
    va_list ap;

    if ( why_buf && why_len )
    {
        n = (size_t)snprintf(why_buf, why_len, "invariant %d (%s): ", inv,
                             inv > 0 && inv <= 11 && names[inv] ? names[inv] : "?");
        if ( n < why_len )
        {
            va_start(ap, fmt);
            vsnprintf(why_buf + n, why_len - n, fmt, ap);
            va_end(ap);
        }
    }
    return inv;
}

static struct audit_ent *ent(unsigned long m)
{
    struct audit_ent *e = &chunks[m / AUDIT_PER_CHUNK][m % AUDIT_PER_CHUNK];

    if ( e->epoch != epoch )
    {
        memset(e, 0, sizeof(*e));
        e->epoch = epoch;
        e->next = list_head;
        list_head = (uint32_t)m;
    }
    return e;
}

/* Per-frame scratch for max_page frames, and a new epoch. */
static int audit_prepare(void)
{
    unsigned long need = (max_page + AUDIT_PER_CHUNK - 1) / AUDIT_PER_CHUNK;

    if ( need > AUDIT_MAX_CHUNKS || max_page >= LIST_END )
        return fail(-1, "audit: %lu frames are more than it can count", max_page);
#ifdef HOST_TEST
    if ( need > AUDIT_HOST_CHUNKS )
        return fail(-1, "audit: %lu frames are more than it can count", max_page);
    for ( ; nr_chunks < need; nr_chunks++ )
        chunks[nr_chunks] = (struct audit_ent *)host_pool[nr_chunks];
#else
    for ( ; nr_chunks < need; nr_chunks++ )
    {
        mfn_t m = alloc_xenheap_mfn();

        if ( mfn_eq(m, INVALID_MFN) )
            return fail(-1, "audit: out of memory for its scratch space");
        chunks[nr_chunks] = mfn_to_virt(m);     /* zeroed: epoch 0 */
    }
#endif
    if ( ++epoch == 0 )
    {
        for ( unsigned long i = 0; i < nr_chunks; i++ )
            memset(chunks[i], 0, PAGE_SIZE);
        epoch = 1;
    }
    list_head = LIST_END;
    return 0;
}

unsigned long mmu_audit_scratch_frames(void)
{
#ifdef HOST_TEST
    return 0;
#else
    return nr_chunks;
#endif
}

static const char *tname(unsigned long type_info)
{
    return page_type_name(type_info);
}

/* A reference of kind `type` (PGT_*; 0: general only) from `who`. */
static int ref(mfn_t m, unsigned long want_type, bool full, const char *who,
               unsigned long from, unsigned int slot)
{
    struct page_info *pg;
    unsigned long t;

    if ( !mfn_valid(m) )
        return fail(6, "%s mfn %#lx[%u] names mfn %#lx beyond RAM", who, from, slot,
                    mfn_x(m));
    pg = mfn_to_page(m);
    if ( pg->count_info & PGC_free )
        return fail(6, "%s mfn %#lx[%u] names free mfn %#lx", who, from, slot, mfn_x(m));
    ent(mfn_x(m))->gen++;
    if ( !want_type )
        return 0;
    t = pg->type_info & PGT_type_mask;
    if ( t != want_type || !(pg->type_info & PGT_count_mask) )
    {
        if ( want_type == PGT_writable_page && (pt_type_level(t) || t == PGT_seg_desc_page) )
            return fail(2, "%s mfn %#lx[%u] maps mfn %#lx RW but it is a %s page (tc=%lu)",
                        who, from, slot, mfn_x(m), tname(t), pg->type_info & PGT_count_mask);
        return fail(1, "%s mfn %#lx[%u] uses mfn %#lx as %s but it is %s (tc=%lu)", who,
                    from, slot, mfn_x(m), tname(want_type), tname(t),
                    pg->type_info & PGT_count_mask);
    }
    if ( full )
    {
        ent(mfn_x(m))->type++;
        ent(mfn_x(m))->holders++;
    }
    return 0;
}

/* mfn_is_ram(), inline: the audit asks it for every entry. */
static inline bool ram(mfn_t m)
{
    const struct page_info *pg;

    if ( !mfn_valid(m) )
        return false;
    pg = mfn_to_page(m);
    return pg->owner != DOMID_INVALID || (pg->count_info & PGC_free);
}

static const struct domain *live_owner(const struct page_info *pg)
{
    if ( pg->owner == DOMID_XEN || pg->owner == DOMID_IO || pg->owner == DOMID_INVALID )
        return NULL;
    return get_domain_by_id(pg->owner);
}

static bool any_privileged(void)
{
    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        struct domain *d = domain_list(i);

        if ( d && d->max_vcpus && d->is_privileged )
            return true;
    }
    return false;
}

static int audit_l1e(const struct domain *d, mfn_t table, unsigned int i, intpte_t e,
                     intpte_t disallow)
{
    mfn_t m = pte_mfn(e);
    const struct page_info *pg;
    const struct domain *o;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    if ( e & disallow )
        return fail(8, "L1 mfn %#lx[%u] = %#lx has bits %#lx not allowed in an L1 of d%u",
                    mfn_x(table), i, (unsigned long)e, (unsigned long)(e & disallow),
                    d->domain_id);
    if ( !ram(m) || mfn_to_page(m)->owner == DOMID_IO )
    {
        if ( !iomem_access_permitted(d, m) )
            return fail(6, "L1 mfn %#lx[%u] = %#lx maps I/O mfn %#lx d%u has no rights to",
                        mfn_x(table), i, (unsigned long)e, mfn_x(m), d->domain_id);
        if ( !(e & (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)) )
            return fail(8, "L1 mfn %#lx[%u] = %#lx maps I/O mfn %#lx write-back",
                        mfn_x(table), i, (unsigned long)e, mfn_x(m));
        return 0;
    }
    pg = mfn_to_page(m);
    if ( (pg->count_info & PGC_xen_heap) && (e & (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)) )
        return fail(8, "L1 mfn %#lx[%u] = %#lx maps hypervisor page mfn %#lx not write-back",
                    mfn_x(table), i, (unsigned long)e, mfn_x(m));
    if ( !(pg->count_info & PGC_free) )
    {
        o = live_owner(pg);
        if ( !o || (o != d && !any_privileged() &&
                    !gnttab_audit_explains(d, m, e & _PAGE_RW)) )
            return fail(6, "L1 mfn %#lx[%u] of d%u maps mfn %#lx owned by %u",
                        mfn_x(table), i, d->domain_id, mfn_x(m), pg->owner);
    }
    return ref(m, (e & _PAGE_RW) ? PGT_writable_page : 0, true, "L1", mfn_x(table), i);
}

static int audit_lNe(unsigned int level, const struct domain *d, mfn_t table, unsigned int i,
                     intpte_t e, bool entry_partial, intpte_t disallow)
{
    mfn_t m = pte_mfn(e);
    struct page_info *pg;
    unsigned long t;
    int rc;

    if ( !(e & _PAGE_PRESENT) )
        return 0;
    if ( e & (disallow | _PAGE_PSE) )
        return fail(8, "L%u mfn %#lx[%u] = %#lx has bits %#lx not allowed in an L%u",
                    level, mfn_x(table), i, (unsigned long)e,
                    (unsigned long)(e & (disallow | _PAGE_PSE)), level);
    if ( mfn_eq(m, table) )
    {
        if ( e & _PAGE_RW )
            return fail(9, "L%u mfn %#lx[%u] maps itself read-write", level, mfn_x(table), i);
        return 0;                                  /* self-map: holds nothing */
    }
    if ( !ram(m) )
        return fail(6, "L%u mfn %#lx[%u] = %#lx names non-RAM mfn %#lx", level,
                    mfn_x(table), i, (unsigned long)e, mfn_x(m));
    pg = mfn_to_page(m);
    if ( !(pg->count_info & PGC_free) && pg->owner != d->domain_id )
        return fail(6, "L%u mfn %#lx[%u] of d%u names mfn %#lx owned by %u", level,
                    mfn_x(table), i, d->domain_id, mfn_x(m), pg->owner);
    t = pg->type_info & PGT_type_mask;
    if ( entry_partial )
    {
        /* Half done: a general reference only.  The claim may be stale
         * (page_ref.c): the child may since have been finished, undone or
         * retyped through another path, so its type is not checked; if it
         * is still partial, its tc=1 is counted as its own partial hold. */
        return ref(m, 0, false, "partial entry of", mfn_x(table), i);
    }
    if ( t == pt_level_type(level) && (pg->type_info & PGT_count_mask) )
    {
        /* A linear entry. */
        if ( e & _PAGE_RW )
            return fail(9, "L%u mfn %#lx[%u] is a read-write linear entry to mfn %#lx",
                        level, mfn_x(table), i, mfn_x(m));
        if ( !(pg->type_info & PGT_validated) )
            return fail(9, "L%u mfn %#lx[%u]: linear target mfn %#lx is not validated",
                        level, mfn_x(table), i, mfn_x(m));
        if ( (rc = ref(m, pt_level_type(level), true, "linear entry of", mfn_x(table), i)) )
            return rc;
        ent(mfn_x(table))->lin_hold++;
        ent(mfn_x(m))->lin_tgt++;
        return 0;
    }
    if ( (rc = ref(m, pt_level_type(level - 1), true, level == 4 ? "L4" : level == 3 ? "L3"
                                                                          : "L2",
                   mfn_x(table), i)) )
        return rc;
    if ( !(pg->type_info & PGT_validated) )
        return fail(10, "L%u mfn %#lx[%u] holds mfn %#lx, which is not validated (%s%s)",
                    level, mfn_x(table), i, mfn_x(m), tname(pg->type_info),
                    (pg->type_info & PGT_partial) ? ", partial" : "");
    return 0;
}

/* Xen slots of a validated L4 (inv. 7). */
static int audit_xen_slots(const struct domain *d, mfn_t table)
{
    static intpte_t ref_l4[512];
    const intpte_t *l4 = mfn_to_virt(table);
    mfn_t self = virt_to_mfn(ref_l4);

    init_xen_l4_slots(ref_l4, d, true);
    for ( unsigned int s = XEN_FIRST_SLOT; s <= XEN_LAST_SLOT; s++ )
    {
        /* The CPU sets A (and D) as it walks: not a change of the slot. */
        intpte_t want = ref_l4[s] & ~(intpte_t)(_PAGE_ACCESSED | _PAGE_DIRTY);
        intpte_t have = l4[s] & ~(intpte_t)(_PAGE_ACCESSED | _PAGE_DIRTY);

        if ( s == 256 && have == 0 )
            continue;                          /* m2p_strict user table / no RO M2P */
        if ( (want & _PAGE_PRESENT) && mfn_eq(pte_mfn(want), self) )
        {
            /* The table mapped onto itself (the linear area). */
            if ( mfn_eq(pte_mfn(have), table) && !((have ^ want) & ~PADDR_MASK) )
                continue;
        }
        else if ( have == want )
            continue;
        return fail(7, "L4 mfn %#lx of d%u: Xen slot %u is %#lx, not %#lx", mfn_x(table),
                    d->domain_id, s, (unsigned long)have, (unsigned long)want);
    }
    return 0;
}

/* The entries a table holds references for. */
static int audit_table(unsigned long mfn)
{
    struct page_info *pg = mfn_to_page(_mfn(mfn));
    unsigned long x = pg->type_info;
    unsigned int level = pt_type_level(x), n = PAGETABLE_ENTRIES;
    bool partial = x & PGT_partial, entry_partial = false;
    const struct domain *d;
    const intpte_t *t = mfn_to_virt(_mfn(mfn));
    intpte_t disallow;
    int rc;

    if ( !level || !(x & PGT_count_mask) )
    {
        if ( partial )
            return fail(10, "mfn %#lx is partial with type %s, tc=%lu", mfn, tname(x),
                        x & PGT_count_mask);
        return 0;
    }
    if ( !(x & (PGT_validated | PGT_partial)) )
        return fail(10, "L%u mfn %#lx has tc=%lu but is neither validated nor partial",
                    level, mfn, x & PGT_count_mask);
    if ( !(d = live_owner(pg)) )
        return fail(6, "L%u mfn %#lx is a live table owned by %u, no domain", level, mfn,
                    pg->owner);
    if ( partial )
    {
        if ( x & PGT_validated )
            return fail(10, "L%u mfn %#lx is both validated and partial", level, mfn);
        if ( level == 1 )
            return fail(10, "L1 mfn %#lx is partial (L1s are never preempted)", mfn);
        if ( x & PGT_pinned )
            return fail(10, "L%u mfn %#lx is both pinned and partial", level, mfn);
        if ( (x & PGT_count_mask) != 1 )
            return fail(10, "L%u mfn %#lx is partial with tc=%lu, not 1", level, mfn,
                        x & PGT_count_mask);
        if ( pg->nr_validated_ptes > PAGETABLE_ENTRIES ||
             (pg->partial_flags & ~(PTF_demoting | PTF_entry_partial)) )
            return fail(10, "L%u mfn %#lx: partial with nr_validated_ptes=%u flags=%#x",
                        level, mfn, pg->nr_validated_ptes, pg->partial_flags);
        n = pg->nr_validated_ptes;
        entry_partial = pg->partial_flags & PTF_entry_partial;
        if ( entry_partial && n >= PAGETABLE_ENTRIES )
            return fail(10, "L%u mfn %#lx: partial entry %u out of range", level, mfn, n);
        ent(mfn)->gen++;                               /* the partial hold */
    }
    else if ( level == 4 && (rc = audit_xen_slots(d, _mfn(mfn))) )
        return rc;

    disallow = pt_disallow_mask(level, d);
    for ( unsigned int i = 0; i < n; i++ )
    {
        if ( !(t[i] & _PAGE_PRESENT) || (level == 4 && !is_guest_l4_slot(i)) )
            continue;
        rc = level == 1 ? audit_l1e(d, _mfn(mfn), i, t[i], disallow)
                        : audit_lNe(level, d, _mfn(mfn), i, t[i], false, disallow);
        if ( rc )
            return rc;
    }
    if ( entry_partial )
    {
        if ( level == 4 && !is_guest_l4_slot(n) )
            return fail(10, "L4 mfn %#lx: partial entry %u is a Xen slot", mfn, n);
        if ( !(t[n] & _PAGE_PRESENT) )
            return fail(10, "L%u mfn %#lx: partial entry %u is not present", level, mfn, n);
        if ( (rc = audit_lNe(level, d, _mfn(mfn), n, t[n], true, disallow)) )
            return rc;
    }
    return 0;
}

static int audit_root(const struct vcpu *v, mfn_t m, unsigned long want, const char *what)
{
    const struct page_info *pg;

    if ( mfn_eq(m, INVALID_MFN) )
        return 0;
    if ( !mfn_valid(m) || !mfn_is_ram(m) )
        return fail(6, "d%uv%u %s mfn %#lx is not RAM", v->domain->domain_id, v->vcpu_id,
                    what, mfn_x(m));
    pg = mfn_to_page(m);
    if ( pg->owner != v->domain->domain_id )
        return fail(6, "d%uv%u %s mfn %#lx is owned by %u", v->domain->domain_id,
                    v->vcpu_id, what, mfn_x(m), pg->owner);
    if ( want != PGT_seg_desc_page && want && !(pg->type_info & PGT_validated) )
        return fail(10, "d%uv%u %s mfn %#lx is not validated", v->domain->domain_id,
                    v->vcpu_id, what, mfn_x(m));
    return ref(m, want, true, what, mfn_x(m), 0);
}

static int audit_vcpu(const struct vcpu *v)
{
    int rc;

    if ( (rc = audit_root(v, v->guest_table, PGT_l4_page_table, "guest_table")) ||
         (rc = audit_root(v, v->guest_table_user, PGT_l4_page_table, "guest_table_user")) )
        return rc;
    for ( unsigned int i = 0; i < GUEST_GDT_FRAMES; i++ )
        if ( (rc = audit_root(v, v->gdt_frames[i], PGT_seg_desc_page, "GDT frame")) )
            return rc;
    if ( !mfn_eq(v->old_guest_table, INVALID_MFN) )
    {
        mfn_t m = v->old_guest_table;
        const struct page_info *pg;

        if ( !mfn_is_ram(m) )
            return fail(6, "d%uv%u deferred put of non-RAM mfn %#lx", v->domain->domain_id,
                        v->vcpu_id, mfn_x(m));
        pg = mfn_to_page(m);
        if ( !pt_type_level(pg->type_info) || !(pg->type_info & PGT_count_mask) )
            return fail(3, "d%uv%u deferred put of mfn %#lx, a %s page with tc=%lu",
                        v->domain->domain_id, v->vcpu_id, mfn_x(m), tname(pg->type_info),
                        pg->type_info & PGT_count_mask);
        if ( pg->type_info & PGT_partial )
        {
            if ( !(pg->partial_flags & PTF_demoting) )
                return fail(10, "d%uv%u deferred put of mfn %#lx, which is partial but "
                            "not demoting", v->domain->domain_id, v->vcpu_id, mfn_x(m));
            return ref(m, 0, false, "deferred put", mfn_x(m), 0);
        }
        return ref(m, pg->type_info & PGT_type_mask, true, "deferred put", mfn_x(m), 0);
    }
    return 0;
}

static int audit_frame(unsigned long mfn)
{
    const struct page_info *pg = mfn_to_page(_mfn(mfn));
    const struct audit_ent *a = ent(mfn);
    unsigned long c = pg->count_info & PGC_count_mask, x = pg->type_info;
    unsigned long tc = x & PGT_count_mask, t = x & PGT_type_mask;
    unsigned long want, gen;

    if ( pg->count_info & PGC_free )
    {
        if ( c || tc || pg->owner != DOMID_INVALID )
            return fail(4, "free mfn %#lx has count %lu, tc %lu, owner %u", mfn, c, tc,
                        pg->owner);
        return 0;
    }
    if ( pg->owner == DOMID_INVALID || pg->owner == DOMID_XEN || pg->owner == DOMID_IO )
    {
        if ( a->gen )
            return fail(6, "mfn %#lx (owner %u) is referenced %u times by guest state",
                        mfn, pg->owner, a->gen);
        return 0;
    }
    if ( (pg->count_info & PGC_allocated) && c == 0 )
        return fail(4, "mfn %#lx is allocated with count 0", mfn);
    if ( tc > c )
        return fail(4, "mfn %#lx (%s): tc %lu > count %lu", mfn, tname(x), tc, c);
    if ( x & PGT_pinned )
    {
        if ( !pt_type_level(x) || !(x & PGT_validated) || !tc )
            return fail(11, "mfn %#lx is pinned as %s (%svalidated, tc=%lu)", mfn, tname(x),
                        (x & PGT_validated) ? "" : "not ", tc);
    }
    gen = a->gen + ((pg->count_info & PGC_allocated) ? 1 : 0) + ((x & PGT_pinned) ? 1 : 0);
    if ( c < gen )
        return fail(4, "mfn %#lx (%s, d%u): count %lu < %lu references found", mfn,
                    tname(x), pg->owner, c, gen);
    if ( x & PGT_partial )
    {
        if ( a->holders )
            return fail(10, "partial mfn %#lx (%s) is also held as a table %u times", mfn,
                        tname(x), a->holders);
        /* tc == 1 was checked with the table. */
    }
    else
    {
        want = a->type + ((x & PGT_pinned) ? 1 : 0);
        if ( t == PGT_none || t == PGT_shared_page )
            want = a->type;
        if ( pg->count_info & PGC_xen_heap )
            want += gnttab_shared_type_refs(get_domain_by_id(pg->owner), _mfn(mfn));
        if ( tc != want )
            return fail(3, "mfn %#lx (%s, d%u): tc %lu, but %lu references found%s", mfn,
                        tname(x), pg->owner, tc, want,
                        t == PGT_writable_page ? " (RW L1 entries)" : "");
    }
    if ( a->lin_hold && a->lin_tgt )
        return fail(9, "mfn %#lx holds %u linear entries and is the target of %u", mfn,
                    a->lin_hold, a->lin_tgt);
    if ( pg->linear_pt_count != (int)a->lin_hold - (int)a->lin_tgt )
        return fail(9, "mfn %#lx: linear_pt_count %d, but holds %u and is named by %u",
                    mfn, pg->linear_pt_count, a->lin_hold, a->lin_tgt);
    /*
     * xen-like has no general-reference holder beyond those counted above
     * (grant mappings are L1 entries; no IOMMU), so more is a leak: the frame
     * could never be freed (invariant 20 depends on it).
     */
    if ( c > gen )
        return fail(4, "mfn %#lx (%s, d%u): count %lu > %lu references found (a leaked "
                    "reference)", mfn, tname(x), pg->owner, c, gen);
    return 0;
}

int mmu_audit(char *why, size_t len)
{
    int rc;

    why_buf = why;
    why_len = len;
    if ( why && len )
        why[0] = '\0';
    if ( (rc = audit_prepare()) )
        return rc;

    for ( unsigned long m = 0; m < max_page; m++ )
    {
        const struct page_info *pg = mfn_to_page(_mfn(m));

        if ( pg->count_info & PGC_free )
        {
            if ( (pg->count_info & PGC_count_mask) || (pg->type_info & PGT_count_mask) ||
                 pg->owner != DOMID_INVALID )
                return fail(4, "free mfn %#lx has count %lu, tc %lu, owner %u", m,
                            pg->count_info & PGC_count_mask,
                            pg->type_info & PGT_count_mask, pg->owner);
            continue;
        }
        if ( pg->owner != DOMID_INVALID && pg->owner != DOMID_XEN && pg->owner != DOMID_IO )
            ent(m);                                /* a frame to check below */
        if ( (pg->type_info & PGT_pinned) && !pt_type_level(pg->type_info) )
            return fail(11, "mfn %#lx is pinned as %s", m, tname(pg->type_info));
        if ( (rc = audit_table(m)) )
            return rc;
    }
    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        struct domain *d = domain_list(i);

        if ( !d || !d->max_vcpus )
            continue;
        for ( unsigned int k = 0; k < MAX_VIRT_CPUS_PER_DOMAIN && k < d->max_vcpus; k++ )
            if ( d->vcpu[k] && (rc = audit_vcpu(d->vcpu[k])) )
                return rc;
    }
    /* Every frame a domain owns or something references. */
    for ( uint32_t m = list_head; m != LIST_END; m = ent(m)->next )
        if ( (rc = audit_frame(m)) )
            return rc;
    return gnttab_audit(why_buf, why_len);
}
