/*
 * preempt.c - the init mode's clock: VIRQ_TIMER cuts the CPU into slices.
 *
 * At start we bind VIRQ_TIMER to an event channel, stop the periodic timer
 * every PV vCPU starts with, and arm a one-shot timer one slice (10 ms of
 * system time) ahead; every tick re-arms it.
 *
 * Where the upcall can land:
 *   - the kernel runs with events masked: the syscall and event callbacks
 *     are registered with CALLBACKF_mask_events, and a trap from user mode
 *     masks them first thing (initmode.c).  A tick that fires while the
 *     kernel works stays pending (evtchn_upcall_pending);
 *   - user mode runs unmasked: HYPERVISOR_iret sets evtchn_upcall_mask to
 *     !rflags.IF of the frame (§1.5), and user rflags has IF.  So a pending
 *     tick is delivered the moment we return to user mode, and a tick that
 *     fires while a process computes interrupts it at once;
 *   - the idle loop (everyone asleep) blocks with SCHEDOP_block, which
 *     unmasks events: there the upcall interrupts kernel mode.
 * Interrupting user mode: the registers go into the current process and
 * the scheduler picks the next one (proc_preempt, round-robin).
 * Interrupting the kernel: count it and return; the kernel is not
 * preemptible.
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"
#include "guest-hypercall.h"

struct clock_stats clk;
static unsigned int timer_port;

static bool port_test_and_clear(unsigned int port)
{
    unsigned long bit = 1UL << (port % 64);

    return __atomic_fetch_and(&HYPERVISOR_shared_info->evtchn_pending[port / 64],
                              ~bit, __ATOMIC_SEQ_CST) & bit;
}

static void arm(void)
{
    /* set_timer_op: one-shot, absolute system time (ns); VIRQ_TIMER is
     * raised at the deadline, at once if it has passed.  It replaces the
     * previous deadline. */
    hc_count_other(HYPERVISOR_set_timer_op(now_ns() + SLICE_NS));
}

static void on_event(struct cpu_regs *regs)
{
    if (!port_test_and_clear(timer_port))
        return;                         /* nothing else is bound */
    clk.ticks++;
    arm();
    if ((regs->cs & 3) != 3 || !current) {
        clk.kernel_ticks++;             /* not preemptible: just return */
        return;
    }
    clk.preemptions++;
    current->regs = *regs;              /* rcx, r11 included (entry.S) */
    proc_preempt();
}

const char *clock_init(void)
{
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

    /* EVTCHNOP_bind_virq: a per-vCPU VIRQ gets a fresh port on that vCPU,
     * unmasked; binding it twice would be -EEXIST. */
    if (hc_count_other(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv)))
        return "binding VIRQ_TIMER failed";
    timer_port = bv.port;
    /* VCPUOP_stop_periodic_timer: the default 10 ms periodic tick stops;
     * only our one-shot deadlines raise VIRQ_TIMER from now on. */
    if (hc_count_other(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL)))
        return "stop_periodic_timer failed";
    event_hook = on_event;
    arm();
    printk("# clock: VIRQ_TIMER on port %u, one-shot slices of %lu ms\n",
           timer_port, (unsigned long)(SLICE_NS / 1000000));
    return NULL;
}

/* Nothing runnable but sleepers: wait for the next tick. */
void clock_idle(void)
{
    clk.idle++;
    /* SCHEDOP_block: unmasks events and deschedules us until one is
     * pending (returns at once if one already is); the timer is always
     * armed, so this ends.  The upcall runs here, in kernel mode. */
    hc_count_other(HYPERVISOR_sched_op(SCHEDOP_block, NULL));
    this_vcpu()->evtchn_upcall_mask = 1;    /* the kernel runs masked */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
