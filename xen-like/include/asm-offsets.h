/*
 * asm-offsets.h - offsets into Xen's public struct cpu_user_regs that
 * entry.S uses.  The frame the CPU and entry.S build on every entry has
 * exactly that public layout (as in Xen), so C sees the guest's registers
 * as a struct cpu_user_regs.  traps.c checks each number with
 * _Static_assert, so a mismatch cannot build.
 */
#ifndef XL_ASM_OFFSETS_H
#define XL_ASM_OFFSETS_H
#define UREGS_r15           0
#define UREGS_rax           80
#define UREGS_rcx           88
#define UREGS_rdi           112
#define UREGS_error_code    120
#define UREGS_entry_vector  124
#define UREGS_rip           128
#define UREGS_cs            136
#define UREGS_rflags        144
#define UREGS_rsp           152
#define UREGS_ss            160
#define UREGS_es            168
#define UREGS_size          200
#define TRAP_syscall        256
#endif
