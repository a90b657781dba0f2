/*
 * guest_access.c - checked copies to and from guest virtual memory.
 */
#include "guest_access.h"

unsigned long raw_copy_guest(void *dst, const void *src, unsigned long n);

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
