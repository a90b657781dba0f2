/*
 * head.S - from the boot loader to 64-bit C.
 *
 * GRUB (multiboot2) or QEMU -kernel (multiboot1) enters `start` in 32-bit
 * protected mode with paging off, EAX = the loader's magic and EBX = the
 * physical address of its information block.  The image is linked at
 * XEN_VIRT_START + physical address, so until paging is on every address
 * we use is written as `sym - XEN_VIRT_START` (the symbol's physical
 * address).  The steps:
 *
 *   1. check the magic and that the CPU can do long mode (else say so on
 *      COM1 and stop: hostile or broken boot input never runs on);
 *   2. load the statically built boot page tables (idle_pg_table), which
 *      map physical 0..1 GiB three times: identity (for this file only),
 *      at XEN_VIRT_START (the image) and at DIRECTMAP_VIRT_START;
 *   3. enable PAE + long mode + paging, jump to 64-bit code, then to the
 *      high alias, drop the identity map, clear .bss and call
 *      __start_xen(magic, info) in setup.c.
 */
#include "layout.h"

#define MB1_MAGIC      0x1BADB002
#define MB1_FLAGS      0x00000003      /* page-align modules, memory info */
#define MB2_MAGIC      0xE85250D6
#define MB1_LOADER     0x2BADB002
#define MB2_LOADER     0x36D76289

#define PHYS(sym)      ((sym) - XEN_VIRT_START)

        .section .text.head, "ax", @progbits
        .code32
        .globl start
start:
        jmp     real_start

        /* Multiboot 1 header: loader reads the ELF program headers. */
        .balign 4
mb1_header:
        .long   MB1_MAGIC
        .long   MB1_FLAGS
        .long   -(MB1_MAGIC + MB1_FLAGS)

        /* Multiboot 2 header with a module-alignment tag. */
        .balign 8
mb2_header:
        .long   MB2_MAGIC
        .long   0                       /* i386 */
        .long   mb2_header_end - mb2_header
        .long   -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
        .balign 8
        .word   6, 0                    /* module alignment */
        .long   8
        .balign 8
        .word   0, 0                    /* end tag */
        .long   8
mb2_header_end:

real_start:
        cld
        cli
        mov     %eax, %edi              /* magic */
        mov     %ebx, %esi              /* info block */
        mov     $PHYS(boot_stack_top), %esp

        cmp     $MB1_LOADER, %edi
        je      1f
        cmp     $MB2_LOADER, %edi
        je      1f
        mov     $PHYS(msg_bad_magic), %ebx
        jmp     early_fail
1:
        /* Long mode needs CPUID leaf 0x80000001 EDX bit 29. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode
        mov     %edx, %ebp              /* remember NX support (bit 20) */

        lgdt    PHYS(boot_gdt_ptr)

        /* CR4.PAE, then the boot page tables. */
        mov     %cr4, %eax
        or      $0x20, %eax
        mov     %eax, %cr4
        mov     $PHYS(idle_pg_table), %eax
        mov     %eax, %cr3

        /* EFER: long mode, syscall, and no-execute if the CPU has it. */
        mov     $0xc0000080, %ecx
        rdmsr
        or      $0x101, %eax            /* LME | SCE */
        bt      $20, %ebp
        jnc     2f
        or      $0x800, %eax            /* NXE */
2:      wrmsr

        /* Paging + write-protect (the hypervisor honours RO mappings). */
        mov     %cr0, %eax
        or      $0x80010001, %eax
        mov     %eax, %cr0

        ljmp    $0x08, $PHYS(start64_low)

no_long_mode:
        mov     $PHYS(msg_no_lm), %ebx
        /* fall through */

/* Print the NUL-terminated string at %ebx on COM1 and stop the machine. */
early_fail:
        mov     $0x3f8 + 5, %dx
