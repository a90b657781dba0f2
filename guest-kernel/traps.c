/*
 * traps.c - the virtual IDT, the callbacks, and what to do with a trap.
 *
 * trap_init() registers, with two hypercalls:
 *   - the trap table: for each exception vector, the handler address, the
 *     code selector (FLAT_KERNEL_CS) and flags: bits 0-1 are the DPL that a
 *     software `int n` needs (3 for int3, so `int3` works from any ring),
 *     bit 2 asks to mask events while the handler runs;
 *   - the event callback (called when an event channel fires and events
 *     are unmasked) and the failsafe callback.
 * The entry points themselves are in entry.S.
 */
#include "kernel.h"
#include "console.h"
#include "traps.h"
#include "guest-hypercall.h"

/* entry.S */
void entry_divide_error(void);
void entry_debug(void);
void entry_int3(void);
void entry_overflow(void);
void entry_bounds(void);
void entry_invalid_op(void);
void entry_device_not_available(void);
void entry_invalid_tss(void);
void entry_segment_not_present(void);
void entry_stack_segment(void);
void entry_general_protection(void);
void entry_page_fault(void);
void entry_coprocessor_error(void);
void entry_alignment_check(void);
void entry_simd_error(void);
void hypervisor_callback(void);
void failsafe_callback(void);

/* Where entry.S jumps to return from a trap: the HYPERVISOR_iret stub. */
const unsigned long hypercall_iret_entry =
    (unsigned long)hypercall_page + __HYPERVISOR_iret * HYPERCALL_PAGE_SLOT_SIZE;

#define TRAP(vec, dpl, fn) { (vec), (dpl), FLAT_KERNEL_CS, (unsigned long)(fn) }

static const struct trap_info trap_table[] = {
    TRAP(X86_EXC_DE, 0, entry_divide_error),
    TRAP(X86_EXC_DB, 0, entry_debug),
    TRAP(X86_EXC_BP, 3, entry_int3),
    TRAP(X86_EXC_OF, 3, entry_overflow),
    TRAP(X86_EXC_BR, 0, entry_bounds),
    TRAP(X86_EXC_UD, 0, entry_invalid_op),
    TRAP(X86_EXC_NM, 0, entry_device_not_available),
    TRAP(X86_EXC_TS, 0, entry_invalid_tss),
    TRAP(X86_EXC_NP, 0, entry_segment_not_present),
    TRAP(X86_EXC_SS, 0, entry_stack_segment),
    TRAP(X86_EXC_GP, 0, entry_general_protection),
    TRAP(X86_EXC_PF, 0, entry_page_fault),
    TRAP(X86_EXC_MF, 0, entry_coprocessor_error),
    TRAP(X86_EXC_AC, 0, entry_alignment_check),
    TRAP(X86_EXC_XM, 0, entry_simd_error),
    { 0, 0, 0, 0 }                  /* address 0 ends the table */
};

volatile struct trap_record last_trap;
bool (*trap_hook)(struct cpu_regs *regs);

long trap_table_install(void)
{
    return HYPERVISOR_set_trap_table(trap_table);
}

void trap_init(void)
{
    struct callback_register event = {
        .type = CALLBACKTYPE_event,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)hypervisor_callback,
    };
    struct callback_register failsafe = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)failsafe_callback,
    };
    long rc;

    rc = trap_table_install();
    if (rc)
        panic("set_trap_table failed: %ld", rc);
    rc = HYPERVISOR_callback_op(CALLBACKOP_register, &event);
    if (rc)
        panic("registering the event callback failed: %ld", rc);
    rc = HYPERVISOR_callback_op(CALLBACKOP_register, &failsafe);
    if (rc)
        panic("registering the failsafe callback failed: %ld", rc);
}

const char *trap_name(unsigned int vector)
{
    static const char *const names[] = {
        [X86_EXC_DE] = "#DE", [X86_EXC_DB] = "#DB", [X86_EXC_NMI] = "NMI",
        [X86_EXC_BP] = "#BP", [X86_EXC_OF] = "#OF", [X86_EXC_BR] = "#BR",
        [X86_EXC_UD] = "#UD", [X86_EXC_NM] = "#NM", [X86_EXC_DF] = "#DF",
        [X86_EXC_TS] = "#TS", [X86_EXC_NP] = "#NP", [X86_EXC_SS] = "#SS",
        [X86_EXC_GP] = "#GP", [X86_EXC_PF] = "#PF", [X86_EXC_MF] = "#MF",
        [X86_EXC_AC] = "#AC", [X86_EXC_MC] = "#MC", [X86_EXC_XM] = "#XM",
    };

    if (vector < ARRAY_SIZE(names) && names[vector])
        return names[vector];
    return "#??";
}

/* The resume address for a faulting rip, or 0 if it has none. */
static unsigned long search_extable(unsigned long rip)
{
    extern const unsigned long __extable_start[], __extable_end[];
    const unsigned long *e;

    for (e = __extable_start; e < __extable_end; e += 2)
        if (e[0] == rip)
            return e[1];
    return 0;
}

static void dump_regs(const struct cpu_regs *r)
{
    printk("# rip %016lx  cs %04lx  rflags %08lx  rsp %016lx  ss %04lx\n",
           r->rip, r->cs & 0xffff, r->rflags, r->rsp, r->ss & 0xffff);
    printk("# rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n",
           r->rax, r->rbx, r->rcx, r->rdx);
    printk("# rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n",
           r->rsi, r->rdi, r->rbp, r->r8);
}

void do_trap(struct cpu_regs *regs)
{
    unsigned long fixup;

    last_trap.vector = (unsigned int)regs->vector;
    last_trap.error_code = regs->error_code;
    last_trap.rip = regs->rip;
    last_trap.cr2 = 0;
    /* The faulting address of a #PF is in our vcpu_info, not in %cr2. */
    if (regs->vector == X86_EXC_PF && HYPERVISOR_shared_info)
        last_trap.cr2 = this_vcpu()->arch.cr2;
    last_trap.count++;

    if (trap_hook && trap_hook(regs))
        return;

    /* #BP and #DB are traps, and so is a software interrupt `int $n`
     * (n >= 32) delivered to its handler: rip is already past the
     * instruction. */
    if (regs->vector == X86_EXC_BP || regs->vector == X86_EXC_DB ||
        regs->vector >= 32)
        return;

    fixup = search_extable(regs->rip);
    if (fixup) {
        regs->rip = fixup;
        return;
    }

    dump_regs(regs);
    panic("unexpected %s at rip %lx, error code %lx, cr2 %lx",
          trap_name((unsigned int)regs->vector), regs->rip,
          regs->error_code, last_trap.cr2);
}

/*
 * An event upcall.  Acknowledge it: clear the pending flags so the
 * hypervisor stops calling (the per-port bits stay for their owner).
 * A boot mode that binds ports looks at them through event_hook, which
 * may not return when it interrupted user mode (init mode preempts).
 */
unsigned long events_delivered;      /* upcalls taken (events.c checks it) */
void (*event_hook)(struct cpu_regs *regs);

void do_event(struct cpu_regs *regs)
{
    vcpu_info_t *v = this_vcpu();

    events_delivered++;
    v->evtchn_upcall_pending = 0;
    __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    if (event_hook)
        event_hook(regs);
}

noreturn void do_failsafe(struct cpu_regs *regs)
{
    /* The frame had ds, es, fs, gs where struct cpu_regs expects rip... */
    panic("failsafe callback: ds %lx es %lx fs %lx gs %lx rip %lx",
          regs->rip, regs->cs, regs->rflags, regs->rsp, regs->ss);
}
