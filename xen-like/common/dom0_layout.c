/*
 * dom0_layout.c - the shape of dom0's bootstrap region, computed exactly as
 * Xen's dom0 builder does it (so pt_base, nr_pt_frames and mfn_list come
 * out the same), and the small policy helpers of the builder.
 */
#include "console.h"
#include "dom0_layout.h"
#include "lib.h"
#include "mm.h"

/* Number of 2^s-aligned blocks [l, h) touches (Xen's NR()). */
static unsigned long nr_blocks(unsigned long l, unsigned long h, unsigned int s)
{
    unsigned long m = (1UL << s) - 1;
    return (((h + m) & ~m) - (l & ~m)) >> s;
}

void compute_layout(struct layout *l, const struct elf_dom_parms *p,
                    unsigned long initrd_len)
{
    l->v_start = p->virt_base;
    l->vkern_start = p->virt_kstart;
    l->vkern_end = p->virt_kend;
    l->vinitrd_start = initrd_len ? round_pgup(l->vkern_end) : 0;
    l->vinitrd_end = l->vinitrd_start + initrd_len;
    l->vphysmap_start = round_pgup(initrd_len ? l->vinitrd_end : l->vkern_end);
    l->vphysmap_end = l->vphysmap_start + l->nr_pages * sizeof(unsigned long);
    l->vstartinfo_start = round_pgup(l->vphysmap_end);
    l->vstartinfo_end = l->vstartinfo_start + sizeof(struct start_info) +
                        sizeof(struct dom0_vga_console_info);
    l->vpt_start = round_pgup(l->vstartinfo_end);
    for ( l->nr_pt_pages = 2; ; l->nr_pt_pages++ )
    {
        l->vpt_end = l->vpt_start + l->nr_pt_pages * PAGE_SIZE;
        l->vstack_start = l->vpt_end;
        l->vstack_end = l->vstack_start + PAGE_SIZE;
        l->v_end = (l->vstack_end + (1UL << 22) - 1) & ~((1UL << 22) - 1);
        if ( l->v_end - l->vstack_end < (512UL << 10) )
            l->v_end += 1UL << 22;      /* keep >= 512 KiB of padding */
        if ( 1 + nr_blocks(l->v_start, l->v_end, L4_PAGETABLE_SHIFT) +
             nr_blocks(l->v_start, l->v_end, L3_PAGETABLE_SHIFT) +
             nr_blocks(l->v_start, l->v_end, L2_PAGETABLE_SHIFT) <= l->nr_pt_pages )
            break;
    }
}

void show_layout(domid_t domid, const struct layout *l, const struct elf_dom_parms *p)
{
    printk("d%u virtual memory arrangement:\n", domid);
    printk(" Loaded kernel: %016lx->%016lx\n", l->vkern_start, l->vkern_end);
    printk(" Init. ramdisk: %016lx->%016lx\n", l->vinitrd_start, l->vinitrd_end);
    printk(" Phys-Mach map: %016lx->%016lx\n", l->vphysmap_start, l->vphysmap_end);
    printk(" Start info:    %016lx->%016lx\n", l->vstartinfo_start, l->vstartinfo_end);
    printk(" Page tables:   %016lx->%016lx\n", l->vpt_start, l->vpt_end);
    printk(" Boot stack:    %016lx->%016lx\n", l->vstack_start, l->vstack_end);
    printk(" TOTAL:         %016lx->%016lx\n", l->v_start, l->v_end);
    printk(" ENTRY ADDRESS: %016lx\n", (unsigned long)p->virt_entry);
}

unsigned long default_dom0_pages(void)
{
    unsigned long reserve = free_pages / 16;

    if ( reserve < (16UL << 20) >> PAGE_SHIFT )
        reserve = (16UL << 20) >> PAGE_SHIFT;       /* keep >= 16 MiB for us */
    return free_pages > reserve ? free_pages - reserve : 0;
}

/* Is domid in a comma-separated list such as "0,2"? */
bool domain_listed(const char *list, unsigned int domid)
{
    const char *p = list;

    while ( *p )
    {
        const char *end;
        unsigned long v = simple_strtoul(p, &end, 10);

        if ( end != p && v == domid && (*end == ',' || *end == '\0') )
            return true;
        p = strchr(p, ',') ? strchr(p, ',') + 1 : p + strlen(p);
    }
    return false;
}