3:      in      %dx, %al
        test    $0x20, %al
        jz      3b
        mov     (%ebx), %al
        test    %al, %al
        jz      4f
        mov     $0x3f8, %dx
        out     %al, %dx
        inc     %ebx
        mov     $0x3f8 + 5, %dx
        jmp     3b
4:      /* isa-debug-exit with the "hypervisor panic" value, then halt. */
        mov     $0x13, %eax
        mov     $0xf4, %dx
        out     %eax, %dx
5:      hlt
        jmp     5b

        .code64
start64_low:
        /* Still running at the identity address; move to the high alias. */
        movabs  $start64_high, %rax
        jmp     *%rax

        .text
start64_high:
        xor     %eax, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs
        /* Leave the top 208 bytes free: that is where the guest register
         * frame (struct cpu_user_regs, 200 bytes) lives once guests run. */
        lea     (boot_stack_top - 208)(%rip), %rsp

        /* The identity map was only needed to get here. */
        movq    $0, idle_pg_table(%rip)
        mov     %cr3, %rax
        mov     %rax, %cr3

        /* Clear .bss (it holds nothing live yet: the stack is empty). */
        mov     %edi, %r12d
        mov     %esi, %r13d
        lea     __bss_start(%rip), %rdi
        lea     __bss_end(%rip), %rcx
        sub     %rdi, %rcx
        xor     %eax, %eax
        rep stosb

        mov     %r12d, %edi
        mov     %r13d, %esi
        xor     %ebp, %ebp              /* terminates backtraces */
        call    __start_xen
        ud2

        .section .rodata.boot, "a", @progbits
msg_bad_magic:
        .asciz  "xen-like: not started by a multiboot loader (bad magic); stopping.\r\n"
msg_no_lm:
        .asciz  "xen-like: this CPU has no 64-bit long mode; stopping.\r\n"

/*
 * Boot GDT: just enough for the jump into 64-bit code.  setup.c loads the
 * real per-vCPU GDT (with Xen's 0xe008 selectors) as soon as C runs.
 */
        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff      /* 0x08: 64-bit ring-0 code */
        .quad   0x00cf92000000ffff      /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
        .word   boot_gdt_end - boot_gdt - 1
        .long   PHYS(boot_gdt)

/*
 * Boot page tables.  One L2 of 2 MiB pages maps physical 0..1 GiB; it is
 * hooked in three places.  setup.c later maps all of RAM into the direct
 * map and builds the M2P and frame table.
 */
        .section .data.page_aligned, "aw", @progbits
        .balign 4096
        .globl idle_pg_table
idle_pg_table:                          /* L4 */
        .quad   PHYS(l3_identmap) + 0x003                       /* slot 0 */
        .fill   260, 8, 0
        .quad   PHYS(l3_xen) + 0x003                            /* slot 261 */
        .quad   PHYS(l3_directmap) + 0x003                      /* slot 262 */
        .fill   249, 8, 0

        .globl l3_identmap
l3_identmap:
        .quad   PHYS(l2_boot) + 0x003
        .fill   511, 8, 0

        .globl l3_xen
l3_xen:                                 /* slot 261: M2P, image, frame table */
        .fill   321, 8, 0
        .quad   PHYS(l2_boot) + 0x003   /* 0xffff82d040000000: the image */
        .fill   190, 8, 0

        .globl l3_directmap
l3_directmap:                           /* slot 262: first 512 GiB of RAM */
        .quad   PHYS(l2_boot) + 0x003
        .fill   511, 8, 0

        .globl l2_boot
l2_boot:
        .set    i, 0
        .rept   512
        .quad   (i << 21) + 0x083       /* 2 MiB, present, writable */
        .set    i, i + 1
        .endr

/* Where the running vCPU's registers live: the top 200 bytes of the stack. */
        .section .data
        .balign 8
        .globl cpu0_guest_frame
cpu0_guest_frame:
        .quad   boot_stack_top - 200

        .section .bss.stack, "aw", @nobits
        .balign 4096
        .globl boot_stack, boot_stack_top
boot_stack:
        .skip   16384
boot_stack_top:
