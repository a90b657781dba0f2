/*
 * layout.h - every fixed virtual address of xen-like, and the only place
 * those numbers appear.
 *
 * A 64-bit PV guest shares its address space with the hypervisor: the guest
 * owns the lower canonical half and the top of the upper half, and the
 * hypervisor keeps L4 slots 256-271 of every guest L4 for itself.  The
 * layout of those sixteen slots follows Xen 4.17, so a guest that knows
 * where Xen keeps the read-only M2P finds ours in the same place.
 *
 *  0x0000000000000000 +------------------------------+ L4 slot 0
 *                     | guest (user and kernel)      |
 *  0x00007fffffffffff +------------------------------+ slot 255
 *        (non-canonical hole)
 *  0xffff800000000000 +------------------------------+ slot 256
 *                     | read-only M2P (guest reads)  |  RO_MPT
 *  0xffff804000000000 +------------------------------+
 *                     | (257: PCI MMCFG in Xen, 258: |
 *                     |  linear PT, 259: shadow)     |  unused here
 *  0xffff820000000000 +------------------------------+ slot 260
 *                     | per-domain area: each vCPU's |  PERDOMAIN
 *                     | GDT (16 pages) and LDT       |
 *  0xffff828000000000 +------------------------------+ slot 261
 *                     | read-write M2P               |  RDWR_MPT
 *  0xffff82d040000000 |------------------------------|
 *                     | hypervisor image (1 GiB map  |  XEN_VIRT_START
 *                     |  of physical 0..1 GiB)       |
 *  0xffff82e000000000 |------------------------------|
 *                     | frame table (page_info[])    |  FRAMETABLE
 *  0xffff830000000000 +------------------------------+ slot 262
 *                     | direct map of all RAM        |  DIRECTMAP
 *  0xffff87ffffffffff +------------------------------+ slot 271
 *  0xffff880000000000 +------------------------------+ slot 272
 *                     | guest (kernel)               |
 *  0xffffffffffffffff +------------------------------+ slot 511
 */
#ifndef XL_LAYOUT_H
#define XL_LAYOUT_H

#define PAGE_SHIFT          12
#define PAGE_SIZE           (1UL << PAGE_SHIFT)
#define L1_PAGETABLE_SHIFT  12
#define L2_PAGETABLE_SHIFT  21
#define L3_PAGETABLE_SHIFT  30
#define L4_PAGETABLE_SHIFT  39
#define PAGETABLE_ENTRIES   512

/* L4 slot n starts at this address (n >= 256 sign-extends). */
#define L4_SLOT_VA(n)       (0xffff000000000000UL | ((unsigned long)(n) << 39))

#define XEN_FIRST_SLOT      256
#define XEN_LAST_SLOT       271
#define XEN_SLOTS           (XEN_LAST_SLOT - XEN_FIRST_SLOT + 1)

#define RO_MPT_VIRT_START   L4_SLOT_VA(256)           /* == MACH2PHYS_VIRT_START */
#define RO_MPT_VIRT_END     (RO_MPT_VIRT_START + (256UL << 30))
#define PERDOMAIN_VIRT_START L4_SLOT_VA(260)
#define RDWR_MPT_VIRT_START L4_SLOT_VA(261)
#define RDWR_MPT_VIRT_END   (RDWR_MPT_VIRT_START + (256UL << 30))
#define XEN_VIRT_START      0xffff82d040000000UL
#define XEN_VIRT_END        (XEN_VIRT_START + (1UL << 30))
#define FRAMETABLE_VIRT_START 0xffff82e000000000UL
#define FRAMETABLE_SIZE     (128UL << 30)
#define DIRECTMAP_VIRT_START L4_SLOT_VA(262)
#define DIRECTMAP_VIRT_END  (L4_SLOT_VA(271) + (1UL << 39))

/* Where the image is loaded (physical) and so linked (XEN_VIRT_START + it). */
#define XEN_LOAD_PADDR      0x100000UL

/* Per-domain area: each vCPU owns a 128 KiB window, GDT first then LDT. */
#define GDT_LDT_VCPU_SHIFT  17
#define GDT_VIRT_START(vcpu_id) \
    (PERDOMAIN_VIRT_START + ((unsigned long)(vcpu_id) << GDT_LDT_VCPU_SHIFT))
#define LDT_VIRT_START(vcpu_id) (GDT_VIRT_START(vcpu_id) + (64UL << 10))
#define MAX_VIRT_CPUS_PER_DOMAIN 8

/*
 * The GDT a vCPU runs on is 16 pages: pages 0-13 hold the guest's own
 * descriptors (set_gdt), page 14 holds the hypervisor's reserved entries
 * starting at selector 0xe000, page 15 is empty.  This is why Xen's flat
 * selectors look so odd (0xe033 is entry 7174).
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)
#define GDT_PAGES                16

/* Hypervisor selectors (in the reserved page). */
#define __HYPERVISOR_CS     0xe008
#define __HYPERVISOR_DS     0xe010
#define __HYPERVISOR_CS32   0xe018
#define TSS_SELECTOR        0xe040
#define LDT_SELECTOR        0xe050

#ifndef __ASSEMBLY__
#include <stdint.h>
_Static_assert(XEN_VIRT_START >= RDWR_MPT_VIRT_END, "image above the M2P");
_Static_assert(FRAMETABLE_VIRT_START >= XEN_VIRT_END, "frame table above image");
_Static_assert(FRAMETABLE_VIRT_START + FRAMETABLE_SIZE <= DIRECTMAP_VIRT_START,
               "frame table ends in slot 261");
#endif

#endif
