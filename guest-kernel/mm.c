/*
 * mm.c - address translation helpers for the tests (see mm.h).
 */
#include "kernel.h"
#include "mm.h"
#include "traps.h"

unsigned long virt_to_pfn(const void *va)
{
    return ((unsigned long)va - VIRT_BASE) >> PAGE_SHIFT;
}

unsigned long pfn_to_mfn(unsigned long pfn)
{
    return ((const unsigned long *)start_info->mfn_list)[pfn];
}

unsigned long virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

uint64_t virt_to_machine(const void *va)
{
    return ((uint64_t)virt_to_mfn(va) << PAGE_SHIFT) |
           ((unsigned long)va & (PAGE_SIZE - 1));
}

/* The region's (read-only) mapping of the page-table frame in entry e. */
static const volatile uint64_t *next_table(uint64_t e)
{
    unsigned long mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    uint64_t pfn;

    if (!(e & _PAGE_PRESENT))
        return NULL;
    if (probe_read_u64((unsigned long)&machine_to_phys_mapping[mfn], &pfn) ||
        pfn >= start_info->nr_pages)
        return NULL;
    return (const volatile uint64_t *)(VIRT_BASE + pfn * PAGE_SIZE);
}

const volatile uint64_t *l1e_of(unsigned long va)
{
    const volatile uint64_t *t = (const volatile uint64_t *)start_info->pt_base;

    for (int shift = 39; shift > 12 && t; shift -= 9)
        t = next_table(t[(va >> shift) & 511]);
    return t ? &t[(va >> 12) & 511] : NULL;
}

uint64_t l1e_machine(unsigned long va)
{
    const volatile uint64_t *e = l1e_of(va);

    return e ? virt_to_machine((const void *)e) : 0;
}

int m2p_read(unsigned long mfn, uint64_t *pfn)
{
    return probe_read_u64((unsigned long)&machine_to_phys_mapping[mfn], pfn);
}

int mfn_is_ours(unsigned long mfn)
{
    uint64_t pfn;

    return !m2p_read(mfn, &pfn) && pfn < start_info->nr_pages &&
           pfn_to_mfn(pfn) == mfn;
}
