/*
 * mm_env.c - the machine side of the PV-MMU core's narrow interface
 * (mm_env.h): TLB flushes, preemption checks and hypercall continuations
 * on a real (or QEMU-emulated) x86 CPU.
 */
#include "cmdline.h"
#include "domain.h"
#include "mm_env.h"
#include "x86.h"

/*
 * Flush everything, including global entries: guest user pages are mapped
 * global (G), so reloading CR3 alone would keep them.
 */
void arch_flush_tlb_local(void)
{
    unsigned long cr4 = read_cr4();

    if ( cr4 & X86_CR4_PGE )
    {
        write_cr4(cr4 & ~X86_CR4_PGE);
        write_cr4(cr4);
    }
    else
        write_cr3(read_cr3());
}

/* One physical CPU: every CPU the domain ran on is this one. */
void arch_flush_tlb_domain(const struct domain *d)
{
    (void)d;
    arch_flush_tlb_local();
}

void arch_invlpg(unsigned long va)
{
    invlpg(va);
}

void arch_load_cr3(mfn_t l4)
{
    write_cr3(mfn_to_maddr(l4));
}

void arch_flush_cache(void)
{
    __asm__ volatile("wbinvd" ::: "memory");
}

/* One `rep stosq`: the CPU's own loop, not 512 iterations of ours. */
void arch_clear_page(void *va)
{
    unsigned long n = PAGE_SIZE / 8;

    __asm__ volatile("rep stosq" : "+D" (va), "+c" (n) : "a" (0UL) : "memory");
}

/*
 * Nothing else wants this CPU yet (no timer, one vCPU at a time), so only
 * `mmu_preempt=N` makes long operations stop: every Nth check says yes.
 */
bool hypercall_preempt_check(void)
{
    static unsigned int calls;

    return opt_mmu_preempt && ++calls % opt_mmu_preempt == 0;
}

long hypercall_create_continuation(unsigned int nr, unsigned int nargs,
                                   unsigned long a1, unsigned long a2,
                                   unsigned long a3, unsigned long a4,
                                   unsigned long a5)
{
    struct vcpu *v = current;
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    unsigned long args[5] = { a1, a2, a3, a4, a5 };

    if ( v->in_multicall )
    {
        /* Inside a batch: the entry itself is rewritten and re-run. */
        v->mc_entry->op = nr;
        for ( unsigned int i = 0; i < nargs; i++ )
            v->mc_entry->args[i] = args[i];
        v->mc_preempted = true;
        return 0;
    }
    regs->rax = nr;
    regs->rdi = a1;
    regs->rsi = a2;
    regs->rdx = a3;
    regs->r10 = a4;
    regs->r8 = a5;
    regs->rip -= 2;                        /* execute the SYSCALL again */
    v->hcall_preempted = true;
    return 0;
}
