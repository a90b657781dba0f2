/*
 * initmode.c - the "init" boot mode (command line `init`, optionally
 * `mmu=translate`): set the kernel up, start the user program init, and
 * when the last process is gone print the summary.
 *
 * KTAP cases, in order: the translation mode, our own page tables, the
 * cases init reports through SYS_report (user/init.c, INIT_CASES of them),
 * then the kernel's own checks at the end (every process reaped, every
 * frame back).  Facts "abi.init.*" are counts that must not depend on the
 * hypervisor or on timing: they are taken when init calls checkpoint(),
 * before its cases whose counts depend on when the timer fires or on how
 * much memory the domain has.  "local.init.*" ones (hypercall counts,
 * ticks, totals at the end) may differ from run to run.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "os.h"
#include "guest-hypercall.h"

#define INIT_CASES 13                   /* user/init.c reports this many */
#define KERNEL_CASES 4

_Static_assert(sizeof(struct cpu_regs) == 176, "uentry.S copies 22 words");

static unsigned long frames_at_start, user_reports;
static struct vm_stats vm_cp;           /* counters at init's checkpoint */
static struct hc_stats hc_cp;
static unsigned long procs_cp;
static bool checkpointed;

void init_checkpoint(void)
{
    vm_cp = vm;
    hc_cp = hc;
    procs_cp = procs_created;
    checkpointed = true;
}
static char kstack[4 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

void os_report(const char *name, const char *reason)
{
    user_reports++;
    ktap_case(name, reason);
}

/* do_trap()'s hook: a trap from user mode (CS RPL 3, §1.7) is ours. */
static bool user_trap_hook(struct cpu_regs *regs)
{
    if ((regs->cs & 3) != 3)
        return false;                   /* the kernel's own: do_trap decides */
    /* The trap table does not mask events: mask them now, the kernel is
     * not preemptible (a tick that came meanwhile stays pending). */
    this_vcpu()->evtchn_upcall_mask = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    user_trap(regs);
}

/* §1.6: where user `syscall` lands, and on which stack (bench.c too). */
const char *os_register_entries(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_syscall,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)syscall_entry,
    };

    if (hc_count_other(HYPERVISOR_callback_op(CALLBACKOP_register, &cb)))
        return "registering the syscall callback failed";
    if (hc_count_other(HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                               (unsigned long)kstack + sizeof(kstack))))
        return "stack_switch failed";
    trap_hook = user_trap_hook;
    return NULL;
}

int init_main(void)
{
    const char *why;
    struct proc *p;

    ktap_begin(2 + INIT_CASES + KERNEL_CASES);
    why = xlate_init();
    ktap_case(xlate_mode == XLATE_XEN ? "mmu_xen_mode" : "mmu_translate_mode", why);
    if (why)
        panic("%s", why);
    why = kpt_build_and_switch();
    ktap_case("own_page_tables_pinned_and_loaded", why);
    if (why)
        panic("%s", why);
    why = os_register_entries();
    if (!why)
        why = clock_init();
    if (why)
        panic("%s", why);

    frames_at_start = frames_free();
    p = proc_alloc();
    if (!p || elf_exec(p, "init"))
        panic("cannot start init");
    printk("# starting init (pid %d): %lu frames free, mmu=%s\n",
           p->pid, frames_at_start, xlate_name());
    proc_resume(p);
}

void (*os_finish_hook)(void);

noreturn void init_finish(void)
{
    unsigned long free_now = frames_free();

    if (os_finish_hook)                 /* another mode (bench.c) ends here */
        os_finish_hook();

    printk("# all processes have exited: summary\n");
    if (!checkpointed)
        init_checkpoint();
    /* Up to the checkpoint.  Which of two sharers writes first (copy or
     * reuse) depends on where the ticks fall; their sum does not. */
    ktap_fact("abi.init.processes", "%lu", procs_cp);
    ktap_fact("abi.init.pf_demand_heap", "%lu", vm_cp.pf_demand_heap);
    ktap_fact("abi.init.pf_demand_stack", "%lu", vm_cp.pf_demand_stack);
    ktap_fact("abi.init.pf_cow", "%lu", vm_cp.pf_cow_copy + vm_cp.pf_cow_reuse);
    ktap_fact("abi.init.pf_bad", "%lu", vm_cp.pf_bad);
    ktap_fact("abi.init.pages_shared_by_fork", "%lu", vm_cp.pages_shared);
    ktap_fact("abi.init.pte_batched", "%lu", hc_cp.pte_batched);
    ktap_fact("abi.init.pte_batches", "%lu", hc_cp.batches);
    ktap_fact("abi.init.user_tables_left", "%lu", vm.tables);
    /* The whole run. */
    ktap_fact("local.init.processes", "%lu", procs_created);
    ktap_fact("local.init.pf_cow_copy", "%lu", vm.pf_cow_copy);
    ktap_fact("local.init.pf_cow_reuse", "%lu", vm.pf_cow_reuse);
    ktap_fact("local.init.pf_oom", "%lu", vm.pf_oom);
    ktap_fact("local.init.fork_nomem", "%lu", vm.fork_nomem);
    ktap_fact("local.init.ticks", "%lu", clk.ticks);
    ktap_fact("local.init.ticks_in_kernel", "%lu", clk.kernel_ticks);
    ktap_fact("local.init.preemptions", "%lu", clk.preemptions);
    ktap_fact("local.init.idle_blocks", "%lu", clk.idle);
    ktap_fact("local.init.hc_mmu_update", "%lu", hc.mmu_update);
    ktap_fact("local.init.hc_mmuext_op", "%lu", hc.mmuext);
    ktap_fact("local.init.hc_update_va_mapping", "%lu", hc.update_va_mapping);
    ktap_fact("local.init.hc_multicall", "%lu", hc.multicall);
    ktap_fact("local.init.hc_iret", "%lu", hc.iret);
    ktap_fact("local.init.hc_other", "%lu", hc.other);
    ktap_fact("local.init.busy_retries", "%lu", hc.busy_retries);
    ktap_fact("local.init.frames_free", "%lu", free_now);

    ktap_case("init_reported_every_case", user_reports == INIT_CASES ? NULL :
              ktap_reason("init reported %lu cases, %u expected",
                          user_reports, INIT_CASES));
    ktap_case("every_process_reaped", procs_live() == 0 ? NULL :
              ktap_reason("%u processes left (waiting or zombies)", procs_live()));
    ktap_case("every_user_table_freed", vm.tables == 0 ? NULL :
              ktap_reason("%lu user tables left", vm.tables));
    ktap_case("no_frame_leaked", free_now == frames_at_start ? NULL :
              ktap_reason("%lu frames free at the start, %lu at the end",
                          frames_at_start, free_now));
    ktap_end();
    shutdown(SHUTDOWN_poweroff);
}
