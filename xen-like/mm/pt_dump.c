/*
 * pt_dump.c - the 'p' debug key: print a domain's page-table tree from the
 * frame table, in a stable text format that tools/pt-graph.awk reads.
 *
 * A domain's page tables are the frames it owns whose type is L1-L4 and
 * that are validated (or part-way through a preempted (de)validation).
 * They are listed level by level, L4 first, in mfn order within a level,
 * so two dumps of the same state are identical line for line:
 *
 *   pt-dump d0 begin mode=xen
 *   table L4 gfn=0x1ffaf mfn=0x1ffaf tc=1 pinned=1 state=validated roots=cr3.v0
 *    e 0x1ff gfn=0x1ff7b mfn=0x1ff7b type=L3 flags=RW,U
 *   ...
 *   pt-dump d0 end tables=7 entries=1234
 *
 * `table` lines give the level, the frame as the guest names it (gfn: the
 * mfn itself in Xen mode, the pfn from the M2P in translate mode) and as
 * the machine does (mfn), the type count, the pinned flag, the validation
 * state, and which vCPU loads it as its kernel (cr3.vN) or user (ucr3.vN)
 * base pointer ("roots=-" for none).
 *
 * ` e` lines are its present entries.  Consecutive slots that map
 * consecutive frames (ascending or descending: builders often hand frames
 * out top down) of the same type with the same flags are one line of
 * ranges, FIRST-LAST, matched one to one in order:
 *
 *    e 0x000-0x00a gfn=0x1fddb-0x1fdd1 mfn=0x1fddb-0x1fdd1 type=writable flags=RW,U,K
 *
 * is slot 0 -> gfn/mfn 0x1fddb, slot 1 -> 0x1fdda, ...; a single entry
 * has no ranges.  In translate mode gfns may ascend while mfns descend.
 * type= is what the target frame
 * is used as now (a type with a zero type count reads "none"; "io" is a
 * frame that is not RAM; "xen" a hypervisor frame); flags= lists RW or RO,
 * then U, NX, G, K (_PAGE_GUEST_KERNEL), PCD, PWT.  A and D are left out:
 * the CPU sets them, which would make dumps of one state differ.  Slots
 * 256-271 of an L4 are the hypervisor's and are not listed.
 *
 * Reads only the frame table, the M2P, the tables and the vCPUs' roots;
 * takes no reference and changes nothing.  Built into the hypervisor and
 * into the host tests (tests/host/test-mmu-dump.c).
 */
#include "console.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "pt.h"

/* One run of entries: n consecutive slots; frame i is gfn + i*gstep etc. */
struct run {
    unsigned int slot, n;
    unsigned long gfn, mfn;
    long gstep, mstep;              /* +1 or -1 once n >= 2 */
    const char *type;
    intpte_t flags;
};

#define SHOWN_FLAGS (_PAGE_RW | _PAGE_USER | _PAGE_NX | _PAGE_GLOBAL | \
                     _PAGE_GUEST_KERNEL | _PAGE_PCD | _PAGE_PWT)

static unsigned long frame_gfn(const struct domain *d, mfn_t m)
{
    return d->translated ? get_gpfn_from_mfn(m) : mfn_x(m);
}

/* What the target of an entry is used as, in one word. */
static const char *target_type(mfn_t m)
{
    const struct page_info *pg;

    if ( !mfn_is_ram(m) )
        return "io";
    pg = mfn_to_page(m);
    if ( pg->owner == DOMID_XEN )
        return "xen";
    if ( !(pg->type_info & PGT_count_mask) && !(pg->type_info & PGT_partial) )
        return "none";
    return page_type_name(pg->type_info);
}

static void print_run(const struct run *r, unsigned int level)
{
    intpte_t f = r->flags;
    char where[96];

    if ( r->n == 1 )
        snprintf(where, sizeof(where), "0x%03x gfn=%#lx mfn=%#lx", r->slot, r->gfn, r->mfn);
    else
        snprintf(where, sizeof(where), "0x%03x-0x%03x gfn=%#lx-%#lx mfn=%#lx-%#lx",
                 r->slot, r->slot + r->n - 1,
                 r->gfn, r->gfn + (unsigned long)(r->gstep * (long)(r->n - 1)),
                 r->mfn, r->mfn + (unsigned long)(r->mstep * (long)(r->n - 1)));
    /* U is added by the hypervisor to every L2-L4 entry: shown anyway. */
    printk(" e %s type=%s flags=%s%s%s%s%s%s%s\n", where, r->type,
           (f & _PAGE_RW) ? "RW" : "RO", (f & _PAGE_USER) ? ",U" : "",
           (f & _PAGE_NX) ? ",NX" : "",
           level == 1 && (f & _PAGE_GLOBAL) ? ",G" : "",
           (f & _PAGE_GUEST_KERNEL) ? ",K" : "",
           (f & _PAGE_PCD) ? ",PCD" : "", (f & _PAGE_PWT) ? ",PWT" : "");
}

