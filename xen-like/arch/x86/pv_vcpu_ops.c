/*
 * pv_vcpu_ops.c - hypercalls that set up a PV guest's virtual CPU: its
 * trap table, its callbacks, its kernel stack, its segment bases, its
 * virtual CR0.TS, and HYPERVISOR_iret, the way back from its handlers.
 *
 * These are the hypercalls that replace privileged instructions (lidt,
 * wrmsr LSTAR, the TSS's rsp0, wrgsbase, clts, iretq) for a kernel that
 * runs in ring 3.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "traps.h"
#include "asm-offsets.h"
#include "x86.h"

/*
 * set_trap_table(traps): copy trap_info entries until one with address 0.
 * A NULL table clears the whole virtual IDT.
 */
long do_set_trap_table(unsigned long traps)
{
    struct vcpu *v = current;
    struct trap_info ti;

    if ( traps == 0 )
    {
        memset(v->trap_ctxt, 0, sizeof(v->trap_ctxt));
        return 0;
    }
    for ( unsigned int i = 0; ; i++ )
    {
        if ( copy_from_guest(&ti, traps + i * sizeof(ti), sizeof(ti)) )
            return -XEN_EFAULT;
        if ( ti.address == 0 )
            return 0;
        if ( !is_canonical_address(ti.address) )
        {
            gprintk(v->domain, XENLOG_G_WARNING "set_trap_table: vector %u handler "
                    "%#lx is not canonical\n", ti.vector, (unsigned long)ti.address);
            return -XEN_EINVAL;
        }
        ti.cs = FLAT_KERNEL_CS;       /* a 64-bit PV kernel has one code selector */
        v->trap_ctxt[ti.vector] = ti;
        if ( i > 256 * 4 )
            return -XEN_EINVAL;       /* no terminator in sight */
    }
}

