/*
 * guest-hypercall.h - how a 64-bit PV guest calls its hypervisor.
 *
 * A PV guest kernel runs in ring 3 and cannot use privileged instructions,
 * so it asks the hypervisor for every privileged action with a hypercall.
 * On x86_64 the instruction underneath is `syscall` from guest kernel mode,
 * but guests never issue it themselves: they call into the *hypercall page*,
 * one page inside the guest image (named by the HYPERCALL_PAGE ELF note)
 * that the hypervisor fills with one 32-byte stub per hypercall before the
 * guest starts.  Hypercall `nr` is at hypercall_page + nr * 32.
 *
 * Register convention (the same as Linux system calls, but r10 not rcx):
 *
 *     rax    result (>= 0 success, -errno from <xen/errno.h> on failure)
 *     rdi    argument 1          rdx    argument 3      r8   argument 5
 *     rsi    argument 2          r10    argument 4
 *
 * The call clobbers rcx and r11 (`syscall` uses them) and may clobber every
 * argument register (a debug Xen deliberately scribbles over the used ones).
 *
 * Every wrapper below goes through the one function xen_hypercall(), which
 * treats all five argument registers as clobbered.  Numbers, structures and
 * constants all come from Xen's public headers through xen-abi.h.
 *
 * HYPERVISOR_iret (slot 23) is special: it never returns and takes its
 * arguments on the stack (struct iret_context); it is used from assembly
 * only, see guest-kernel/entry.S.
 *
 * The guest must define `hypercall_page`: a page-aligned, 4096-byte array
 * in its image.
 */
#ifndef HYPERCALLS_GUEST_HYPERCALL_H
#define HYPERCALLS_GUEST_HYPERCALL_H

#include "xen-abi.h"

extern char hypercall_page[HYPERCALL_PAGE_SLOTS * HYPERCALL_PAGE_SLOT_SIZE];

/* The address of hypercall `nr`'s stub inside the hypercall page. */
static inline unsigned long hypercall_entry(unsigned int nr)
{
    return (unsigned long)hypercall_page + nr * HYPERCALL_PAGE_SLOT_SIZE;
}

/* Call hypercall `nr` with up to five arguments (pass 0 for unused ones). */
static inline long xen_hypercall(unsigned int nr, unsigned long a1,
                                 unsigned long a2, unsigned long a3,
                                 unsigned long a4, unsigned long a5)
{
    register unsigned long rdi __asm__("rdi") = a1;
    register unsigned long rsi __asm__("rsi") = a2;
    register unsigned long rdx __asm__("rdx") = a3;
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8  __asm__("r8")  = a5;
    long rax;

    __asm__ volatile ("call *%[entry]"
                      : "=a" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx),
                        "+r" (r10), "+r" (r8)
                      : [entry] "r" (hypercall_entry(nr))
                      : "rcx", "r11", "memory");
    return rax;
}

/*
 * A hypercall made with the `syscall` instruction itself rather than
 * through the page: `nr` goes into the whole of rax, so tests can send
 * numbers the page has no slot for (>= 128) or with upper bits set.
 */
static inline long xen_hypercall_syscall(unsigned long nr, unsigned long a1,
                                         unsigned long a2, unsigned long a3)
{
    register unsigned long rdi __asm__("rdi") = a1;
    register unsigned long rsi __asm__("rsi") = a2;
    register unsigned long rdx __asm__("rdx") = a3;
    long rax = (long)nr;

    __asm__ volatile ("syscall"
                      : "+a" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx)
                      :
                      : "rcx", "r11", "r8", "r10", "memory");
    return rax;
}

/* --- Typed wrappers, one per hypercall, in hypercall-number order. --- */

/* Install the virtual IDT: an array ending with an entry whose address is 0. */
static inline long HYPERVISOR_set_trap_table(const struct trap_info *table)
{
    return xen_hypercall(__HYPERVISOR_set_trap_table, (unsigned long)table,
                         0, 0, 0, 0);
}

/*
 * Write page-table entries: each request is (machine address of the entry
 * | MMU_* command in the low 3 bits, new value).  *done (may be NULL)
 * receives how many requests succeeded.  dom is normally DOMID_SELF.
 */
/* foreigndom: bits 0-15 the owner of mapped frames (DOMID_SELF...), bits
 * 16-31 the owner of the tables plus one (0: ourselves); see §2.1. */
static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
                                         unsigned int count,
                                         unsigned int *done, unsigned int foreigndom)
{
    return xen_hypercall(__HYPERVISOR_mmu_update, (unsigned long)req, count,
                         (unsigned long)done, foreigndom, 0);
}

/* Load a new GDT from `entries` descriptors in the frames (MFNs) listed. */
static inline long HYPERVISOR_set_gdt(const xen_ulong_t *frames,
                                      unsigned int entries)
{
    return xen_hypercall(__HYPERVISOR_set_gdt, (unsigned long)frames, entries,
                         0, 0, 0);
}

