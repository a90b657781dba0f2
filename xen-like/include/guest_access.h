/*
 * guest_access.h - the only door through which the hypervisor touches
 * guest virtual memory.
 *
 * A guest pointer is a number the guest chose.  Before using it we check
 * that the whole range is canonical guest address space (never the
 * hypervisor's slots 256-271) and does not wrap; the copy itself runs with
 * an exception-table fixup, so an unmapped or read-only guest page makes
 * the copy fail (-EFAULT to the guest) instead of crashing the hypervisor.
 * Accesses go through the current page tables, i.e. the running guest's.
 */
#ifndef XL_GUEST_ACCESS_H
#define XL_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include "layout.h"
#include "xen-abi.h"

/*
 * Is [addr, addr + len) guest address space?  Plain arithmetic, shared by
 * the hypervisor and the host simulator (tests/host/sim), so both judge a
 * guest pointer by the same rule.
 */
static inline bool guest_range_ok(unsigned long addr, size_t len)
{
    unsigned long end = addr + len;

    /*
     * An empty range is still judged by where it starts, as Xen's
     * guest_handle_okay() does: mmu_update(NULL, 0) is fine, a zero-length
     * array in the hypervisor's area or non-canonical is -EFAULT.  (The
     * copies never get here with a length of 0 and a bad address to any
     * effect: they return the length, 0, as "nothing left uncopied".)
     */
    if ( len == 0 )
        return addr < (1UL << 47) || addr >= HYPERVISOR_VIRT_END;
    if ( end < addr )
        return false;                                   /* wraps */
    /* Lower half: [0, 2^47). */
    if ( end <= (1UL << 47) )
        return true;
    /* Upper half above the hypervisor's slots: [0xffff880000000000, 2^64). */
    return addr >= HYPERVISOR_VIRT_END;
}

/* Both return the number of bytes NOT copied (0 on success). */
size_t copy_from_guest(void *dst, unsigned long guest_src, size_t len);
size_t copy_to_guest(unsigned long guest_dst, const void *src, size_t len);

#endif
