/*
 * x86-pte.h - the bits of an x86_64 page-table entry, for both sides of
 * the PV-MMU: the guest composes entries with them, the hypervisor checks
 * them.  They are the CPU's (Intel SDM vol. 3, 4.5), not Xen's ABI, which
 * is why Xen's public headers do not define them; bit 52 is the one Xen
 * gives a meaning of its own (64-bit PV: a guest-kernel page).
 */
#ifndef HYPERCALLS_X86_PTE_H
#define HYPERCALLS_X86_PTE_H

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_PWT      0x008UL
#define _PAGE_PCD      0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
#define _PAGE_PAT      0x080UL   /* in an L1 entry */
#define _PAGE_GLOBAL   0x100UL
#define _PAGE_AVAIL    0xe00UL   /* bits 9-11, the software's */
#define _PAGE_GUEST_KERNEL (1UL << 52)   /* Xen's marker: a guest-kernel page */
#define _PAGE_NX       (1UL << 63)

#endif
