/*
 * mm/setup.c - from the loader's memory map to a running frame allocator.
 *
 * At boot the hypervisor sees physical 0..1 GiB through the boot page
 * tables (head.S).  init_memory() then:
 *
 *   1. finds RAM in the memory map and max_page, the frame-table size;
 *   2. starts a bump allocator just after everything the loader left us
 *      (image, modules), below 1 GiB where it is already mapped;
 *   3. maps all RAM into the direct map (2 MiB pages);
 *   4. maps and clears the frame table (struct page_info per frame);
 *   5. maps the M2P in 2 MiB chunks, read-write in slot 261 for the
 *      hypervisor and read-only with the user bit in slot 256 for guests,
 *      and fills it with INVALID_M2P_ENTRY;
 *   6. marks what the hypervisor keeps and puts every other RAM frame on
 *      the free list.
 */
#include "bootinfo.h"
#include "console.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "pt.h"
#include "panic.h"
#include "x86.h"

unsigned long max_page, total_ram_pages;
unsigned long m2p_chunks;
static mfn_t m2p_chunk_list[512];
static intpte_t ro_mpt_l3[512] __attribute__((aligned(4096), section(".bss.page_aligned")));

extern char __image_start[], __image_end[];

static paddr_t boot_next, boot_limit;
static paddr_t boot_first;

#define BOOT_MAPPED_LIMIT (1UL << 30)       /* head.S maps 0..1 GiB */

static paddr_t boot_alloc(unsigned long bytes, unsigned long align)
{
    paddr_t p = (boot_next + align - 1) & ~(paddr_t)(align - 1);

    if ( p + bytes > boot_limit )
        panic("out of memory while setting up the frame table and M2P "
              "(need %lu more bytes below 1 GiB)", bytes);
    boot_next = p + bytes;
    memset(maddr_to_virt(p), 0, bytes);
    return p;
}

/* Walk idle_pg_table to the entry for va at `level` (1-3), creating tables. */
static intpte_t *boot_walk(unsigned long va, unsigned int level, intpte_t table_flags)
{
    intpte_t *t = idle_pg_table;
    unsigned int shift = L4_PAGETABLE_SHIFT;

    for ( unsigned int l = 4; l > level; l--, shift -= 9 )
    {
        intpte_t *e = &t[(va >> shift) & 511];

        if ( !(*e & _PAGE_PRESENT) )
            *e = boot_alloc(PAGE_SIZE, PAGE_SIZE) | table_flags;
        else
            *e |= table_flags & _PAGE_USER;
        t = maddr_to_virt(*e & PADDR_MASK);
    }
    return &t[(va >> shift) & 511];
}

static bool in_module(const struct boot_info *bi, paddr_t pa)
{
    for ( unsigned int i = 0; i < bi->nr_modules; i++ )
        if ( pa + PAGE_SIZE > (bi->modules[i].start & ~(PAGE_SIZE - 1)) &&
             pa < bi->modules[i].end )
            return true;
    return false;
}

static bool ram_range(const struct boot_info *bi, paddr_t s, paddr_t e)
{
    for ( unsigned int i = 0; i < bi->nr_memmap; i++ )
    {
        const struct boot_memmap_entry *m = &bi->memmap[i];

        if ( m->type == E820_RAM && s >= m->addr && e <= m->addr + m->len )
            return true;
    }
    return false;
}

static void map_directmap(const struct boot_info *bi, intpte_t nx)
{
    for ( unsigned int i = 0; i < bi->nr_memmap; i++ )
    {
        const struct boot_memmap_entry *m = &bi->memmap[i];
        paddr_t s = m->addr & ~((1UL << L2_PAGETABLE_SHIFT) - 1);

        if ( m->type != E820_RAM )
            continue;
        for ( ; s < m->addr + m->len; s += 1UL << L2_PAGETABLE_SHIFT )
        {
            if ( s < BOOT_MAPPED_LIMIT )
                continue;                       /* already mapped by head.S */
            *boot_walk(DIRECTMAP_VIRT_START + s, 2, _PAGE_PRESENT | _PAGE_RW) =
                s | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE | nx;
        }
    }
}