/* Tell Xen which stack (ss:rsp) to use when entering guest kernel mode. */
static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long rsp)
{
    return xen_hypercall(__HYPERVISOR_stack_switch, ss, rsp, 0, 0, 0);
}

/* Older interface for callback_op: event, failsafe and syscall entries. */
static inline long HYPERVISOR_set_callbacks(unsigned long event,
                                            unsigned long failsafe,
                                            unsigned long syscall)
{
    return xen_hypercall(__HYPERVISOR_set_callbacks, event, failsafe, syscall,
                         0, 0);
}

/* Set (1) or clear (0) the virtual CR0.TS bit. */
static inline long HYPERVISOR_fpu_taskswitch(int set)
{
    return xen_hypercall(__HYPERVISOR_fpu_taskswitch, (unsigned long)set,
                         0, 0, 0, 0);
}

/* Write one 8-byte descriptor at machine address `ma` in a GDT/LDT frame. */
static inline long HYPERVISOR_update_descriptor(uint64_t ma, uint64_t desc)
{
    return xen_hypercall(__HYPERVISOR_update_descriptor, ma, desc, 0, 0, 0);
}

/* XENMEM_* operations on the domain's memory reservation (<xen/memory.h>). */
static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_memory_op, cmd, (unsigned long)arg,
                         0, 0, 0);
}

/* Issue several hypercalls at once; check each entry's `result`. */
static inline long HYPERVISOR_multicall(struct multicall_entry *calls,
                                        unsigned int count)
{
    return xen_hypercall(__HYPERVISOR_multicall, (unsigned long)calls, count,
                         0, 0, 0);
}

/*
 * Set the L1 entry that maps virtual address `va` in the current address
 * space to `val` (a machine address | PTE flags), then flush as `flags`
 * says (UVMF_INVLPG, UVMF_TLB_FLUSH, ... | UVMF_LOCAL/UVMF_ALL).
 */
static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t val,
                                                unsigned long flags)
{
    return xen_hypercall(__HYPERVISOR_update_va_mapping, va, val, flags, 0, 0);
}

/*
 * update_va_mapping for a frame owned by `domid` (DOMID_SELF, DOMID_IO or
 * another domain a privileged caller may map): the L1 entry is checked
 * against that owner instead of the caller.
 */
static inline long HYPERVISOR_update_va_mapping_otherdomain(unsigned long va,
                                                            uint64_t val,
                                                            unsigned long flags,
                                                            domid_t domid)
{
    return xen_hypercall(__HYPERVISOR_update_va_mapping_otherdomain, va, val,
                         flags, domid, 0);
}

/* XENVER_* queries (<xen/version.h>). */
static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_xen_version, (unsigned long)cmd,
                         (unsigned long)arg, 0, 0, 0);
}

/* CONSOLEIO_write `count` bytes of `str` to the hypervisor's console. */
static inline long HYPERVISOR_console_io(int cmd, int count, const char *str)
{
    return xen_hypercall(__HYPERVISOR_console_io, (unsigned long)cmd,
                         (unsigned long)count, (unsigned long)str, 0, 0);
}

/* Enable or disable a VMASST_TYPE_* assist (VMASST_CMD_enable/disable). */
static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return xen_hypercall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

/* Set the FS base, kernel/user GS base or the user GS selector. */
static inline long HYPERVISOR_set_segment_base(int reg, unsigned long value)
{
    return xen_hypercall(__HYPERVISOR_set_segment_base, (unsigned long)reg,
                         value, 0, 0, 0);
}

/* Extended MMU operations: pin/unpin, new base pointers, TLB flushes. */
static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *op,
                                        unsigned int count,
                                        unsigned int *done, domid_t dom)
{
    return xen_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)op, count,
                         (unsigned long)done, dom, 0);
}

/* SCHEDOP_* (<xen/sched.h>): yield, block, shutdown, ... */
static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_sched_op, (unsigned long)cmd,
                         (unsigned long)arg, 0, 0, 0);
}

/* CALLBACKOP_register/unregister (<xen/callback.h>). */
static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return xen_hypercall(__HYPERVISOR_callback_op, (unsigned long)cmd,
                         (unsigned long)arg, 0, 0, 0);
}

/* A one-shot timer at an absolute system time in ns (0 cancels). */
static inline long HYPERVISOR_set_timer_op(uint64_t deadline)
{
    return xen_hypercall(__HYPERVISOR_set_timer_op, deadline, 0, 0, 0, 0);
}

/* VCPUOP_* (<xen/vcpu.h>): here the timer commands. */
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return xen_hypercall(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpu,
                         (unsigned long)arg, 0, 0);
}

/* EVTCHNOP_* (<xen/event_channel.h>). */
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_event_channel_op, (unsigned long)cmd,
                         (unsigned long)arg, 0, 0, 0);
}

#endif
