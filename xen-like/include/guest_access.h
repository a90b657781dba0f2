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

bool guest_range_ok(unsigned long addr, size_t len);

/* Both return the number of bytes NOT copied (0 on success). */
size_t copy_from_guest(void *dst, unsigned long guest_src, size_t len);
size_t copy_to_guest(unsigned long guest_dst, const void *src, size_t len);

#endif
