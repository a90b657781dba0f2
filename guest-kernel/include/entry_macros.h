/*
 * entry_macros.h - saving and restoring a struct cpu_regs (traps.h) on the
 * stack, shared by entry.S (exceptions, events) and uentry.S (system
 * calls, the way back to user mode).  Assembly only.
 */
#ifndef GUEST_ENTRY_MACROS_H
#define GUEST_ENTRY_MACROS_H

.macro SAVE_ALL
    pushq   %rdi
    pushq   %rsi
    pushq   %rdx
    pushq   %rcx
    pushq   %rax
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    pushq   %rbx
    pushq   %rbp
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
.endm

/* Restore what SAVE_ALL saved, drop vector + error code, and return. */
.macro RESTORE_ALL_AND_IRET
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbp
    popq    %rbx
    popq    %r11
    popq    %r10
    popq    %r9
    popq    %r8
    popq    %rax
    popq    %rcx
    popq    %rdx
    popq    %rsi
    popq    %rdi
    addq    $16, %rsp               /* vector, error code */
    pushq   $0                      /* iret_context.flags: plain return */
    jmp     *hypercall_iret_entry(%rip)
.endm

#endif
