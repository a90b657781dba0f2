/*
 * p2m.c - translate mode: the hypervisor's own pfn -> mfn map (f).
 *
 * In Xen's PV ABI (the default here) a guest writes machine frames into its
 * page tables: it composes f·g itself with the P2M it was handed.  In
 * translate mode the guest writes its own pseudo-physical frames instead,
 * and the hypervisor applies f as it installs each entry, so the tables the
 * MMU walks still hold f·g.  Every guest-frame input is translated here:
 * mmu_update's ptr and entry frames, mmuext_op's mfn arguments,
 * update_va_mapping's entry, CR3 values, GDT frames.  The rules checked
 * afterwards are exactly the same as in Xen mode.
 *
 * The map is private to the hypervisor (the guest's own copy at
 * start_info.mfn_list is only the identity, for guests that always look
 * frames up): two levels, pages of 512 mfns, so it needs no large
 * contiguous allocation.
 */
#include "console.h"
#include "domain.h"
#include "mm.h"
#include "mmu.h"
#include "pt.h"

mfn_t gfn_to_mfn(const struct domain *d, gfn_t gfn)
{
    unsigned long g = gfn_x(gfn);
    const unsigned long *leaf;

    if ( !d->translated )
        return _mfn(g);                        /* Xen mode: gfn == mfn */
    if ( g >= d->p2m_size || mfn_eq(d->p2m_pages[g / 512], INVALID_MFN) )
        return INVALID_MFN;
    leaf = mfn_to_virt(d->p2m_pages[g / 512]);
    return _mfn(leaf[g % 512]);
}

int p2m_init(struct domain *d, unsigned long nr)
{
    if ( nr > P2M_MAX_PAGES * 512 )
        return -XEN_ENOMEM;
    d->p2m_size = nr;
    for ( unsigned long i = 0; i < P2M_MAX_PAGES; i++ )
        d->p2m_pages[i] = INVALID_MFN;
    for ( unsigned long i = 0; i < (nr + 511) / 512; i++ )
    {
        unsigned long *leaf;

        if ( mfn_eq(d->p2m_pages[i] = alloc_xenheap_mfn(), INVALID_MFN) )
            return -XEN_ENOMEM;
        leaf = mfn_to_virt(d->p2m_pages[i]);
        for ( unsigned int j = 0; j < 512; j++ )
            leaf[j] = mfn_x(INVALID_MFN);
    }
    return 0;
}

void p2m_set(struct domain *d, unsigned long pfn, mfn_t mfn)
{
    if ( d->translated && pfn < d->p2m_size )
        ((unsigned long *)mfn_to_virt(d->p2m_pages[pfn / 512]))[pfn % 512] = mfn_x(mfn);
}

/*
 * The frame of a guest-written entry, translated.  A present entry whose
 * guest frame has no machine frame behind it is refused (-EINVAL).
 */
int translate_pte(const struct domain *d, intpte_t *e)
{
    mfn_t mfn;

    if ( !d->translated || !(*e & _PAGE_PRESENT) )
        return 0;
    mfn = gfn_to_mfn(d, _gfn(mfn_x(pte_mfn(*e))));
    if ( mfn_eq(mfn, INVALID_MFN) )
    {
        gprintk(d, XENLOG_G_WARNING "entry %#lx: guest frame %#lx has no machine "
                "frame (translate mode) -> -EINVAL\n", (unsigned long)*e,
                mfn_x(pte_mfn(*e)));
        return -XEN_EINVAL;
    }
    *e = (*e & ~PADDR_MASK) | mfn_to_maddr(mfn);
    return 0;
}