static long register_callback(struct vcpu *v, const struct callback_register *reg)
{
    bool mask = (reg->flags & CALLBACKF_mask_events) != 0;

    if ( !is_canonical_address(reg->address) )
        return -XEN_EINVAL;
    switch ( reg->type )
    {
    case CALLBACKTYPE_event:
        v->event_callback_eip = reg->address;
        v->event_mask = mask;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->failsafe_callback_eip = reg->address;
        v->failsafe_mask = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        v->syscall_callback_eip = reg->address;
        v->syscall_mask = mask;
        return 0;
    case CALLBACKTYPE_syscall32:
        v->syscall32_callback_eip = reg->address;
        return 0;
    case CALLBACKTYPE_sysenter:
        v->sysenter_callback_eip = reg->address;
        return 0;
    case CALLBACKTYPE_nmi:
        v->nmi_callback_eip = reg->address;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_callback_op(unsigned long cmd, unsigned long arg)
{
    struct vcpu *v = current;

    switch ( cmd )
    {
    case CALLBACKOP_register:
    {
        struct callback_register reg;

        if ( copy_from_guest(&reg, arg, sizeof(reg)) )
            return -XEN_EFAULT;
        return register_callback(v, &reg);
    }
    case CALLBACKOP_unregister:
    {
        struct callback_unregister unreg;

        if ( copy_from_guest(&unreg, arg, sizeof(unreg)) )
            return -XEN_EFAULT;
        switch ( unreg.type )
        {
        case CALLBACKTYPE_nmi:
            v->nmi_callback_eip = 0;
            return 0;
        case CALLBACKTYPE_event: case CALLBACKTYPE_failsafe:
        case CALLBACKTYPE_syscall: case CALLBACKTYPE_syscall32:
        case CALLBACKTYPE_sysenter:
            return -XEN_EINVAL;       /* these can be replaced, not removed */
        default:
            return -XEN_ENOSYS;
        }
    }
    default:
        return -XEN_ENOSYS;
    }
}

/*
 * The old three-in-one form: event, failsafe and syscall callbacks.  As on
 * Xen, each registration's own result is ignored (a non-canonical address
 * is simply not registered) and the call returns 0.
 */
long do_set_callbacks(unsigned long event, unsigned long failsafe, unsigned long syscall)
{
    struct vcpu *v = current;
    struct callback_register ev = { .type = CALLBACKTYPE_event, .address = event };
    struct callback_register fs = { .type = CALLBACKTYPE_failsafe, .address = failsafe };
    struct callback_register sc = { .type = CALLBACKTYPE_syscall, .address = syscall,
                                    .flags = CALLBACKF_mask_events };
    (void)register_callback(v, &ev);
    (void)register_callback(v, &fs);
    (void)register_callback(v, &sc);
    return 0;
}

/* stack_switch(ss, sp): the stack the next exception from user mode uses. */
long do_stack_switch(unsigned long ss, unsigned long esp)
{
    struct vcpu *v = current;

    v->kernel_ss = (ss & ~3UL) ? (ss | 3) : ss;     /* guest selectors are RPL 3 */
    v->kernel_sp = esp;
    return 0;
}

long do_set_segment_base(unsigned long which, unsigned long base)
{
    struct vcpu *v = current;

    switch ( which )
    {
    case SEGBASE_FS:
        if ( !is_canonical_address(base) )
            return -XEN_EINVAL;
        v->fs_base = base;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        if ( !is_canonical_address(base) )
            return -XEN_EINVAL;
        v->gs_base_user = base;
        return 0;
    case SEGBASE_GS_KERNEL:
        if ( !is_canonical_address(base) )
            return -XEN_EINVAL;
        v->gs_base_kernel = base;
        wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_USER_SEL:
    {
        /*
         * Load the user's %gs selector; its base becomes the user GS base.
         * As on Xen this never fails: a selector the CPU refuses loads as
         * null.  The kernel's GS base (in the MSR now) is kept.
         */
        unsigned long kernel_base = rdmsr(MSR_GS_BASE);

        wrmsr(MSR_GS_BASE, v->gs_base_user);   /* as Xen's swapgs: a null load
                                                * keeps the user base on CPUs
                                                * that do not clear it */
        load_gs_selector_safe((uint16_t)base);
        v->gs_base_user = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, kernel_base);
        return 0;
    }
    default:
        return -XEN_EINVAL;
    }
}

/* fpu_taskswitch(set): the guest's view of CR0.TS; the next FPU use #NMs. */
long do_fpu_taskswitch(unsigned long set)
{
    struct vcpu *v = current;

    v->virtual_ts = set != 0;
    if ( v->virtual_ts )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        clts();
    return 0;
}

/*
 * HYPERVISOR_iret: the guest jumped to hypercall-page slot 23 with an
 * iret frame (struct iret_context: rax, r11, rcx, flags, rip, cs, rflags,
 * rsp, ss) on its stack.  A CS with RPL 3 means "return to user mode".
 */
long do_iret(void)
{
    struct vcpu *v = current;
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    struct iret_context ic;

    if ( copy_from_guest(&ic, regs->rsp, sizeof(ic)) )
    {
        domain_crash(v->domain, "iret: the frame at %#lx cannot be read",
                     (unsigned long)regs->rsp);
        return 0;
    }
    if ( (ic.cs & 3) == 3 && v->kernel_mode && !toggle_guest_mode(v) )
        return 0;
    regs->rip = ic.rip;
    regs->cs = ic.cs | 3;
    regs->rflags = (ic.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF |
                   X86_EFLAGS_MBS;
    regs->rsp = ic.rsp;
    regs->ss = ic.ss | 3;
    if ( !(ic.flags & VGCF_in_syscall) )
    {
        regs->entry_vector &= ~TRAP_syscall;
        regs->r11 = ic.r11;
        regs->rcx = ic.rcx;
    }
    v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
    return (long)ic.rax;
}