static void map_frametable(intpte_t nx)
{
    unsigned long bytes = round_pgup(max_page * sizeof(struct page_info));

    for ( unsigned long off = 0; off < bytes; off += PAGE_SIZE )
        *boot_walk(FRAMETABLE_VIRT_START + off, 1, _PAGE_PRESENT | _PAGE_RW) =
            boot_alloc(PAGE_SIZE, PAGE_SIZE) | _PAGE_PRESENT | _PAGE_RW | nx;
}

/*
 * The M2P is mapped with 2 MiB pages, each a contiguous "chunk", because
 * XENMEM_machphys_mfn_list reports those chunks to guests, as Xen does.
 * The intermediate entries carry the user bit so the guests' read-only
 * alias in slot 256 (which shares the L2 tables) is readable from ring 3;
 * slot 261 itself has no user bit, so the read-write view stays private.
 */
static void map_m2p(intpte_t nx)
{
    unsigned long bytes = max_page * sizeof(unsigned long);
    unsigned long chunk = 1UL << L2_PAGETABLE_SHIFT;
    intpte_t *l3_rw;

    for ( unsigned long off = 0; off < bytes; off += chunk )
    {
        paddr_t p = boot_alloc(chunk, chunk);

        *boot_walk(RDWR_MPT_VIRT_START + off, 2, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER) =
            p | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PSE | nx;
        if ( m2p_chunks < sizeof(m2p_chunk_list) / sizeof(m2p_chunk_list[0]) )
            m2p_chunk_list[m2p_chunks++] = maddr_to_mfn(p);
    }
    memset(machine_to_phys_rw, 0xff, bytes);     /* INVALID_M2P_ENTRY */

    /* Guest view: same L2 tables, reached through a read-only L3. */
    l3_rw = maddr_to_virt(idle_pg_table[l4_table_offset(RDWR_MPT_VIRT_START)] & PADDR_MASK);
    for ( unsigned int i = 0; i < 256; i++ )
        if ( l3_rw[i] & _PAGE_PRESENT )
            ro_mpt_l3[i] = (l3_rw[i] & PADDR_MASK) | _PAGE_PRESENT | _PAGE_USER |
                           _PAGE_ACCESSED;
}

mfn_t m2p_chunk_mfn(unsigned long i)
{
    return i < m2p_chunks ? m2p_chunk_list[i] : INVALID_MFN;
}

/*
 * The hypervisor's slots of a guest L4.  Slot 256 (the guest-visible M2P)
 * is filled only when the L4 is loaded as a kernel CR3, as Xen does
 * without m2p_strict; 260 is the domain's own per-domain area; 261-271 are
 * shared by every address space.
 */
void init_xen_l4_slots(intpte_t *l4, const struct domain *d, bool ro_mpt)
{
    for ( unsigned int s = XEN_FIRST_SLOT; s <= XEN_LAST_SLOT; s++ )
        l4[s] = idle_pg_table[s];
    intpte_t nx = cpu_has_nx ? _PAGE_NX : 0;

    l4[256] = ro_mpt ? pte_from_mfn(virt_to_mfn(ro_mpt_l3),
                                    _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | nx)
                     : 0;
    l4[257] = l4[259] = 0;
    /* Slot 258: the table mapped onto itself (supervisor only), as Xen's
     * linear page-table area; guests see it present in their L4. */
    l4[258] = pte_from_mfn(virt_to_mfn(l4), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
                                            _PAGE_DIRTY | nx);
    if ( d )
        l4[260] = pte_from_mfn(d->perdomain_l3, _PAGE_PRESENT | _PAGE_RW);
}

