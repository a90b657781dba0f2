/*
 * x86.h - the CPU instructions C code needs, as small inline functions.
 * This is the only header that holds raw asm; everything else calls these.
 */
#ifndef XL_X86_H
#define XL_X86_H

#include <stdint.h>

#define X86_CR0_PE  (1UL << 0)
#define X86_CR0_MP  (1UL << 1)
#define X86_CR0_EM  (1UL << 2)
#define X86_CR0_TS  (1UL << 3)
#define X86_CR0_NE  (1UL << 5)
#define X86_CR0_WP  (1UL << 16)
#define X86_CR0_PG  (1UL << 31)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

#define X86_EFLAGS_CF   0x00000001UL
#define X86_EFLAGS_TF   0x00000100UL
#define X86_EFLAGS_IF   0x00000200UL
#define X86_EFLAGS_DF   0x00000400UL
#define X86_EFLAGS_IOPL 0x00003000UL
#define X86_EFLAGS_NT   0x00004000UL
#define X86_EFLAGS_RF   0x00010000UL
#define X86_EFLAGS_VM   0x00020000UL
#define X86_EFLAGS_AC   0x00040000UL
#define X86_EFLAGS_MBS  0x00000002UL   /* must be set */

#define MSR_EFER        0xc0000080
#define MSR_STAR        0xc0000081
#define MSR_LSTAR       0xc0000082
#define MSR_CSTAR       0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_FS_BASE     0xc0000100
#define MSR_GS_BASE     0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define EFER_SCE        (1UL << 0)
#define EFER_LME        (1UL << 8)
#define EFER_NXE        (1UL << 11)

static inline unsigned long read_cr0(void)
{ unsigned long v; __asm__ volatile("mov %%cr0,%0" : "=r"(v)); return v; }
static inline void write_cr0(unsigned long v)
{ __asm__ volatile("mov %0,%%cr0" :: "r"(v) : "memory"); }
static inline unsigned long read_cr2(void)
{ unsigned long v; __asm__ volatile("mov %%cr2,%0" : "=r"(v)); return v; }
static inline unsigned long read_cr3(void)
{ unsigned long v; __asm__ volatile("mov %%cr3,%0" : "=r"(v)); return v; }
static inline void write_cr3(unsigned long v)
{ __asm__ volatile("mov %0,%%cr3" :: "r"(v) : "memory"); }
static inline unsigned long read_cr4(void)
{ unsigned long v; __asm__ volatile("mov %%cr4,%0" : "=r"(v)); return v; }
static inline void write_cr4(unsigned long v)
{ __asm__ volatile("mov %0,%%cr4" :: "r"(v) : "memory"); }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void outb(uint16_t port, uint8_t v)
{ __asm__ volatile("outb %0,%1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v)
{ __asm__ volatile("outw %0,%1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v)
{ __asm__ volatile("outl %0,%1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{ uint8_t v; __asm__ volatile("inb %1,%0" : "=a"(v) : "Nd"(port)); return v; }

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
                               uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                     : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void invlpg(unsigned long va)
{ __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void flush_tlb_local(void) { write_cr3(read_cr3()); }

struct __attribute__((packed)) desc_ptr { uint16_t limit; uint64_t base; };
static inline void lgdt(const struct desc_ptr *p)
{ __asm__ volatile("lgdt %0" :: "m"(*p)); }
static inline void lidt(const struct desc_ptr *p)
{ __asm__ volatile("lidt %0" :: "m"(*p)); }
static inline void ltr(uint16_t sel)
{ __asm__ volatile("ltr %0" :: "rm"(sel)); }
static inline void lldt(uint16_t sel)
{ __asm__ volatile("lldt %0" :: "rm"(sel)); }

/*
 * Load %gs with a selector the guest chose; a selector the CPU refuses
 * becomes the null selector (exception-table fixup).  Returns what loaded.
 */
static inline uint16_t load_gs_selector_safe(uint16_t sel)
{
    unsigned int s = sel;

    __asm__ volatile("1: movl %k0, %%gs\n"
                     "   jmp 3f\n"
                     "2: xorl %k0, %k0\n"
                     "   movl %k0, %%gs\n"
                     "3:\n"
                     ".pushsection __ex_table, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 2b\n"
                     ".popsection\n"
                     : "+r"(s) :: "memory");
    return (uint16_t)s;
}

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void clts(void) { __asm__ volatile("clts"); }

static inline unsigned long read_rbp(void)
{ unsigned long v; __asm__ volatile("mov %%rbp,%0" : "=r"(v)); return v; }

#endif