/* Does an entry mapping (gfn, mfn) at slot extend the run r? */
static bool run_extends(struct run *r, unsigned int slot, unsigned long gfn,
                        unsigned long mfn, const char *type, intpte_t flags)
{
    long gd = (long)(gfn - r->gfn), md = (long)(mfn - r->mfn), k = (long)r->n;

    if ( !r->n || r->slot + r->n != slot || r->type != type || r->flags != flags )
        return false;
    if ( r->n == 1 )
    {
        if ( (gd != 1 && gd != -1) || (md != 1 && md != -1) )
            return false;
        r->gstep = gd;
        r->mstep = md;
    }
    else if ( gd != r->gstep * k || md != r->mstep * k )
        return false;
    r->n++;
    return true;
}

/* " cr3.v0 ucr3.v1": which vCPUs use table m as a base pointer. */
static void roots_of(const struct domain *d, mfn_t m, char *buf, size_t len)
{
    size_t n = 0;

    buf[0] = '\0';
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VIRT_CPUS_PER_DOMAIN; i++ )
    {
        const struct vcpu *v = d->vcpu[i];

        if ( !v )
            continue;
        if ( mfn_x(v->guest_table) == mfn_x(m) && n < len )
            n += (size_t)snprintf(buf + n, len - n, "%scr3.v%u", n ? "," : "", i);
        if ( mfn_x(v->guest_table_user) == mfn_x(m) && n < len )
            n += (size_t)snprintf(buf + n, len - n, "%sucr3.v%u", n ? "," : "", i);
    }
    if ( !buf[0] )
        snprintf(buf, len, "-");
}

/* One table: its header line and its present entries; returns the entries. */
static unsigned long dump_table(const struct domain *d, mfn_t m, unsigned int level)
{
    const struct page_info *pg = mfn_to_page(m);
    const intpte_t *t = mfn_to_virt(m);
    unsigned long nr = 0;
    struct run r = { .n = 0 };
    char roots[64];

    roots_of(d, m, roots, sizeof(roots));
    printk("table L%u gfn=%#lx mfn=%#lx tc=%lu pinned=%d state=%s roots=%s\n",
           level, frame_gfn(d, m), mfn_x(m), pg->type_info & PGT_count_mask,
           !!(pg->type_info & PGT_pinned),
           (pg->type_info & PGT_partial) ? "partial" : "validated", roots);

    for ( unsigned int i = 0; i < 512; i++ )
    {
        intpte_t e = t[i];
        mfn_t tm = pte_mfn(e);
        const char *type;

        if ( !(e & _PAGE_PRESENT) || (level == 4 && !is_guest_l4_slot(i)) )
            continue;
        nr++;
        type = target_type(tm);
        if ( run_extends(&r, i, frame_gfn(d, tm), mfn_x(tm), type, e & SHOWN_FLAGS) )
            continue;
        if ( r.n )
            print_run(&r, level);
        r = (struct run){ .slot = i, .n = 1, .gfn = frame_gfn(d, tm), .mfn = mfn_x(tm),
                          .type = type, .flags = e & SHOWN_FLAGS };
    }
    if ( r.n )
        print_run(&r, level);
    return nr;
}

unsigned long pt_dump_domain(const struct domain *d)
{
    unsigned long tables = 0, entries = 0;

    printk("pt-dump d%u begin mode=%s\n", d->domain_id, d->translated ? "translate" : "xen");
    for ( unsigned int level = 4; level >= 1; level-- )
        for ( unsigned long i = 0; i < max_page; i++ )
        {
            const struct page_info *pg = mfn_to_page(_mfn(i));

            if ( pg->owner != d->domain_id || (pg->count_info & PGC_free) ||
                 pt_type_level(pg->type_info) != level ||
                 !(pg->type_info & (PGT_validated | PGT_partial)) )
                continue;
            entries += dump_table(d, _mfn(i), level);
            tables++;
        }
    printk("pt-dump d%u end tables=%lu entries=%lu\n", d->domain_id, tables, entries);
    return tables;
}
