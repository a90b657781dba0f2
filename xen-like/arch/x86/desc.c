/*
 * desc.c - the hypervisor's GDT, TSS and IDT, and the per-domain GDT
 * windows guests run on.
 */
#include "desc.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "x86.h"
#include "xen-abi.h"

/* Page 14 of every GDT window: the reserved descriptors at 0xe000. */
static uint64_t gdt_reserved[512] __attribute__((aligned(4096), section(".bss.page_aligned")));
/* All-zero page: unused GDT pages (a selector there is "not present"). */
uint64_t zero_page[512] __attribute__((aligned(4096), section(".bss.page_aligned")));

struct __attribute__((packed)) tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3;
    uint16_t iomap_base;
};
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

static struct tss64 tss __attribute__((aligned(64)));
static uint8_t df_stack[4096] __attribute__((aligned(16)));

struct __attribute__((packed)) idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type_attr;
    uint16_t off_mid;
    uint32_t off_hi, zero;
};
static struct idt_gate idt[256] __attribute__((aligned(16)));

/* Idle per-domain tables: slot 260 of the idle L4 before any guest runs. */
static intpte_t idle_perdomain_l3[512] __attribute__((aligned(4096), section(".bss.page_aligned")));
static intpte_t idle_perdomain_l2[512] __attribute__((aligned(4096), section(".bss.page_aligned")));
static intpte_t idle_perdomain_l1[512] __attribute__((aligned(4096), section(".bss.page_aligned")));

extern char vector_stubs[];
extern void lstar_enter(void);
extern unsigned long guest_frame_es;
extern char boot_stack_top[];

#define GDT_RESERVED_IDX(sel) (((sel) - FIRST_RESERVED_GDT_BYTE) >> 3)

static void build_reserved_gdt(void)
{
    unsigned long base = (unsigned long)&tss;
    uint64_t limit = sizeof(tss) - 1;

    gdt_reserved[GDT_RESERVED_IDX(0xe008)] = 0x00af9b000000ffffUL; /* ring-0 code, 64-bit */
    gdt_reserved[GDT_RESERVED_IDX(0xe010)] = 0x00cf93000000ffffUL; /* ring-0 data */
    gdt_reserved[GDT_RESERVED_IDX(0xe018)] = 0x00cf9b000000ffffUL; /* ring-0 code, 32-bit */
    gdt_reserved[GDT_RESERVED_IDX(0xe020)] = 0x00cffb000000ffffUL; /* FLAT_RING3_CS32 */
    gdt_reserved[GDT_RESERVED_IDX(0xe028)] = 0x00cff3000000ffffUL; /* FLAT_RING3_DS32/SS */
    gdt_reserved[GDT_RESERVED_IDX(0xe030)] = 0x00affb000000ffffUL; /* FLAT_RING3_CS64 */
    /* 64-bit available TSS (type 9), 16 bytes. */
    gdt_reserved[GDT_RESERVED_IDX(TSS_SELECTOR)] =
        (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
        ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    gdt_reserved[GDT_RESERVED_IDX(TSS_SELECTOR) + 1] = base >> 32;
}

static void set_gate(unsigned int vec, unsigned int dpl, unsigned int ist)
{
    unsigned long a = (unsigned long)vector_stubs + vec * 16;

    idt[vec] = (struct idt_gate){
        .off_lo = a & 0xffff, .sel = __HYPERVISOR_CS, .ist = (uint8_t)ist,
        .type_attr = (uint8_t)(0x8e | (dpl << 5)),         /* interrupt gate */
        .off_mid = (a >> 16) & 0xffff, .off_hi = (uint32_t)(a >> 32),
    };
}

/* Map the 16-page GDT window of vcpu_id into a per-domain L1. */
static void fill_gdt_window(intpte_t *l1, unsigned int vcpu_id)
{
    unsigned int base = (unsigned int)((GDT_VIRT_START(vcpu_id) >> PAGE_SHIFT) & 511);

    for ( unsigned int i = 0; i < GDT_PAGES; i++ )
        l1[base + i] = pte_from_mfn(virt_to_mfn(zero_page), _PAGE_PRESENT);
    l1[base + FIRST_RESERVED_GDT_PAGE] =
        pte_from_mfn(virt_to_mfn(gdt_reserved), _PAGE_PRESENT | _PAGE_RW);
}

void perdomain_install_idle(void)
{
    idle_perdomain_l3[0] = pte_from_mfn(virt_to_mfn(idle_perdomain_l2),
                                        _PAGE_PRESENT | _PAGE_RW);
    idle_perdomain_l2[0] = pte_from_mfn(virt_to_mfn(idle_perdomain_l1),
                                        _PAGE_PRESENT | _PAGE_RW);
    fill_gdt_window(idle_perdomain_l1, 0);
    idle_pg_table[l4_table_offset(PERDOMAIN_VIRT_START)] =
        pte_from_mfn(virt_to_mfn(idle_perdomain_l3), _PAGE_PRESENT | _PAGE_RW);
    flush_tlb_local();
}

int perdomain_init(struct domain *d)
{
    intpte_t *l3, *l2, *l1;

    d->perdomain_l3 = alloc_xenheap_mfn();
    d->perdomain_l2 = alloc_xenheap_mfn();
    d->perdomain_l1 = alloc_xenheap_mfn();
    if ( mfn_eq(d->perdomain_l3, INVALID_MFN) || mfn_eq(d->perdomain_l2, INVALID_MFN) ||
         mfn_eq(d->perdomain_l1, INVALID_MFN) )
        return -XEN_ENOMEM;
    l3 = mfn_to_virt(d->perdomain_l3);
    l2 = mfn_to_virt(d->perdomain_l2);
    l1 = mfn_to_virt(d->perdomain_l1);
    l3[0] = pte_from_mfn(d->perdomain_l2, _PAGE_PRESENT | _PAGE_RW);
    l2[0] = pte_from_mfn(d->perdomain_l1, _PAGE_PRESENT | _PAGE_RW);
    for ( unsigned int v = 0; v < d->max_vcpus; v++ )
        fill_gdt_window(l1, v);
    return 0;
}

void perdomain_map_gdt_frame(struct domain *d, unsigned int vcpu_id,
                             unsigned int i, mfn_t mfn)
{
    intpte_t *l1 = mfn_to_virt(d->perdomain_l1);
    unsigned int slot = (unsigned int)((GDT_VIRT_START(vcpu_id) >> PAGE_SHIFT) & 511) + i;

    /* Guest GDT frames are writable here (the CPU sets descriptors' Accessed
     * bits through this mapping), but this area has no user bit: the guest
     * itself changes descriptors only through update_descriptor.  The empty
     * page stays read-only. */
    l1[slot] = mfn_eq(mfn, INVALID_MFN)
               ? pte_from_mfn(virt_to_mfn(zero_page), _PAGE_PRESENT)
               : pte_from_mfn(mfn, _PAGE_PRESENT | _PAGE_RW);
    invlpg(GDT_VIRT_START(vcpu_id) + ((unsigned long)i << PAGE_SHIFT));
}

void load_vcpu_gdt(const struct vcpu *v)
{
    struct desc_ptr gdtr = {
        .limit = GDT_PAGES * PAGE_SIZE - 1,
        .base = GDT_VIRT_START(v ? v->vcpu_id : 0),
    };

    lgdt(&gdtr);
}

void percpu_traps_init(void)
{
    struct desc_ptr idtr = { .limit = sizeof(idt) - 1, .base = (unsigned long)idt };
    struct cpu_user_regs *frame = guest_cpu_user_regs();

    build_reserved_gdt();
    perdomain_install_idle();
    load_vcpu_gdt(NULL);
    /* Reload CS with a far return, then the data segments. */
    __asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
                     :: "i"(__HYPERVISOR_CS) : "rax", "memory");
    __asm__ volatile("mov %0, %%ss; mov %1, %%ds; mov %1, %%es"
                     :: "r"(__HYPERVISOR_DS), "r"(0) : "memory");

    /* Entries from ring 3 land with the frame exactly at the stack top. */
    guest_frame_es = (unsigned long)&frame->es;
    tss.rsp[0] = guest_frame_es;
    tss.ist[0] = (unsigned long)df_stack + sizeof(df_stack);
    tss.iomap_base = sizeof(tss);                  /* no I/O bitmap */
    ltr(TSS_SELECTOR);

    for ( unsigned int v = 0; v < 256; v++ )
        set_gate(v, 0, 0);
    set_gate(3, 3, 0);                             /* int3 from the guest */
    set_gate(4, 3, 0);                             /* into */
    set_gate(0x80, 3, 0);                          /* int $0x80, as Xen */
    set_gate(8, 0, 1);                             /* #DF on its own stack */
    lidt(&idtr);

    /* SYSCALL enters at lstar_enter on 0xe008; SYSRET would use 0xe023+. */
    wrmsr(MSR_STAR, (0xe023UL << 48) | ((unsigned long)__HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, (unsigned long)lstar_enter);
    wrmsr(MSR_CSTAR, (unsigned long)lstar_enter);
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF |
          X86_EFLAGS_NT | X86_EFLAGS_AC | X86_EFLAGS_RF | X86_EFLAGS_VM);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
