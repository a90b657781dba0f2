/*
 * traps.c - what happens when the CPU enters the hypervisor through the IDT.
 *
 * A fault in the hypervisor itself is either expected (a guest-memory copy
 * with an exception-table fixup) or a bug: then fatal_trap() prints the
 * registers, a backtrace and the faulting code bytes, and stops.
 *
 * A fault in the guest belongs to the guest.  The hypervisor first looks
 * for the few cases it handles itself (Xen's forced-emulation CPUID, the
 * privileged instructions a PV kernel may use, `int n` to a vector the
 * guest allowed) and otherwise bounces the exception to the handler the
 * guest registered with set_trap_table, exactly as Xen does.
 */
#include "asm-offsets.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "time.h"
#include "guest_access.h"
#include "lib.h"
#include "panic.h"
#include "traps.h"
#include "x86.h"

_Static_assert(offsetof(struct cpu_user_regs, rax) == UREGS_rax, "rax");
_Static_assert(offsetof(struct cpu_user_regs, rcx) == UREGS_rcx, "rcx");
_Static_assert(offsetof(struct cpu_user_regs, rdi) == UREGS_rdi, "rdi");
_Static_assert(offsetof(struct cpu_user_regs, error_code) == UREGS_error_code, "ec");
_Static_assert(offsetof(struct cpu_user_regs, entry_vector) == UREGS_entry_vector, "vec");
_Static_assert(offsetof(struct cpu_user_regs, rip) == UREGS_rip, "rip");
_Static_assert(offsetof(struct cpu_user_regs, cs) == UREGS_cs, "cs");
_Static_assert(offsetof(struct cpu_user_regs, rflags) == UREGS_rflags, "rflags");
_Static_assert(offsetof(struct cpu_user_regs, rsp) == UREGS_rsp, "rsp");
_Static_assert(offsetof(struct cpu_user_regs, ss) == UREGS_ss, "ss");
_Static_assert(offsetof(struct cpu_user_regs, es) == UREGS_es, "es");
_Static_assert(sizeof(struct cpu_user_regs) == UREGS_size, "size");

static const char *const trap_names[32] = {
    "divide error", "debug", "NMI", "int3", "overflow", "bounds",
    "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack error", "general protection", "page fault", "reserved",
    "FPU error", "alignment check", "machine check", "SIMD error",
};

static const char *const trap_mnemonics[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MF?",
    "#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
};

static const char *trap_name(unsigned int v)
{
    return v < 32 && trap_names[v] ? trap_names[v] : "interrupt";
}

/* Vectors whose bounce frame carries an error code. */
static bool has_error_code(unsigned int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

bool toggle_guest_mode(struct vcpu *v)
{
    mfn_t next = v->kernel_mode ? v->guest_table_user : v->guest_table;

    if ( mfn_eq(next, INVALID_MFN) )
    {
        domain_crash(v->domain, "switch to guest user mode with no user page table "
                     "(NEW_USER_BASEPTR never set)");
        return false;
    }
    if ( v->kernel_mode )
        v->gs_base_kernel = rdmsr(MSR_GS_BASE);
    else
        v->gs_base_user = rdmsr(MSR_GS_BASE);
    v->kernel_mode = !v->kernel_mode;
    wrmsr(MSR_GS_BASE, v->kernel_mode ? v->gs_base_kernel : v->gs_base_user);
    write_cr3(mfn_to_maddr(next));
    return true;
}

/*
 * Build Xen's exception frame on the guest kernel stack and redirect the
 * vCPU to the handler.  From low to high address the frame is
 *   RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS
 * with the saved upcall mask in bits 32-39 of the CS slot, CS's RPL cleared
 * when the guest was in kernel mode, and RFLAGS.IF meaning "events were
 * enabled".  Returns false if the domain had to be crashed.
 */
static bool create_bounce_frame(struct vcpu *v, struct cpu_user_regs *regs,
                                const struct trap_bounce *tb)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint64_t frame[9];
    unsigned int n = 0;
    unsigned long sp, cs = regs->cs;
    uint8_t saved_mask = vi->evtchn_upcall_mask;

    if ( tb->eip == 0 )
    {
        domain_crash(v->domain, "bounce to a null handler address");
        return false;
    }
    if ( !v->kernel_mode )
    {
        if ( !toggle_guest_mode(v) )
            return false;
        sp = v->kernel_sp;
    }
    else
    {
        sp = regs->rsp;
        cs &= ~3UL;                     /* tells the guest: was kernel mode */
    }
    sp &= ~0xfUL;
    if ( sp > HYPERVISOR_VIRT_START && sp < HYPERVISOR_VIRT_END + 8 * 8 )
    {
        domain_crash(v->domain, "guest kernel stack %#lx is inside the hypervisor "
                     "area", sp);
        return false;
    }
    if ( tb->mask_events )
        vi->evtchn_upcall_mask = 1;

    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if ( tb->has_error_code )
        frame[n++] = tb->error_code;
    frame[n++] = regs->rip;
    frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
    frame[n++] = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
                 (saved_mask ? 0 : X86_EFLAGS_IF);
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    sp -= n * 8;
    if ( copy_to_guest(sp, frame, n * 8) )
    {
        domain_crash(v->domain, "fault while writing an exception frame to the "
                     "guest kernel stack at %#lx", sp);
        return false;
    }

    regs->entry_vector |= TRAP_syscall;
    regs->rflags &= ~(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF |
                      X86_EFLAGS_NT | X86_EFLAGS_TF);
    regs->rflags |= X86_EFLAGS_IF | X86_EFLAGS_MBS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = sp;
    regs->cs = FLAT_KERNEL_CS;
    regs->rip = tb->eip;
    return true;
}

