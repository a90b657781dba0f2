/*
 * entry.S - where the hypervisor sends us on exceptions and events, and
 * how we go back.
 *
 * A PV exception arrives on the guest kernel stack as this frame, built
 * by the hypervisor (lowest address first):
 *
 *     rcx, r11, [error code], rip, cs, rflags, rsp, ss
 *
 * rcx and r11 are there because the hypervisor itself was entered with
 * `syscall`, which destroys them; we pop them back first.  After that the
 * frame looks like a hardware one.  Each stub then pushes the vector (and a
 * 0 error code when the CPU gives none), and trap_common saves every other
 * register to make a struct cpu_regs (traps.h) for do_trap().
 *
 * There is no `iretq` here: returning means asking the hypervisor, with
 * HYPERVISOR_iret.  Its hypercall-page stub pushes rax, r11 and rcx itself,
 * so the guest only pushes the `flags` word (0 = a plain return) on top of
 * rip, cs, rflags, rsp, ss and jumps to the stub (struct iret_context in
 * <xen/arch-x86/xen-x86_64.h>).  The stub's address is computed in C from
 * the Xen headers, see hypercall_iret_entry in traps.c.
 */

    .text
    .code64

#include "entry_macros.h"

/* Call C function \fn with the struct cpu_regs pointer, 16-byte aligned. */
.macro CALL_C fn
    movq    %rsp, %rdi
    movq    %rsp, %rbx              /* rbx survives the call */
    andq    $-16, %rsp
    call    \fn
    movq    %rbx, %rsp
.endm

/* One entry stub per exception vector. */
.macro TRAP_ENTRY name, vector, has_error_code
    .globl \name
\name:
    popq    %rcx
    popq    %r11
    .if \has_error_code == 0
    pushq   $0
    .endif
    pushq   $\vector
    jmp     trap_common
.endm

TRAP_ENTRY entry_divide_error,         0, 0
TRAP_ENTRY entry_debug,                1, 0
TRAP_ENTRY entry_int3,                 3, 0
TRAP_ENTRY entry_overflow,             4, 0
TRAP_ENTRY entry_bounds,               5, 0
TRAP_ENTRY entry_invalid_op,           6, 0
TRAP_ENTRY entry_device_not_available, 7, 0
TRAP_ENTRY entry_invalid_tss,         10, 1
TRAP_ENTRY entry_segment_not_present, 11, 1
TRAP_ENTRY entry_stack_segment,       12, 1
TRAP_ENTRY entry_general_protection,  13, 1
TRAP_ENTRY entry_page_fault,          14, 1
TRAP_ENTRY entry_coprocessor_error,   16, 0
TRAP_ENTRY entry_alignment_check,     17, 1
TRAP_ENTRY entry_simd_error,          19, 0
TRAP_ENTRY entry_int80,              0x80, 0   /* software interrupts the */
TRAP_ENTRY entry_int90,              0x90, 0   /* tests install, traps.h */

trap_common:
    SAVE_ALL
    CALL_C  do_trap
    RESTORE_ALL_AND_IRET

/*
 * Event upcall: the hypervisor has set evtchn_upcall_pending.  Same frame
 * as an exception without an error code; vector -1 marks "not a trap".
 */
    .globl hypervisor_callback
hypervisor_callback:
    popq    %rcx
    popq    %r11
    pushq   $0
    pushq   $-1
    SAVE_ALL
    CALL_C  do_event
    RESTORE_ALL_AND_IRET

/*
 * Failsafe callback: the hypervisor could not load our segment registers
 * while returning to us.  The frame also carries ds, es, fs, gs between
 * r11 and rip.  Nothing in this kernel changes segments, so this is fatal.
 */
    .globl failsafe_callback
failsafe_callback:
    popq    %rcx
    popq    %r11
    pushq   $0
    pushq   $-2
    SAVE_ALL
    CALL_C  do_failsafe
    ud2

    .section .note.GNU-stack, "", @progbits
