/*
 * hypercall.h - the hypervisor side of the hypercall layer.
 *
 * The numbers and names come from hypercalls/hypercalls.def, the one table
 * both sides share.  Every handler takes the raw argument registers as
 * unsigned long (the ABI is untyped registers; each handler converts and
 * checks its own arguments) and returns the value the guest sees in RAX:
 * 0 or a result on success, a negative XEN_Exxx on failure.
 */
#ifndef XL_HYPERCALL_H
#define XL_HYPERCALL_H

#include "xen-abi.h"

#define HC_ARGS0 void
#define HC_ARGS1 unsigned long
#define HC_ARGS2 unsigned long, unsigned long
#define HC_ARGS3 unsigned long, unsigned long, unsigned long
#define HC_ARGS4 unsigned long, unsigned long, unsigned long, unsigned long
#define HC_ARGS5 unsigned long, unsigned long, unsigned long, unsigned long, unsigned long

#define HYPERCALL(nr, name, nargs) long do_##name(HC_ARGS##nargs);
#include "hypercalls.def"
#undef HYPERCALL

/* Run hypercall nr with these arguments (for multicall). */
long hypercall_dispatch(unsigned long nr, unsigned long a1, unsigned long a2,
                        unsigned long a3, unsigned long a4, unsigned long a5);

/* Write Xen's 128 hypercall stubs into a guest page (dom0 builder). */
void write_hypercall_page(void *page);

/* The name of hypercall nr, for logs ("#99" style if unknown). */
const char *hypercall_name(unsigned long nr);

#endif