void pv_inject_hw_exception(struct cpu_user_regs *regs, unsigned int vector,
                            uint32_t error_code)
{
    struct vcpu *v = current;
    const struct trap_info *ti = &v->trap_ctxt[vector];
    struct trap_bounce tb = {
        .eip = ti->address,
        .mask_events = (ti->flags & 4) != 0,
        .has_error_code = error_code != X86_EVENT_NO_EC && has_error_code(vector),
        .error_code = error_code,
    };

    if ( ti->address == 0 )
    {
        domain_crash(v->domain, "unhandled vector %u (%s, %s) ec=%04x at rip %#lx: "
                     "no handler registered", vector,
                     vector < 32 && trap_mnemonics[vector] ? trap_mnemonics[vector] : "int",
                     trap_name(vector), error_code == X86_EVENT_NO_EC ? 0 : error_code,
                     (unsigned long)regs->rip);
        return;
    }
    create_bounce_frame(v, regs, &tb);
}

void pv_bounce(struct cpu_user_regs *regs, unsigned long eip, bool mask_events)
{
    struct trap_bounce tb = { .eip = eip, .mask_events = mask_events };

    create_bounce_frame(current, regs, &tb);
    regs->rflags &= ~X86_EFLAGS_DF;
}

void pv_inject_page_fault(struct cpu_user_regs *regs, unsigned long cr2,
                          uint32_t error_code)
{
    struct vcpu *v = current;

    /* The CPU sets U for every guest fault (ring 3); Xen reports U only for
     * faults taken in guest user mode. */
    error_code &= ~PFEC_user;
    if ( !v->kernel_mode )
        error_code |= PFEC_user;
    v->vcpu_info->arch.cr2 = cr2;
    pv_inject_hw_exception(regs, TRAP_page_fault, error_code);
}

static void do_guest_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector & 0xff;
    struct vcpu *v = current;

    switch ( vec )
    {
    case TRAP_page_fault:
    {
        unsigned long cr2 = read_cr2();

        /* A store into one of the guest's own L1 tables: emulate it. */
        if ( !pv_ptwr_emulate(regs, cr2, regs->error_code) )
            pv_inject_page_fault(regs, cr2, regs->error_code);
        break;
    }
    case TRAP_invalid_op:
        if ( !pv_emulate_forced_cpuid(regs) )
            pv_inject_hw_exception(regs, vec, X86_EVENT_NO_EC);
        break;
    case TRAP_gp_fault:
        /* An `int n` to a gate with DPL 0, or a privileged instruction. */
        if ( pv_emulate_soft_interrupt(regs) || pv_emulate_privileged_op(regs) )
            break;
        pv_inject_hw_exception(regs, vec, regs->error_code);
        break;
    case TRAP_no_device:
        /* Real CR0.TS is set only while the guest's virtual TS is. */
        clts();
        if ( v->virtual_ts )
        {
            v->virtual_ts = false;
            pv_inject_hw_exception(regs, vec, X86_EVENT_NO_EC);
        }
        break;
    case TRAP_nmi:
    case TRAP_machine_check:
        printk(XENLOG_WARNING "%s while running d%u, ignored\n", trap_name(vec),
               v->domain->domain_id);
        break;
    case 0x80:
        /*
         * Xen gives int $0x80 a DPL-3 gate and delivers it to any registered
         * handler, whatever that handler's DPL; with none it is #GP(0x402)
         * at the instruction.
         */
        if ( v->trap_ctxt[0x80].address )
            pv_inject_hw_exception(regs, 0x80, X86_EVENT_NO_EC);
        else
        {
            regs->rip -= 2;
            pv_inject_hw_exception(regs, TRAP_gp_fault, (0x80 << 3) | 2);
        }
        break;
    default:
        if ( vec < 32 )
            pv_inject_hw_exception(regs, vec, has_error_code(vec) ? regs->error_code
                                                                   : X86_EVENT_NO_EC);
        /* External interrupts: the PIC is masked, so this is spurious. */
        break;
    }
}

