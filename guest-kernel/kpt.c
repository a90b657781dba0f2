/*
 * kpt.c - leaving the builder's bootstrap page tables for our own.
 *
 * The builder (§1.2) mapped only [VIRT_BASE, v_end), a few MiB.  We build
 * a tree that maps every pfn of the domain at VIRT_BASE + pfn * 4K (the
 * direct map the rest of the kernel uses), in the order Linux uses (§4.2):
 *
 *   1. allocate the new L4, L3, L2 and L1s from the free pages after the
 *      builder's boot stack, zeroed through their RW mapping;
 *   2. remap each of them read-only with update_va_mapping (§2.4: a frame
 *      with a writable mapping cannot become a page table);
 *   3. fill them with batched mmu_update (§2.2 item 4: a frame that is not
 *      yet a table just stores the value), mapping every table frame, ours
 *      and the builder's, read-only, and shared_info at its own page;
 *   4. MMUEXT_PIN_L4_TABLE the new L4: Xen validates the whole tree (§3.5);
 *   5. MMUEXT_NEW_BASEPTR: we now run on it;
 *   6. unpin the builder's L4; its frames stop being tables, so we map
 *      them read-write again and give them, and the old boot stack page,
 *      to the frame allocator.
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"
#include "gnttab.h"

#define L4_SLOT(va) (((va) >> 39) & 511)
#define L3_SLOT(va) (((va) >> 30) & 511)
#define L2_SLOT(va) (((va) >> 21) & 511)

unsigned long kpt_l4;
static unsigned long kpt_l1;            /* first of the contiguous L1s */

/*
 * The machine frame behind pfn, as the hypervisor installed it: read back
 * from the L1 entry that maps pfn (the builder's before the switch, ours
 * after).  In mmu=xen it equals P2M[pfn]; in mmu=translate it is the only
 * way the guest ever sees a machine frame number.
 */
static uint64_t mfn_seen(unsigned long pfn)
{
    const volatile uint64_t *e;

    if (kpt_l1)
        return pte_mfn(table_of(kpt_l1 + pfn / 512)[pfn % 512]);
    e = l1e_of(VIRT_BASE + pfn * PAGE_SIZE);
    return e ? pte_mfn(*e) : ~0UL;
}

static unsigned long new_table(const char *what)
{
    unsigned long pfn = frame_alloc();

    frame_make_ro(pfn);
    printk("# kpt: new %s table: pfn %#lx mfn %#lx, zeroed, remapped RO\n",
           what, pfn, mfn_seen(pfn));
    return pfn;
}

/* The end of the builder's mapped region (§1.2: a 4 MiB boundary). */
static unsigned long region_end(unsigned long from)
{
    unsigned long pfn;

    for (pfn = from; pfn < os_pages(); pfn++) {
        const volatile uint64_t *e = l1e_of(VIRT_BASE + pfn * PAGE_SIZE);

        if (!e || !(*e & _PAGE_PRESENT))
            break;
    }
    return pfn;
}

static bool in(unsigned long pfn, unsigned long lo, unsigned long n)
{
    return pfn >= lo && pfn < lo + n;
}

const char *kpt_build_and_switch(void)
{
    unsigned long nr = os_pages();      /* at most MAX_PFNS of nr_pages */
    unsigned long old_l4 = virt_to_pfn((void *)start_info->pt_base);
    unsigned long old_n = start_info->nr_pt_frames;
    unsigned long stack = old_l4 + old_n;      /* the builder's boot stack */
    unsigned long nl1 = (nr + 511) / 512, l3, l2, l1[MAX_PFNS / 512] = { 0 };
    unsigned long si = virt_to_pfn(shared_info_page), first, end;
    unsigned long before;

    first = stack + 1;
    end = region_end(first);
    frames_init(first, end);
    printk("# kpt: builder's L4 pfn %#lx mfn %#lx, %lu table frames; "
           "free pfns %#lx..%#lx in its region\n",
           old_l4, mfn_seen(old_l4), old_n, first, end - 1);
    if (L2_SLOT(VIRT_BASE) + nl1 > 512)
        return "the direct map needs more than one L2";

    /* 1-2: allocate, zero, remap read-only. */
    kpt_l4 = new_table("L4");
    l3 = new_table("L3");
    l2 = new_table("L2");
    for (unsigned long i = 0; i < nl1; i++)
        if ((l1[i] = frame_alloc()) != l1[0] + i)
            return "the L1 frames are not contiguous";
    for (unsigned long i = 0; i < nl1; i++)
        frame_make_ro(l1[i]);
    printk("# kpt: %lu L1 tables pfn %#lx..%#lx mfn %#lx..%#lx, zeroed, "
           "remapped RO\n", nl1, l1[0], l1[nl1 - 1], mfn_seen(l1[0]),
           mfn_seen(l1[nl1 - 1]));

    /* 3: every pfn, read-only if it is (or was) a page table. */
    before = hc.batches;
    for (unsigned long pfn = 0; pfn < nr; pfn++) {
        bool table = in(pfn, old_l4, old_n) || pfn == kpt_l4 || pfn == l3 ||
                     pfn == l2 || in(pfn, l1[0], nl1);

        if (table && !in(pfn, old_l4, old_n) && frame_refs(pfn) != 1)
            return "a new table frame is not allocated";
        uint64_t val = pte_make(pfn, table ? PTE_KERNEL_RO : PTE_KERNEL_RW);

        if (pfn == si)      /* shared_info: machine or guest address, §1.3 */
            val = start_info->shared_info | PTE_KERNEL_RW;
        if (gnttab_area_pte(pfn))   /* the grant frames stay mapped */
            val = gnttab_area_pte(pfn);
        pte_queue(slot_addr(l1[pfn / 512], pfn % 512), val);
    }
    for (unsigned long i = 0; i < nl1; i++)
        pte_queue(slot_addr(l2, L2_SLOT(VIRT_BASE) + i), pte_make(l1[i], PTE_TABLE));
    pte_queue(slot_addr(l3, L3_SLOT(VIRT_BASE)), pte_make(l2, PTE_TABLE));
    pte_queue(slot_addr(kpt_l4, L4_SLOT(VIRT_BASE)), pte_make(l3, PTE_TABLE));
    pte_commit(FLUSH_NONE);
    printk("# kpt: %lu entries written in %lu batched mmu_updates\n",
           nr + nl1 + 2, hc.batches - before);

    /* 4-5: pin (validates everything below), then switch. */
    pin_l4(kpt_l4);
    printk("# kpt: pinned L4 pfn %#lx mfn %#lx (we wrote frame %#lx, mmu=%s)\n",
           kpt_l4, mfn_seen(kpt_l4), gfn_of(kpt_l4), xlate_name());
    set_kernel_base(kpt_l4);
    kpt_l1 = l1[0];
    printk("# kpt: NEW_BASEPTR: running on our own L4; cr3 reads %#lx\n",
           read_cr3());

    /* 6: drop the builder's tables and reclaim their frames. */
    unpin_table(old_l4);
    printk("# kpt: unpinned the builder's L4 pfn %#lx mfn %#lx\n",
           old_l4, mfn_seen(old_l4));
    for (unsigned long pfn = old_l4; pfn <= stack; pfn++) {
        if (pfn < stack)
            frame_make_rw(pfn);
        frame_give(pfn);
    }
    printk("# kpt: reclaimed pfns %#lx..%#lx (%lu tables + boot stack)\n",
           old_l4, stack, old_n);
    frames_extend(nr);
    printk("# kpt: direct map of all %lu pages; %lu frames free\n",
           nr, frames_free());
    return NULL;
}
