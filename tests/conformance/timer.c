/*
 * timer.c - the `timer` conformance group: set_timer_op, vcpu_op's timer
 * commands, VIRQ_TIMER and event channels (bind_virq, bind_ipi, send,
 * unmask, close, status), as real Xen 4.17 answers them to dom0.
 *
 * The order matters: the VIRQ port bound first is reused by the timer
 * cases, and the IPI cases run with events masked so that the upcall
 * waits until the case that checks its delivery.  Time-dependent checks
 * report 1/0 (it happened / it did not), never a duration.
 */
#include "conf.h"
#include "console.h"
#include "kernel.h"
#include "ktap.h"
#include "lib.h"
#include "guest-hypercall.h"

static struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
static struct evtchn_bind_ipi bi = { .vcpu = 0 };

static void vcpu_is_up(void)
{
    conf_rc("vcpu_op.is_up.vcpu0_is_1", "VCPUOP_is_up of a running vCPU returns 1",
            HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
    conf_rc("vcpu_op.is_up.no_such_vcpu_is_enoent",
            "a vCPU number the domain does not have is -ENOENT",
            HYPERVISOR_vcpu_op(VCPUOP_is_up, 5, NULL), -XEN_ENOENT);
}

static void periodic_too_fast(void)
{
    struct vcpu_set_periodic_timer pt = { .period_ns = 500000 };

    conf_rc("vcpu_op.periodic_timer.period_below_1ms_is_einval",
            "a periodic timer faster than 1 ms is refused with -EINVAL",
            HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), -XEN_EINVAL);
}

static void bind_virq(void)
{
    struct evtchn_status st;
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);

    conf_rc("event_channel_op.bind_virq.timer_succeeds",
            "VIRQ_TIMER can be bound to a fresh port of vCPU 0", rc, 0);
    conf_dec("event_channel_op.bind_virq.port_is_nonzero",
             "port 0 is reserved: the first bound port is at least 1", bv.port > 0, 1);
    conf_rc("event_channel_op.bind_virq.twice_is_eexist",
            "a VIRQ already bound on that vCPU is -EEXIST",
            HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_EEXIST);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = bv.port };
    conf_rc("event_channel_op.status.own_port_succeeds",
            "EVTCHNOP_status of our own bound port succeeds",
            HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0);
    conf_dec("event_channel_op.status.virq_port_is_evtchnstat_virq",
             "a port bound to a VIRQ reports status EVTCHNSTAT_virq", st.status,
             EVTCHNSTAT_virq);
    conf_dec("event_channel_op.status.virq_port_names_virq_timer",
             "the status of a VIRQ port names the VIRQ it is bound to", st.u.virq,
             VIRQ_TIMER);
}

static void periodic_default(void)
{
    /* The default periodic timer raises the port while we run (it never
     * wakes a blocked vCPU, so spin for up to 100 ms)... */
    port_clear(bv.port);
    for (uint64_t end = now_ns() + 100000000ULL; !port_pending(bv.port) && now_ns() < end; )
        __asm__ volatile("pause");
    conf_dec("vcpu_op.periodic_timer.on_by_default",
             "every PV vCPU starts with a 10 ms periodic VIRQ_TIMER",
             port_pending(bv.port), 1);
    /* ...until it is stopped; then only one-shot timers remain. */
    conf_rc("vcpu_op.periodic_timer.stop_succeeds",
            "VCPUOP_stop_periodic_timer stops the default timer",
            HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
}

static void one_shot(void)
{
    uint64_t t0, t1;
    long rc;

    /* A timer 20 ms ahead: blocking returns with the VIRQ port pending. */
    port_clear(bv.port);
    t0 = now_ns();
    rc = HYPERVISOR_set_timer_op(t0 + 20000000ULL);
    conf_rc("set_timer_op.deadline.future_succeeds",
            "set_timer_op takes an absolute system time in ns", rc, 0);
    conf_dec("set_timer_op.deadline.raises_virq_timer",
             "the one-shot timer raises VIRQ_TIMER and wakes a blocked vCPU",
             wait_port(bv.port), 1);
    t1 = now_ns();
    conf_dec("set_timer_op.deadline.never_early",
             "the timer never fires before its deadline", t1 >= t0 + 20000000ULL, 1);
    /* A deadline already past fires at once. */
    port_clear(bv.port);
    rc = HYPERVISOR_set_timer_op(1);
    conf_rc("set_timer_op.deadline.past_succeeds",
            "a deadline already in the past is accepted", rc, 0);
    conf_dec("set_timer_op.deadline.past_fires_at_once",
             "a deadline already in the past raises VIRQ_TIMER at once",
             wait_port(bv.port), 1);
    port_clear(bv.port);
}

static void ipi(void)
{
    struct evtchn_send sd;
    long rc;

    /* Blocking unmasked our events; mask them again so the upcall waits. */
    this_vcpu()->evtchn_upcall_mask = 1;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi);
    conf_rc("event_channel_op.bind_ipi.succeeds",
            "an IPI port can be bound to vCPU 0", rc, 0);
    conf_dec("event_channel_op.bind_ipi.port_is_nonzero",
             "the IPI port is a real port (not 0)", bi.port > 0, 1);
    sd.port = bi.port;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_send, &sd);
    conf_rc("event_channel_op.send.ipi_succeeds", "a domain may send on its own IPI port",
            rc, 0);
    conf_dec("event_channel_op.send.ipi_sets_pending",
             "sending on an IPI port sets its pending bit in shared_info",
             port_pending(bi.port), 1);
    sd.port = bv.port;
    conf_rc("event_channel_op.send.virq_port_is_einval",
            "only Xen raises a VIRQ: EVTCHNOP_send on a VIRQ port is -EINVAL",
            HYPERVISOR_event_channel_op(EVTCHNOP_send, &sd), -XEN_EINVAL);
}

static void upcall(void)
{
    unsigned long before = events_delivered;

    this_vcpu()->evtchn_upcall_mask = 0;
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);      /* any return to us */
    this_vcpu()->evtchn_upcall_mask = 1;
    conf_dec("event_channel_op.upcall.delivered_when_unmasked",
             "a pending port is delivered to the event callback once events are unmasked",
             events_delivered > before, 1);
}

static void close_port(void)
{
    struct evtchn_close cl = { .port = bi.port };

    conf_rc("event_channel_op.close.bound_port_succeeds", "a bound port can be closed",
            HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), 0);
    conf_rc("event_channel_op.close.twice_is_einval",
            "closing a port that is already free is -EINVAL",
            HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), -XEN_EINVAL);
    conf_rc("event_channel_op.cmd.unknown_is_enosys",
            "an unknown event_channel_op command (99) is -ENOSYS",
            HYPERVISOR_event_channel_op(99, &cl), -XEN_ENOSYS);
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    { "vcpu_is_up", vcpu_is_up },
    { "periodic_timer_too_fast", periodic_too_fast },
    { "evtchn_bind_virq_timer", bind_virq },
    { "periodic_timer_by_default", periodic_default },
    { "one_shot_timer", one_shot },
    { "evtchn_ipi", ipi },
    { "upcall_delivered_when_unmasked", upcall },
    { "evtchn_close", close_port },
};

int timer_main(void)
{
    ktap_begin(ARRAY_SIZE(cases));
    printk("# guest-kernel timer: timers and event channels, as Xen 4.17 answers them\n");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        cases[i].run();
        ktap_case(cases[i].name, conf_take());
    }
    return ktap_end() ? 1 : 0;
}
