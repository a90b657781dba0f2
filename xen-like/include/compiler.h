/*
 * compiler.h - included first in every hypervisor file (via -include).
 *
 * The hypervisor is position-independent code linked at a fixed high
 * address.  Marking every symbol hidden, declarations included, lets the
 * compiler reach each one with a direct RIP-relative reference instead of
 * going through a GOT slot (Xen does the same).
 */
#ifndef XL_COMPILER_H
#define XL_COMPILER_H
#pragma GCC visibility push(hidden)
#endif
