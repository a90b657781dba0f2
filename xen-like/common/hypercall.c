/*
 * hypercall.c - from SYSCALL to a hypercall handler and back.
 *
 * A 64-bit PV guest kernel calls slot nr of its hypercall page, whose stub
 * loads nr into EAX and executes SYSCALL; arguments are in RDI, RSI, RDX,
 * R10 and R8.  A SYSCALL from guest *user* mode is not a hypercall: it is
 * the user's system call, bounced to the guest kernel's syscall callback.
 *
 * The dispatch table is expanded from hypercalls/hypercalls.def; each
 * entry records its arity and calls the handler with exactly that many
 * arguments, so no handler is ever called through a mismatched type.
 */
#include "cmdline.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "hypercall.h"
#include "lib.h"
#include "mmu.h"
#include "panic.h"
#include "traps.h"

struct hypercall_entry {
    unsigned int nargs;
    const char *name;
    union {
        long (*fn0)(HC_ARGS0);
        long (*fn1)(HC_ARGS1);
        long (*fn2)(HC_ARGS2);
        long (*fn3)(HC_ARGS3);
        long (*fn4)(HC_ARGS4);
        long (*fn5)(HC_ARGS5);
    };
};

#define NR_HYPERCALLS 64
static const struct hypercall_entry hypercall_table[NR_HYPERCALLS] = {
#define HYPERCALL(nr, hname, n) \
    [nr] = { .nargs = n, .name = #hname, .fn##n = do_##hname },
#include "hypercalls.def"
#undef HYPERCALL
};

const char *hypercall_name(unsigned long nr)
{
    if ( nr < NR_HYPERCALLS && hypercall_table[nr].name )
        return hypercall_table[nr].name;
    return "unknown";
}

long hypercall_dispatch(unsigned long nr, unsigned long a1, unsigned long a2,
                        unsigned long a3, unsigned long a4, unsigned long a5)
{
    const struct hypercall_entry *h;

    if ( nr >= NR_HYPERCALLS || !hypercall_table[nr].name )
        return -XEN_ENOSYS;
    h = &hypercall_table[nr];
    switch ( h->nargs )
    {
    case 0: return h->fn0();
    case 1: return h->fn1(a1);
    case 2: return h->fn2(a1, a2);
    case 3: return h->fn3(a1, a2, a3);
    case 4: return h->fn4(a1, a2, a3, a4);
    default: return h->fn5(a1, a2, a3, a4, a5);
    }
}

void do_syscall_entry(struct cpu_user_regs *regs);
void do_syscall_entry(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned long nr = regs->rax;

    if ( !v->kernel_mode )
    {
        /* A user-mode system call: hand it to the guest kernel. */
        if ( v->syscall_callback_eip == 0 )
            pv_inject_hw_exception(regs, TRAP_invalid_op, X86_EVENT_NO_EC);
        else
            pv_bounce(regs, v->syscall_callback_eip, v->syscall_mask);
    }
    else
    {
        long rc = hypercall_dispatch(nr, regs->rdi, regs->rsi, regs->rdx, regs->r10,
                                     regs->r8);

        /* mmu_audit=1: after every MMU hypercall, recount the world; a
         * broken invariant is a hypervisor bug (xen-like/mm/audit.c). */
        if ( opt_mmu_audit &&
             (nr == __HYPERVISOR_mmu_update || nr == __HYPERVISOR_mmuext_op ||
              nr == __HYPERVISOR_update_va_mapping ||
              nr == __HYPERVISOR_update_va_mapping_otherdomain ||
              nr == __HYPERVISOR_grant_table_op ||
              nr == __HYPERVISOR_multicall) )
        {
            static char why[256];

            if ( mmu_audit(why, sizeof(why)) )
                panic("mmu_audit after %s: %s", hypercall_name(nr), why);
        }

        /* A preempted hypercall has already set up its continuation. */
        if ( v->hcall_preempted )
            v->hcall_preempted = false;
        else
            regs->rax = (unsigned long)rc;
    }

    if ( v->domain->state != DOMAIN_RUNNING || v->blocked || v->need_resched )
    {
        v->need_resched = false;
        schedule();
    }
    check_events(regs);
}

/*
 * The hypercall page: 128 stubs of 32 bytes, the rest of the page int3.
 *   push %rcx; push %r11; mov $nr,%eax; syscall; pop %r11; pop %rcx; ret
 * Slot 23 (iret) instead pushes RAX too and never returns: the guest jumps
 * to it with an iret frame on its stack.
 */
void write_hypercall_page(void *page)
{
    uint8_t *p = page;

    memset(p, 0xcc, PAGE_SIZE);
    for ( unsigned int i = 0; i < HYPERCALL_PAGE_SLOTS; i++ )
    {
        uint8_t *s = p + i * HYPERCALL_PAGE_SLOT_SIZE;
        unsigned int n = 0;

        s[n++] = 0x51;                          /* push %rcx */
        s[n++] = 0x41; s[n++] = 0x53;           /* push %r11 */
        if ( i == __HYPERVISOR_iret )
            s[n++] = 0x50;                      /* push %rax */
        s[n++] = 0xb8;                          /* mov $i,%eax */
        s[n++] = (uint8_t)i; s[n++] = 0; s[n++] = 0; s[n++] = 0;
        s[n++] = 0x0f; s[n++] = 0x05;           /* syscall */
        if ( i == __HYPERVISOR_iret )
            continue;
        s[n++] = 0x41; s[n++] = 0x5b;           /* pop %r11 */
        s[n++] = 0x59;                          /* pop %rcx */
        s[n++] = 0xc3;                          /* ret */
    }
}
