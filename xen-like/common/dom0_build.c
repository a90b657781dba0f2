/*
 * dom0_build.c - build dom0 from the first boot module, following the
 * x86_64 PV boot ABI exactly as Xen's dom0 builder does.
 *
 * The guest starts with a "bootstrap region" of virtual memory mapped from
 * VIRT_BASE upwards, every page backed by one of its own frames, pfn n at
 * VIRT_BASE + n * 4 KiB.  In order:
 *
 *     kernel image   (placed by p_paddr + VIRT_BASE - PADDR_OFFSET)
 *     initrd         (the second module, if any)
 *     P2M            (mfn_list: the guest's pfn -> mfn table)
 *     start_info     (rsi points here)
 *     page tables    (pt_base: L4, then L1, L2, L3, L1, L1... as Xen does)
 *     boot stack     (one page; rsp = its top)
 *     padding        (to a 4 MiB boundary, at least 512 KiB)
 *
 * Page tables are the tricky part: how many are needed depends on how big
 * the region is, which depends on how many page tables there are.  Xen
 * solves the pair of equations by trying 2, 3, 4... tables; so do we, so
 * that pt_base and nr_pt_frames come out exactly as on Xen.
 *
 * The P2M is deliberately not the identity: frames are handed out from the
 * top of memory down, so pfn n is never mfn n and a guest that forgets to
 * translate fails at once instead of by luck.
 */
#include "bootinfo.h"
#include "cmdline.h"
#include "console.h"
#include "dom0_build.h"
#include "dom0_layout.h"
#include "domain.h"
#include "hypercall.h"
#include "lib.h"
#include "libelf.h"
#include "mm.h"
#include "mmu.h"
#include "mm_env.h"
#include "panic.h"
#include "x86.h"

#define MAX_P2M_FRAMES 8192             /* P2M pages: dom0 up to 16 GiB */
#define L1_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_USER | \
                 _PAGE_GUEST_KERNEL)
#define LN_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER)

static mfn_t p2m_frames[MAX_P2M_FRAMES];
static struct domain *building;         /* the domain being built */

struct builder {
    struct domain *d;
    struct layout *l;
};

static unsigned long *p2m_slot(unsigned long pfn)
{
    return (unsigned long *)mfn_to_virt(p2m_frames[pfn / 512]) + pfn % 512;
}

/* The builder's own pfn -> mfn (in translate mode the guest's P2M is only
 * the identity, so the hypervisor's P2M is the truth). */
static mfn_t pfn_to_mfn(unsigned long pfn)
{
    return building->translated ? gfn_to_mfn(building, _gfn(pfn)) : _mfn(*p2m_slot(pfn));
}

static void *region_va_to_virt(const struct builder *b, unsigned long va)
{
    unsigned long pfn = (va - b->l->v_start) >> PAGE_SHIFT;
    return (char *)mfn_to_virt(pfn_to_mfn(pfn)) + (va & (PAGE_SIZE - 1));
}

/* Copy `len` bytes to guest virtual `va` inside the bootstrap region. */
static void region_copy(const struct builder *b, unsigned long va, const void *src,
                        unsigned long len, bool zero)
{
    while ( len )
    {
        unsigned long chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));

        if ( chunk > len )
            chunk = len;
        if ( zero )
            memset(region_va_to_virt(b, va), 0, chunk);
        else
        {
            memcpy(region_va_to_virt(b, va), src, chunk);
            src = (const char *)src + chunk;
        }
        va += chunk;
        len -= chunk;
    }
}

static int load_segment(void *ctx, uint64_t va, const void *src, uint64_t filesz,
                        uint64_t memsz)
{
    const struct builder *b = ctx;

    if ( va < b->l->vkern_start || va + memsz > b->l->vkern_end || filesz > memsz )
        return -XEN_EINVAL;
    region_copy(b, va, src, filesz, false);
    region_copy(b, va + filesz, NULL, memsz - filesz, true);
    return 0;
}

/*
 * Give the domain its frames and write its P2M and the M2P.  The P2M's own
 * frames are allocated first, so the table can be filled as we go.
 */
