/*
 * guest_access.c - checked copies to and from guest virtual memory.
 */
#include "guest_access.h"

unsigned long raw_copy_guest(void *dst, const void *src, unsigned long n);

bool guest_range_ok(unsigned long addr, size_t len)
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

size_t copy_from_guest(void *dst, unsigned long guest_src, size_t len)
{
    if ( !guest_range_ok(guest_src, len) )
        return len;
    return raw_copy_guest(dst, (const void *)guest_src, len);
}

size_t copy_to_guest(unsigned long guest_dst, const void *src, size_t len)
{
    if ( !guest_range_ok(guest_dst, len) )
        return len;
    return raw_copy_guest((void *)guest_dst, src, len);
}