void init_memory(const struct boot_info *bi, unsigned long reserved_end)
{
    intpte_t nx = (rdmsr(MSR_EFER) & EFER_NXE) ? _PAGE_NX : 0;
    unsigned long lo_image = virt_to_maddr(__image_start);

    for ( unsigned int i = 0; i < bi->nr_memmap; i++ )
    {
        const struct boot_memmap_entry *m = &bi->memmap[i];

        if ( m->type != E820_RAM )
            continue;
        total_ram_pages += m->len >> PAGE_SHIFT;
        if ( ((m->addr + m->len) >> PAGE_SHIFT) > max_page )
            max_page = (m->addr + m->len) >> PAGE_SHIFT;
    }
    if ( max_page > (1UL << 32) )
    {
        printk(XENLOG_WARNING "RAM above 16 TiB ignored\n");
        max_page = 1UL << 32;
    }

    boot_first = boot_next = round_pgup(reserved_end);
    boot_limit = boot_next;
    for ( unsigned int i = 0; i < bi->nr_memmap; i++ )
    {
        const struct boot_memmap_entry *m = &bi->memmap[i];

        if ( m->type == E820_RAM && boot_next >= m->addr && boot_next < m->addr + m->len )
            boot_limit = m->addr + m->len;
    }
    if ( boot_limit > BOOT_MAPPED_LIMIT )
        boot_limit = BOOT_MAPPED_LIMIT;

    map_directmap(bi, nx);
    map_frametable(nx);
    map_m2p(nx);
    idle_pg_table[256] = pte_from_mfn(virt_to_mfn(ro_mpt_l3),
                                      _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED);
    flush_tlb_local();

    printk("Memory: %lu MiB RAM, max_page %#lx; frame table %lu KiB "
           "(%zu bytes per frame), M2P %lu chunk(s) of 2 MiB\n",
           total_ram_pages >> 8, max_page,
           (max_page * sizeof(struct page_info)) >> 10, sizeof(struct page_info),
           m2p_chunks);
    printk("Boot allocations: %#lx-%#lx (image %#lx-%#lx)\n",
           (unsigned long)boot_first, (unsigned long)boot_next,
           lo_image, virt_to_maddr(__image_end));

    /* The image, the modules (until the domains are built) and the boot
     * allocations are the hypervisor's; all other RAM is free. */
    for ( unsigned long mfn = 0; mfn < max_page; mfn++ )
    {
        struct page_info *pg = &frame_table[mfn];
        paddr_t pa = (paddr_t)mfn << PAGE_SHIFT;

        pg->owner = DOMID_INVALID;
        if ( !ram_range(bi, pa, pa + PAGE_SIZE) )
            continue;                           /* a hole: not RAM */
        if ( pa < 0x100000 || (pa >= lo_image && pa < virt_to_maddr(__image_end)) ||
             (pa >= boot_first && pa < boot_next) || in_module(bi, pa) )
        {
            pg->owner = DOMID_XEN;
            pg->count_info = PGC_xen_heap | PGC_allocated | 1;
            continue;
        }
        free_domheap_mfn(_mfn(mfn));
    }
}

/*
 * One line for docs/bench.md: what the hypervisor itself occupies once the
 * domains are built.  The heap is every other frame it owns (per-domain
 * tables, shared_info, P2M pages of translate-mode domains), counted in
 * the frame table; the first MiB is left out (firmware, not ours).
 */
void print_memory_footprint(void)
{
    unsigned long image = virt_to_maddr(__image_end) - virt_to_maddr(__image_start);
    unsigned long boot = boot_next - boot_first, own = 0;

    for ( unsigned long mfn = 0x100; mfn < max_page; mfn++ )
    {
        const struct page_info *pg = &frame_table[mfn];

        if ( pg->owner == DOMID_XEN && !(pg->count_info & PGC_free) )
            own++;
    }
    own = own * PAGE_SIZE - round_pgup(image) - round_pgup(boot);
    printk("Memory footprint: image %lu KiB, boot allocations %lu KiB (frame table "
           "%lu KiB: %zu bytes of page_info per frame; M2P; direct-map tables), "
           "heap %lu KiB; total %lu KiB\n", image >> 10, boot >> 10,
           (max_page * sizeof(struct page_info)) >> 10, sizeof(struct page_info),
           own >> 10, (round_pgup(image) + round_pgup(boot) + own) >> 10);
}