static int populate(struct builder *b)
{
    struct layout *l = b->l;
    unsigned long p2m_pfn0 = (l->vphysmap_start - l->v_start) >> PAGE_SHIFT;
    unsigned long nr_p2m = PFN_UP(l->vphysmap_end) - (l->vphysmap_start >> PAGE_SHIFT);
    mfn_t deferred = INVALID_MFN;

    if ( nr_p2m > MAX_P2M_FRAMES )
        return -XEN_ENOMEM;
    for ( unsigned long i = 0; i < nr_p2m; i++ )
        if ( mfn_eq(p2m_frames[i] = alloc_domheap_mfn(b->d), INVALID_MFN) )
            return -XEN_ENOMEM;
    /* P2M page i holds the entries of pfns i*512 .. i*512+511. */
    for ( unsigned long pfn = 0; pfn < l->nr_pages; pfn++ )
    {
        mfn_t mfn;

        if ( pfn >= p2m_pfn0 && pfn < p2m_pfn0 + nr_p2m )
            mfn = p2m_frames[pfn - p2m_pfn0];
        else if ( !mfn_eq(deferred, INVALID_MFN) )
        {
            mfn = deferred;
            deferred = INVALID_MFN;
        }
        else if ( mfn_eq(mfn = alloc_domheap_mfn(b->d), INVALID_MFN) )
            return -XEN_ENOMEM;
        if ( mfn_x(mfn) == pfn && !(pfn >= p2m_pfn0 && pfn < p2m_pfn0 + nr_p2m) )
        {
            deferred = mfn;                 /* never let pfn n be mfn n */
            if ( mfn_eq(mfn = alloc_domheap_mfn(b->d), INVALID_MFN) )
                return -XEN_ENOMEM;
        }
        set_gpfn_from_mfn(mfn, pfn);
        p2m_set(b->d, pfn, mfn);
        /* The guest's own P2M: machine frames, or in translate mode the
         * identity (it writes its own frame numbers; we apply f). */
        *p2m_slot(pfn) = b->d->translated ? pfn : mfn_x(mfn);
    }
    return 0;
}

/* The L1 entry mapping va, reached through the direct map. */
static intpte_t *walk_bootstrap_l1e(intpte_t *l4, unsigned long va)
{
    intpte_t *l3 = maddr_to_virt(l4[l4_table_offset(va)] & PADDR_MASK);
    intpte_t *l2 = maddr_to_virt(l3[l3_table_offset(va)] & PADDR_MASK);
    intpte_t *l1 = maddr_to_virt(l2[l2_table_offset(va)] & PADDR_MASK);

    return &l1[l1_table_offset(va)];
}

/*
 * Build the bootstrap page tables inside the region, in Xen's dom0 order:
 * the L4 first, then for the first page an L1, its L2 and its L3, then
 * further L1s (and L2s/L3s) as the walk needs them.  Every page of the
 * region is mapped read-write, except the page-table frames themselves.
 */
static void build_page_tables(struct builder *b)
{
    struct layout *l = b->l;
    unsigned long next_pt = (l->vpt_start - l->v_start) >> PAGE_SHIFT;
    intpte_t *l4, *l3 = NULL, *l2 = NULL, *l1 = NULL;
    mfn_t l4_mfn = pfn_to_mfn(next_pt++);

    mfn_to_page(l4_mfn)->type_info = PGT_l4_page_table;
    l4 = mfn_to_virt(l4_mfn);
    init_xen_l4_slots(l4, b->d, true);

    for ( unsigned long va = l->v_start; va < l->v_end; va += PAGE_SIZE )
    {
        unsigned long pfn = (va - l->v_start) >> PAGE_SHIFT;
        mfn_t mfn = pfn_to_mfn(pfn);
        struct page_info *pg = mfn_to_page(mfn);

        if ( !l1 || l1_table_offset(va) == 0 )
        {
            mfn_t m1 = pfn_to_mfn(next_pt++);

            mfn_to_page(m1)->type_info = PGT_l1_page_table;
            l1 = mfn_to_virt(m1);
            if ( !l2 || l2_table_offset(va) == 0 )
            {
                mfn_t m2 = pfn_to_mfn(next_pt++);

                mfn_to_page(m2)->type_info = PGT_l2_page_table;
                l2 = mfn_to_virt(m2);
                if ( !l3 || l3_table_offset(va) == 0 )
                {
                    mfn_t m3 = pfn_to_mfn(next_pt++);

                    mfn_to_page(m3)->type_info = PGT_l3_page_table;
                    l3 = mfn_to_virt(m3);
                    l4[l4_table_offset(va)] = pte_from_mfn(m3, LN_PROT);
                }
                l3[l3_table_offset(va)] = pte_from_mfn(m2, LN_PROT);
            }
            l2[l2_table_offset(va)] = pte_from_mfn(m1, LN_PROT);
        }
        l1[l1_table_offset(va)] = pte_from_mfn(mfn, L1_PROT);
        /* A data page mapped read-write: one general + one writable ref. */
        if ( (pg->type_info & PGT_type_mask) == PGT_none )
        {
            pg->count_info++;
            pg->type_info = PGT_writable_page | PGT_validated | 1;
        }
    }
    BUG_ON(next_pt > ((l->vpt_start - l->v_start) >> PAGE_SHIFT) + l->nr_pt_pages);

    /*
     * Page-table frames: read-only in the region, validated with one type
     * reference (their parent entry) and three general ones (allocation,
     * the read-only mapping, the parent).  The L4 also holds the pin and
     * is the vCPU's CR3, one more of each, exactly as Xen leaves it.
     */
    for ( unsigned long i = 0; i < l->nr_pt_pages; i++ )
    {
        unsigned long va = l->vpt_start + i * PAGE_SIZE;
        unsigned long pfn = (va - l->v_start) >> PAGE_SHIFT;
        struct page_info *pg = mfn_to_page(pfn_to_mfn(pfn));
        intpte_t *pl1e;

        pl1e = walk_bootstrap_l1e(l4, va);
        *pl1e &= ~_PAGE_RW;
        pg->count_info = PGC_allocated | 3;
        pg->type_info |= PGT_validated | 1;
        if ( (pg->type_info & PGT_type_mask) == PGT_l4_page_table )
        {
            pg->count_info += 1;
            pg->type_info += 1 | PGT_pinned;
        }
        printk(XENLOG_INFO " bootstrap table %lu: pfn %#lx mfn %#lx L%lu, type count "
               "%lu, general count %lu%s\n", i, pfn, mfn_x(pfn_to_mfn(pfn)),
               (unsigned long)((pg->type_info & PGT_type_mask) >> PGT_type_shift),
               (unsigned long)(pg->type_info & PGT_count_mask),
               (unsigned long)(pg->count_info & PGC_count_mask),
               (pg->type_info & PGT_pinned) ? ", pinned" : "");
    }
    b->d->vcpu[0]->guest_table = l4_mfn;
    b->d->nr_l4_pages = 1;
}