struct ex_entry { unsigned long insn, fixup; };
extern const struct ex_entry __start___ex_table[], __stop___ex_table[];

void do_trap(struct cpu_user_regs *regs);
void do_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector & 0xff;

    if ( vec == TRAP_double_fault )
        fatal_trap(regs);
    if ( vec == 0x20 )
    {
        /* The tick: in a guest it ends the time slice; in the hypervisor
         * (only ever while idling, interrupts on) it just wakes the CPU. */
        if ( timer_interrupt() && guest_mode(regs) && current )
            current->need_resched = true;
        if ( !guest_mode(regs) )
            return;
        goto exit_to_guest;
    }
    if ( vec > 0x20 && vec < 0x30 )
    {
        outb(vec >= 0x28 ? 0xa0 : 0x20, 0x20);   /* stray PIC interrupt: EOI */
        if ( vec >= 0x28 )
            outb(0x20, 0x20);
        if ( !guest_mode(regs) )
            return;
        goto exit_to_guest;
    }
    if ( !guest_mode(regs) )
    {
        for ( const struct ex_entry *e = __start___ex_table; e < __stop___ex_table; e++ )
            if ( e->insn == regs->rip )
            {
                regs->rip = e->fixup;
                return;
            }
        fatal_trap(regs);
    }
    do_guest_trap(regs);
 exit_to_guest:
    if ( current->domain->state != DOMAIN_RUNNING || current->blocked ||
         current->need_resched )
    {
        current->need_resched = false;
        schedule();
    }
    check_events(regs);
}

void do_bad_return_to_guest(struct cpu_user_regs *regs);
void do_bad_return_to_guest(struct cpu_user_regs *regs)
{
    domain_crash(current->domain, "cannot return to the guest: iretq refused "
                 "rip %#lx cs %#x rflags %#lx rsp %#lx ss %#x",
                 (unsigned long)regs->rip, (unsigned int)regs->cs,
                 (unsigned long)regs->rflags, (unsigned long)regs->rsp,
                 (unsigned int)regs->ss);
    schedule();
}

void show_backtrace(unsigned long rbp)
{
    printk("Backtrace (frame pointers):\n");
    for ( unsigned int depth = 0; depth < 24 && rbp; depth++ )
    {
        const unsigned long *fp = (const unsigned long *)rbp;

        /* Walk only our own stacks (image .bss or the direct map). */
        if ( (rbp & 7) || rbp < XEN_VIRT_START || rbp >= XEN_VIRT_END )
            break;
        printk("   [<%016lx>]\n", fp[1]);
        if ( fp[0] <= rbp )
            break;
        rbp = fp[0];
    }
}

void fatal_trap(const struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector & 0xff;
    const uint8_t *ip = (const uint8_t *)regs->rip;

    local_irq_disable();
    printk("\n*** FATAL TRAP in the hypervisor: vector %u (%s), error code %#x ***\n",
           vec, trap_name(vec), regs->error_code);
    printk("RIP: %04x:[<%016lx>]  RFLAGS: %016lx\n", (unsigned int)regs->cs,
           (unsigned long)regs->rip, (unsigned long)regs->rflags);
    printk("rax: %016lx rbx: %016lx rcx: %016lx\n", (unsigned long)regs->rax,
           (unsigned long)regs->rbx, (unsigned long)regs->rcx);
    printk("rdx: %016lx rsi: %016lx rdi: %016lx\n", (unsigned long)regs->rdx,
           (unsigned long)regs->rsi, (unsigned long)regs->rdi);
    printk("rbp: %016lx rsp: %016lx r8:  %016lx\n", (unsigned long)regs->rbp,
           (unsigned long)regs->rsp, (unsigned long)regs->r8);
    printk("r9:  %016lx r10: %016lx r11: %016lx\n", (unsigned long)regs->r9,
           (unsigned long)regs->r10, (unsigned long)regs->r11);
    printk("r12: %016lx r13: %016lx r14: %016lx\n", (unsigned long)regs->r12,
           (unsigned long)regs->r13, (unsigned long)regs->r14);
    printk("r15: %016lx cr0: %016lx cr2: %016lx\n", (unsigned long)regs->r15,
           read_cr0(), read_cr2());
    printk("cr3: %016lx cr4: %016lx\n", read_cr3(), read_cr4());
    if ( (unsigned long)ip >= XEN_VIRT_START && (unsigned long)ip + 16 < XEN_VIRT_END )
    {
        char code[80];
        int n = 0;

        for ( int i = -8; i < 16; i++ )
            n += snprintf(code + n, sizeof(code) - (size_t)n, i ? " %02x" : " <%02x>",
                          ip[i]);
        printk("Code bytes around RIP:%s\n", code);
    }
    show_backtrace(regs->rbp);
    panic("fatal trap %u (%s) in the hypervisor", vec, trap_name(vec));
}
