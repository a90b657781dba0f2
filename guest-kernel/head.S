/*
 * head.S - the first instructions, and the pages the hypervisor needs
 * to find at fixed places in the image.
 *
 * The domain builder starts us in 64-bit mode, in guest kernel mode (which
 * is really ring 3), with:
 *     rip = _start (the ENTRY note)
 *     rsi = virtual address of start_info
 *     rsp = top of a one-page stack the builder put after the page tables
 *     every other register 0, events masked (vcpu_info.evtchn_upcall_mask)
 * All of our image and the builder's bootstrap region are already mapped
 * at VIRT_BASE.  We keep the builder's stack pointer as a fact to report,
 * move to our own stack in .bss and call start_kernel(start_info, rsp).
 */

    .section .text.head, "ax"
    .code64

    .globl _start
_start:
    rdtsc                           /* bench: the TSC at our first instruction */
    shlq    $32, %rdx               /* (under icount, instructions since QEMU */
    orq     %rdx, %rax              /* started); rax and rdx are 0 at entry */
    movq    %rax, boot_tsc(%rip)
    xorl    %eax, %eax
    xorl    %edx, %edx
    cld
    movq    %rsi, %rdi              /* arg 1: start_info */
    movq    %rsp, %rsi              /* arg 2: the builder's stack pointer */
    leaq    boot_stack_top(%rip), %rsp
    xorl    %ebp, %ebp              /* end of the frame-pointer chain */
    call    start_kernel
    ud2                             /* start_kernel never returns */

/*
 * The hypercall page.  The HYPERCALL_PAGE note tells the hypervisor where
 * it is; before starting us the hypervisor overwrites it with one 32-byte
 * call stub per hypercall.  We fill it with `ret` (0xc3) so that a missing
 * page makes every hypercall a harmless no-op, and start_kernel() checks
 * that the poison is gone before relying on it.
 */
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill   4096, 1, 0xc3
    .size   hypercall_page, 4096

    .data
    .balign 8
    .globl boot_tsc
boot_tsc:
    .quad   0

    .section .bss.page_aligned, "aw", @nobits

/*
 * A page of our own address space whose mapping map_shared_info() replaces
 * with the hypervisor's shared_info frame.  The RAM behind it is unused.
 */
    .balign 4096
    .globl shared_info_page
shared_info_page:
    .skip   4096
    .size   shared_info_page, 4096

/* The kernel stack: exceptions are delivered on it, too. */
    .balign 4096
    .globl boot_stack
boot_stack:
    .skip   4 * 4096
    .globl boot_stack_top
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