/* Refuse the image with a message naming the rule; the boot stops cleanly. */
#define refuse(rc, ...) do { printk(XENLOG_ERR "d%u kernel refused: ", s->domid); \
                             printk(__VA_ARGS__); printk("\n"); return (rc); } while ( 0 )

int construct_domain(const struct domain_spec *s)
{
    const void *image = maddr_to_virt(s->kernel_start);
    size_t size = s->kernel_end - s->kernel_start;
    unsigned long initrd_len = s->initrd_end - s->initrd_start;
    static struct elf_dom_parms parms;
    static struct layout l;
    struct builder b = { .l = &l };
    struct start_info *si;
    struct cpu_user_regs *regs;
    const char *why = NULL;
    unsigned int order;
    bool translated;
    int rc;

    printk("d%u kernel: module at %#lx-%#lx, command line \"%s\"\n", s->domid,
           (unsigned long)s->kernel_start, (unsigned long)s->kernel_end, s->cmdline);
    if ( size > 0x206 && !memcmp((const char *)image + 0x202, "HdrS", 4) )
        refuse(-XEN_EINVAL, "this is a Linux bzImage; Xen unpacks those, xen-like "
               "needs the ELF inside (scripts/extract-vmlinux turns one into the other)");
    if ( (rc = elf_xen_parse(image, size, &parms, &why)) )
        refuse(rc, "%s", why);
    if ( parms.f_required[0] & (1U << XENFEAT_supervisor_mode_kernel) )
        refuse(-XEN_EINVAL, "it requires supervisor_mode_kernel, which no 64-bit "
               "PV hypervisor offers");
    translated = s->translated ||
                 (parms.f_supported[0] & (1U << XENFEAT_auto_translated_physmap)) ||
                 domain_listed(opt_pv_translate, s->domid);
    if ( s->privileged && parms.has_supported_features &&
         !(parms.f_supported[0] & (1U << XENFEAT_dom0)) )
        refuse(-XEN_EINVAL, "its SUPPORTED_FEATURES note lacks XENFEAT_dom0");
    if ( parms.has_p2m_base )
        refuse(-XEN_EOPNOTSUPP, "INIT_P2M (a P2M outside the bootstrap region) is "
               "not supported yet");
    l.nr_pages = s->nr_pages;
    if ( l.nr_pages > free_pages )
        refuse(-XEN_ENOMEM, "it asks for %lu pages, %lu are free", l.nr_pages,
               free_pages);
    compute_layout(&l, &parms, initrd_len);
    if ( l.v_start < HYPERVISOR_VIRT_END && l.v_end > HYPERVISOR_VIRT_START )
        refuse(-XEN_EINVAL, "its image overlaps the hypervisor's area");
    if ( l.v_end < l.v_start )
        refuse(-XEN_EINVAL, "its bootstrap region wraps around the address space");
    order = 0;
    while ( (PAGE_SIZE << order) < l.v_end - l.v_start - round_pgup(initrd_len) )
        order++;
    if ( (1UL << order) + PFN_UP(initrd_len) > l.nr_pages )
        refuse(-XEN_ENOMEM, "its allocation (%lu pages) is too small for the "
               "kernel image and bootstrap region", l.nr_pages);
    if ( parms.has_hypercall && (parms.virt_hypercall < l.v_start ||
                                 parms.virt_hypercall >= l.v_end) )
        refuse(-XEN_EINVAL, "invalid HYPERCALL_PAGE field in ELF notes");
    show_layout(s->domid, &l, &parms);

    b.d = building = domain_create(s->domid, s->privileged, 1);
    if ( !b.d )
        refuse(-XEN_ENOMEM, "no memory for the domain structures");
    if ( translated )
    {
        /* One more guest frame than RAM: shared_info lives there. */
        b.d->translated = true;
        if ( (rc = p2m_init(b.d, l.nr_pages + 1)) )
            refuse(rc, "no room for a translate-mode P2M of %lu pages", l.nr_pages);
        p2m_set(b.d, l.nr_pages, b.d->shared_info_mfn);
        set_gpfn_from_mfn(b.d->shared_info_mfn, l.nr_pages);
        printk("d%u runs in translate mode: it writes guest frames, xen-like "
               "installs machine frames (f·g)\n", s->domid);
    }
    /* Like Xen for dom0: no ceiling unless dom0_mem=max:N gave one. */
    b.d->max_pages = s->max_pages ? s->max_pages : 0xffffffffUL;
    if ( b.d->max_pages < l.nr_pages )
        refuse(-XEN_EINVAL, "its maximum (%lu pages) is below its size (%lu pages)",
               b.d->max_pages, l.nr_pages);
    if ( (rc = populate(&b)) )
        refuse(rc, "out of memory while giving it %lu pages", l.nr_pages);
    build_page_tables(&b);

    if ( (rc = elf_load(image, size, &parms, load_segment, &b, &why)) )
        refuse(rc, "%s", why ? why : "a segment does not fit its range");
    if ( initrd_len )
        region_copy(&b, l.vinitrd_start, maddr_to_virt(s->initrd_start), initrd_len, false);
    if ( parms.has_hypercall )
        write_hypercall_page(region_va_to_virt(&b, parms.virt_hypercall & PAGE_MASK));

    si = region_va_to_virt(&b, l.vstartinfo_start);
    memset(si, 0, PAGE_SIZE);
    /* Xen appends "p" when the image carries a PAE_MODE note, even for a
     * 64-bit kernel (XTF and Linux send one). */
    snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64%s",
             parms.pae_mode[0] ? "p" : "");
    si->nr_pages = l.nr_pages;
    si->shared_info = translated ? (paddr_t)l.nr_pages << PAGE_SHIFT
                                 : mfn_to_maddr(b.d->shared_info_mfn);
    /* Xen also hands dom0 the processor power management (Px and Cx states,
     * bits 8-15), which the hardware domain would drive through cpufreq.
     * Other domains get no flags. */
    si->flags = s->privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN |
                                ((XEN_PROCESSOR_PM_PX | XEN_PROCESSOR_PM_CX) << 8)
                              : 0;
    si->pt_base = l.vpt_start;
    si->nr_pt_frames = l.nr_pt_pages;
    si->mfn_list = l.vphysmap_start;
    si->first_p2m_pfn = (1UL << order) + PFN_UP(initrd_len);
    si->nr_p2m_frames = 0;
    if ( initrd_len )
    {
        si->mod_start = l.vinitrd_start;
        si->mod_len = initrd_len;
    }
    strlcpy((char *)si->cmd_line, s->cmdline, sizeof(si->cmd_line));
    b.d->shared_info->arch.max_pfn = l.nr_pages;

    regs = &b.d->vcpu[0]->user_regs;
    memset(regs, 0, sizeof(*regs));
    regs->rip = parms.virt_entry;
    regs->rsp = l.vstack_end;
    regs->rsi = l.vstartinfo_start;
    regs->rflags = X86_EFLAGS_IF | X86_EFLAGS_MBS;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;

    printk("d%u: %lu pages, P2M[0] = mfn %#lx, pt_base %#lx (%lu frames), "
           "L4 mfn %#lx (pinned)\n", s->domid, l.nr_pages, mfn_x(pfn_to_mfn(0)),
           l.vpt_start, l.nr_pt_pages, mfn_x(b.d->vcpu[0]->guest_table));
    return 0;
}
