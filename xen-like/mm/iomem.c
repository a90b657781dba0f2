/*
 * iomem.c - which I/O frames a domain may map.
 *
 * A domain with I/O rights (dom0) may map machine frames that are not RAM,
 * as Xen's hardware domain may, except the ones the hypervisor keeps for
 * itself: the local APIC and MSI window, the I/O APIC, and (on AMD) the
 * HyperTransport hole; and nothing beyond the CPU's physical address width.
 * arch code fills in the limits at boot (iomem_setup); the host tests use
 * the defaults.
 */
#include "domain.h"
#include "mmu.h"

static unsigned long io_mfn_limit = 1UL << (40 - PAGE_SHIFT);   /* 40-bit default */
static struct { unsigned long start, end; } io_deny[4] = {
    { 0xfee00, 0xfeeff },          /* local APIC and the MSI address window */
    { 0xfec00, 0xfec00 },          /* I/O APIC */
};
static unsigned int nr_io_deny = 2;

void iomem_setup(unsigned int paddr_bits, bool amd_ht_hole)
{
    io_mfn_limit = 1UL << (paddr_bits - PAGE_SHIFT);
    if ( amd_ht_hole && paddr_bits >= 40 )
    {
        unsigned long top = 1UL << (40 - PAGE_SHIFT);

        io_deny[nr_io_deny].start = top - (3UL << (32 - PAGE_SHIFT));
        io_deny[nr_io_deny].end = top - 1;
        nr_io_deny++;
    }
}

bool iomem_access_permitted(const struct domain *d, mfn_t mfn)
{
    if ( !d->io_rights || mfn_x(mfn) >= io_mfn_limit )
        return false;
    for ( unsigned int i = 0; i < nr_io_deny; i++ )
        if ( mfn_x(mfn) >= io_deny[i].start && mfn_x(mfn) <= io_deny[i].end )
            return false;
    return true;
}
