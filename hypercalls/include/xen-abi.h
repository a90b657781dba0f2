/*
 * xen-abi.h - the single door to Xen's public ABI headers.
 *
 * Everything in xen-like/, guest-kernel/ and tests/ that needs an ABI
 * structure or constant includes this file.  The structures themselves come
 * from Debian's libxen-dev (<xen/xen.h> and friends); they are never copied
 * or redefined here.  Those headers expect the includer to provide the
 * <stdint.h> types and an interface version, so this file does both, and
 * then pins down, with _Static_assert, every layout that our code (C or
 * assembly) relies on.  If a future libxen-dev changed one of them, the
 * build stops here rather than at run time.
 */
#ifndef HYPERCALLS_XEN_ABI_H
#define HYPERCALLS_XEN_ABI_H

#include <stdint.h>
#include <stddef.h>

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00   /* Xen 4.14+ interface */
#endif

#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/platform.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

/* Hypercall page: 128 slots of 32 bytes; HYPERVISOR_iret is slot 23. */
#define HYPERCALL_PAGE_SLOT_SIZE 32
#define HYPERCALL_PAGE_SLOTS     128
_Static_assert(HYPERCALL_PAGE_SLOT_SIZE * HYPERCALL_PAGE_SLOTS == 4096,
               "hypercall page is one 4 KiB page");
_Static_assert(__HYPERVISOR_iret == 23, "iret slot");

/* start_info (x86_64): offsets the domain builder and guests rely on. */
_Static_assert(sizeof(struct start_info) == 1168, "start_info size");
_Static_assert(offsetof(struct start_info, nr_pages) == 32, "si.nr_pages");
_Static_assert(offsetof(struct start_info, shared_info) == 40, "si.shared_info");
_Static_assert(offsetof(struct start_info, flags) == 48, "si.flags");
_Static_assert(offsetof(struct start_info, pt_base) == 88, "si.pt_base");
_Static_assert(offsetof(struct start_info, nr_pt_frames) == 96, "si.nr_pt_frames");
_Static_assert(offsetof(struct start_info, mfn_list) == 104, "si.mfn_list");
_Static_assert(offsetof(struct start_info, mod_start) == 112, "si.mod_start");
_Static_assert(offsetof(struct start_info, cmd_line) == 128, "si.cmd_line");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 1152, "si.first_p2m_pfn");

/* shared_info / vcpu_info. */
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info size");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_pending) == 0, "vi.pending");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "vi.mask");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "vi.sel");
_Static_assert(offsetof(struct vcpu_info, arch) + offsetof(struct arch_vcpu_info, cr2) == 16,
               "vi.arch.cr2");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vi.time");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "sh.evtchn_pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "sh.evtchn_mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "sh.wc_version");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "sh.arch");
_Static_assert(sizeof(struct shared_info) <= 4096, "shared_info fits a page");

/* Hypercall argument structures. */
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update");
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry");
_Static_assert(sizeof(struct trap_info) == 16, "trap_info");
_Static_assert(sizeof(struct iret_context) == 72, "iret_context");
_Static_assert(offsetof(struct iret_context, rip) == 32, "iret.rip");
_Static_assert(offsetof(struct iret_context, rsp) == 56, "iret.rsp");
_Static_assert(sizeof(struct callback_register) == 16, "callback_register");

/* Grant tables v1 (xen-like/include/grant_table.h). */
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "gnttab_map_grant_ref");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "gnttab_unmap_grant_ref");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "gnttab_setup_table");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnttab_query_size");

/* Selectors the guest is started with (arch-x86/xen-x86_64.h). */
_Static_assert(FLAT_KERNEL_CS == 0xe033 && FLAT_KERNEL_SS == 0xe02b, "flat selectors");
_Static_assert(HYPERVISOR_VIRT_START == 0xFFFF800000000000UL, "Xen hole start");

#endif
