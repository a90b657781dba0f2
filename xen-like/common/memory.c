/*
 * memory.c - memory_op: what memory a domain has and where the M2P is.
 *
 * Only the queries exist so far; reservation changes (populate, decrease,
 * exchange) come with the PV-MMU work.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"

/*
 * memory_op's cmd carries the command in bits 0-5 and, above them, the
 * extent to resume from in a continuation.  Xen keeps this split in its
 * private headers, so it is spelled out here.
 */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1UL << MEMOP_EXTENT_SHIFT) - 1)

/* The domain named by a domid_t the guest passes by pointer. */
static long target_domain(unsigned long arg, struct domain **out)
{
    domid_t domid;
    struct domain *self = current->domain;

    if ( copy_from_guest(&domid, arg, sizeof(domid)) )
        return -XEN_EFAULT;
    if ( domid == DOMID_SELF || domid == self->domain_id )
    {
        *out = self;
        return 0;
    }
    if ( !self->is_privileged )
        return -XEN_EPERM;
    *out = get_domain_by_id(domid);
    return *out ? 0 : -XEN_ESRCH;
}

long do_memory_op(unsigned long cmd, unsigned long arg)
{
    struct domain *d = current->domain, *t;
    long rc;

    switch ( cmd & MEMOP_CMD_MASK )
    {
    case XENMEM_maximum_ram_page:
        return (long)max_page;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        if ( (rc = target_domain(arg, &t)) )
            return rc;
        return (long)((cmd & MEMOP_CMD_MASK) == XENMEM_current_reservation
                      ? t->tot_pages : t->max_pages);
    case XENMEM_memory_map:
    {
        /* A PV domain's pseudo-physical map: RAM from pfn 0 to nr_pages. */
        struct xen_memory_map map;
        struct { uint64_t addr, size; uint32_t type; } __attribute__((packed)) e820 = {
            .addr = 0, .size = (uint64_t)d->tot_pages << PAGE_SHIFT, .type = 1,
        };

        if ( copy_from_guest(&map, arg, sizeof(map)) )
            return -XEN_EFAULT;
        if ( map.nr_entries < 1 )
            return -XEN_EINVAL;
        if ( copy_to_guest((unsigned long)map.buffer.p, &e820, sizeof(e820)) )
            return -XEN_EFAULT;
        map.nr_entries = 1;
        return copy_to_guest(arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
    }
    case XENMEM_machphys_mfn_list:
    {
        struct xen_machphys_mfn_list l;
        unsigned int i;

        if ( copy_from_guest(&l, arg, sizeof(l)) )
            return -XEN_EFAULT;
        for ( i = 0; i < l.max_extents && i < m2p_chunks; i++ )
        {
            xen_pfn_t mfn = mfn_x(m2p_chunk_mfn(i));

            if ( copy_to_guest((unsigned long)l.extent_start.p + i * sizeof(mfn),
                               &mfn, sizeof(mfn)) )
                return -XEN_EFAULT;
        }
        l.nr_extents = i;
        return copy_to_guest(arg, &l, sizeof(l)) ? -XEN_EFAULT : 0;
    }
    case XENMEM_machphys_mapping:
    {
        /* The whole 256 GiB window, as Xen reports it; the hardware domain
         * also learns the highest frame that really exists. */
        struct xen_machphys_mapping m = {
            .v_start = MACH2PHYS_VIRT_START,
            .v_end = MACH2PHYS_VIRT_END,
            .max_mfn = d->is_privileged ? max_page - 1 : MACH2PHYS_NR_ENTRIES - 1,
        };

        return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}
