/*
 * events.c - boot modes about time, event channels and other domains.
 *
 *   timer    one case per rule of set_timer_op, VIRQ_TIMER and event
 *            channels (bind_virq, bind_ipi, send, unmask, close, status),
 *            comparable with real Xen 4.17 through `# fact` lines;
 *   spin     loops forever without a hypercall: the hypervisor's tick must
 *            still let the other domains run;
 *   reaper   (dom0) lets the others run for a while, then shuts domain 1
 *            down with SCHEDOP_remote_shutdown: killing a domain mid-run.
 */
#include "abi.h"
#include "console.h"
#include "kernel.h"
#include "ktap.h"
#include "lib.h"
#include "guest-hypercall.h"

/* System time (ns) from our vcpu_time_info, Xen's formula. */
uint64_t now_ns(void)
{
    volatile struct vcpu_time_info *t = &this_vcpu()->time;
    uint32_t ver;
    uint64_t tsc, ns;
    uint32_t lo, hi;

    do {
        ver = t->version;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        tsc = ((uint64_t)hi << 32 | lo) - t->tsc_timestamp;
        tsc = t->tsc_shift >= 0 ? tsc << t->tsc_shift : tsc >> -t->tsc_shift;
        ns = t->system_time + (uint64_t)(((unsigned __int128)tsc * t->tsc_to_system_mul) >> 32);
    } while ((ver & 1) || ver != t->version);
    return ns;
}

static bool port_pending(unsigned int port)
{
    return (HYPERVISOR_shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static void port_clear(unsigned int port)
{
    __atomic_and_fetch(&HYPERVISOR_shared_info->evtchn_pending[port / 64],
                       ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

/* Block until `port` is pending (or give up after many wake-ups). */
static bool wait_port(unsigned int port)
{
    for (unsigned int i = 0; i < 1000 && !port_pending(port); i++)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    return port_pending(port);
}

int timer_main(void)
{
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct evtchn_bind_ipi bi = { .vcpu = 0 };
    struct evtchn_status st;
    struct evtchn_send sd;
    struct evtchn_close cl;
    uint64_t t0, t1;
    long rc;

    ktap_begin(17);
    /* Every PV vCPU starts with a 10 ms periodic VIRQ_TIMER (Xen's default). */
    rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL);
    ktap_case("vcpu_is_up", expect_rc("vcpu_is_up_0", rc, 1));
    rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, 5, NULL);
    ktap_case("vcpu_is_up_no_such_enoent", expect_rc("vcpu_is_up_5", rc, -XEN_ENOENT));
    {
        struct vcpu_set_periodic_timer pt = { .period_ns = 500000 };

        rc = HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt);
        ktap_case("periodic_below_1ms_einval", expect_rc("periodic_500us", rc, -XEN_EINVAL));
    }
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
    abi_fact("evt_bind_virq_timer", "%ld", rc);
    ktap_case("evtchn_bind_virq_timer", rc == 0 && bv.port > 0 ? NULL
              : ktap_reason("rc %ld port %u", rc, bv.port));
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
    ktap_case("evtchn_bind_virq_twice_eexist", expect_rc("evt_bind_virq_again", rc, -XEN_EEXIST));
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = bv.port };
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
    abi_fact("evt_status_virq", "%ld/%u/%u", rc, st.status, st.u.virq);
    ktap_case("evtchn_status_virq", rc == 0 && st.status == EVTCHNSTAT_virq &&
              st.u.virq == VIRQ_TIMER ? NULL : ktap_reason("rc %ld status %u", rc, st.status));

    /* The default periodic timer raises the port while we run (it never
     * wakes a blocked vCPU, so spin for up to 100 ms)... */
    port_clear(bv.port);
    for (uint64_t end = now_ns() + 100000000ULL; !port_pending(bv.port) && now_ns() < end; )
        __asm__ volatile("pause");
    ktap_case("periodic_timer_by_default", port_pending(bv.port) ? NULL
              : ktap_reason("no periodic VIRQ_TIMER within 100 ms"));
    /* ...until it is stopped; then only one-shot timers remain. */
    rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    ktap_case("stop_periodic_timer", expect_rc("stop_periodic", rc, 0));

    /* A timer 20 ms ahead: blocking returns with the VIRQ port pending. */
    port_clear(bv.port);
    t0 = now_ns();
    rc = HYPERVISOR_set_timer_op(t0 + 20000000ULL);
    abi_fact("timer_set", "%ld", rc);
    ktap_case("timer_fires_virq", wait_port(bv.port) ? NULL : ktap_reason("no VIRQ_TIMER"));
    t1 = now_ns();
    ktap_case("timer_not_early", t1 >= t0 + 20000000ULL ? NULL
              : ktap_reason("woke after %lu ns", (unsigned long)(t1 - t0)));
    /* A deadline already past fires at once. */
    port_clear(bv.port);
    rc = HYPERVISOR_set_timer_op(1);
    ktap_case("timer_past_fires_now", rc == 0 && wait_port(bv.port) ? NULL
              : ktap_reason("rc %ld", rc));
    port_clear(bv.port);

    /* An IPI port: send raises it; send on a VIRQ port is refused.  (Blocking
     * unmasked our events; mask them again so the upcall waits for us.) */
    this_vcpu()->evtchn_upcall_mask = 1;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi);
    ktap_case("evtchn_bind_ipi", rc == 0 && bi.port > 0 ? NULL : ktap_reason("rc %ld", rc));
    sd.port = bi.port;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_send, &sd);
    ktap_case("evtchn_send_ipi_pending", rc == 0 && port_pending(bi.port) ? NULL
              : ktap_reason("rc %ld", rc));
    sd.port = bv.port;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_send, &sd);
    ktap_case("evtchn_send_virq_einval", expect_rc("evt_send_virq", rc, -XEN_EINVAL));

    /* Unmasking events delivers the pending upcall to our callback. */
    {
        unsigned long before = events_delivered;

        this_vcpu()->evtchn_upcall_mask = 0;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);      /* any return to us */
        this_vcpu()->evtchn_upcall_mask = 1;
        ktap_case("upcall_delivered_when_unmasked", events_delivered > before ? NULL
                  : ktap_reason("no upcall"));
    }
    cl.port = bi.port;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
    abi_fact("evt_close", "%ld", rc);
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
    ktap_case("evtchn_close_twice_einval", expect_rc("evt_close_again", rc, -XEN_EINVAL));
    rc = HYPERVISOR_event_channel_op(99, &cl);
    ktap_case("evtchn_unknown_op_enosys", expect_rc("evt_op_99", rc, -XEN_ENOSYS));
    return ktap_end() ? 1 : 0;
}

int spin_main(void)
{
    printk("spin: looping forever without a hypercall\n");
    for (;;)
        __asm__ volatile("pause");
}

int reaper_main(void)
{
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct sched_remote_shutdown r = { .domain_id = 1, .reason = SHUTDOWN_poweroff };
    long rc;

    ktap_begin(3);
    HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
    /* Let the others run for half a second of system time. */
    HYPERVISOR_set_timer_op(now_ns() + 500000000ULL);
    ktap_case("reaper_slept", wait_port(bv.port) ? NULL : ktap_reason("no timer"));
    rc = HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &r);
    ktap_case("remote_shutdown_d1", rc == 0 ? NULL : ktap_reason("rc %ld", rc));
    r.domain_id = 77;
    rc = HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &r);
    ktap_case("remote_shutdown_unknown_esrch", rc == -XEN_ESRCH ? NULL
              : ktap_reason("rc %ld", rc));
    return ktap_end() ? 1 : 0;
}
