/*
 * entry.S - every way into the hypervisor, and the way back to the guest.
 *
 * Entries: the 256 IDT vectors (exceptions, interrupts, `int n`) and
 * SYSCALL (hypercalls from the guest kernel, system calls from guest user
 * mode).  Each builds a struct cpu_user_regs frame (Xen's public layout):
 * for an entry from ring 3 the frame sits exactly at the top of the
 * hypervisor stack, because TSS.rsp0 points just below its segment slots.
 * C code then sees and edits the guest's registers in place, and
 * restore_all_guest pops them and returns with iretq.
 *
 * Only one physical CPU runs, so the SYSCALL path may park the guest's
 * stack pointer in a single scratch word.
 */
#include "asm-offsets.h"
#include "layout.h"

#include <xen/arch-x86/xen-x86_64.h>    /* FLAT_RING3_CS64/SS64 (its C part is !__ASSEMBLY__) */

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

.macro RESTORE_ALL
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
.endm

        .text

/*
 * SYSCALL from the guest (ring 3).  RCX = guest RIP, R11 = guest RFLAGS,
 * RSP is still the guest's; SYSCALL_MASK has cleared IF, TF, DF, AC, NT.
 */
        .globl lstar_enter
lstar_enter:
        movq    %rsp, lstar_guest_rsp(%rip)
        movq    guest_frame_es(%rip), %rsp      /* &frame->es: top of stack */
        pushq   $FLAT_RING3_SS64
        pushq   lstar_guest_rsp(%rip)
        pushq   %r11
        pushq   $FLAT_RING3_CS64
        pushq   %rcx
        pushq   $0
        movl    $TRAP_syscall, 4(%rsp)
        SAVE_ALL
        cld
        movq    %rsp, %rdi
        call    do_syscall_entry
        jmp     restore_all_guest

/*
 * Common exception/interrupt entry.  The vector stub has pushed an 8-byte
 * error-code slot (hardware or zero) and stored the vector in its upper
 * half.
 */
common_interrupt:
        SAVE_ALL
        cld
        movq    %rsp, %rdi
        call    do_trap
        testb   $3, UREGS_cs(%rsp)
        jnz     restore_all_guest
        /* Back into the hypervisor itself (a fixed-up fault). */
        RESTORE_ALL
        addq    $8, %rsp
        iretq

/*
 * Return to the guest from the frame at %rsp.  Also the way a vCPU is
 * first started: return_to_guest(frame) in C jumps here.
 */
        .globl restore_all_guest
restore_all_guest:
        RESTORE_ALL
        addq    $8, %rsp
iret_to_guest:
        iretq

/*
 * The guest chose the RIP, CS, RFLAGS, RSP and SS we just tried to return
 * to (through HYPERVISOR_iret or its trap frames).  If iretq refused them
 * (#GP/#SS/#NP), the exception table brings us here with %rsp still at the
 * frame's RIP slot: rebuild the frame pointer, move below it and let C
 * crash that domain.  The hypervisor itself is fine.
 */
bad_return_to_guest:
        leaq    -UREGS_rip(%rsp), %rdi
        movq    %rdi, %rsp
        cld
        call    do_bad_return_to_guest
        ud2
        .section __ex_table, "a"
        .balign 8
        .quad   iret_to_guest, bad_return_to_guest
        .previous

/* void return_to_guest(struct cpu_user_regs *frame): never returns. */
        .globl return_to_guest
return_to_guest:
        movq    %rdi, %rsp
        jmp     restore_all_guest

/* The 256 vector stubs, 16 bytes apart, pushing a zero error code where
 * the CPU does not push one. */
        .balign 16
        .globl vector_stubs
vector_stubs:
        .set    vec, 0
        .rept   256
        .balign 16
        /* Vectors 8, 10-14, 17, 21, 29, 30 come with an error code. */
        .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
        movl    $vec, 4(%rsp)
        .else
        pushq   $0
        movl    $vec, 4(%rsp)
        .endif
        jmp     common_interrupt
        .set    vec, vec + 1
        .endr

/*
 * Guest memory access with fault recovery.  A fault inside these copies
 * (guest page not present or read-only) is caught by the exception table
 * and turns into a short count instead of a hypervisor crash.
 *
 * unsigned long raw_copy_guest(void *dst, const void *src, unsigned long n)
 * returns the number of bytes NOT copied.
 */
        .globl raw_copy_guest
raw_copy_guest:
        movq    %rdx, %rcx
        testb   $7, %dl
        jnz     1f
        shrq    $3, %rcx                /* whole words (mmu_update requests) */
3:      rep movsq
        xorl    %eax, %eax
        ret
4:      shlq    $3, %rcx                /* a fault: redo the faulting word */
1:      rep movsb                       /* byte by byte, for the exact count */
        xorl    %eax, %eax
        ret
2:      movq    %rcx, %rax
        ret
        .section __ex_table, "a"
        .balign 8
        .quad   1b, 2b
        .quad   3b, 4b
        .previous

        .data
        .globl lstar_guest_rsp, guest_frame_es
lstar_guest_rsp:
        .quad   0
guest_frame_es:
        .quad   0
