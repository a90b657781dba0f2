/*
 * uentry.S - the two doors between user processes and the kernel.
 *
 * syscall_entry: the CALLBACKTYPE_syscall callback (§1.6).  A `syscall`
 * in guest user mode is not a hypercall: Xen switches to guest kernel mode
 * (and the kernel L4), and builds on the kernel stack registered with
 * stack_switch the frame (lowest address first)
 *     rcx, r11, rip, cs, rflags, rsp, ss
 * (no error code).  We make it a struct cpu_regs (traps.h) with vector
 * 0x100 and call do_user_syscall(), which never returns here.
 *
 * resume_user(regs): go to user mode with every register from *regs.
 * HYPERVISOR_iret (§1.5, §1.7) takes an iret_context on the stack; the
 * hypercall-page stub pushes rax, r11 and rcx itself, we push flags 0 (a
 * full return: rcx and r11 restored too) above rip, cs, rflags, rsp, ss.
 * cs with RPL 3 makes Xen switch to the user L4 (NEW_USER_BASEPTR).  The
 * frame is built on a small stack of its own, since the kernel stack's
 * top is where the next entry will land.
 */
#include "entry_macros.h"

    .text
    .code64

    .globl syscall_entry
syscall_entry:
    popq    %rcx
    popq    %r11
    pushq   $0                      /* error code */
    pushq   $0x100                  /* "vector": a system call */
    SAVE_ALL
    movq    %rsp, %rdi
    andq    $-16, %rsp
    xorl    %ebp, %ebp
    call    do_user_syscall
    ud2

    .globl resume_user
resume_user:
    leaq    resume_stack_top(%rip), %rsp
    subq    $176, %rsp              /* sizeof(struct cpu_regs) */
    movq    %rdi, %rsi
    movq    %rsp, %rdi
    movl    $22, %ecx
    rep movsq
    RESTORE_ALL_AND_IRET

    .section .bss
    .balign 16
resume_stack:
    .skip   512
resume_stack_top:

    .section .note.GNU-stack, "", @progbits
