/*
 * events.c - system time, event-channel ports, and two boot modes about
 * other domains (the `timer` conformance group is tests/conformance/timer.c):
 *
 *   spin     loops forever without a hypercall: the hypervisor's tick must
 *            still let the other domains run;
 *   reaper   (dom0) lets the others run for a while, then shuts domain 1
 *            down with SCHEDOP_remote_shutdown: killing a domain mid-run.
 */
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

bool port_pending(unsigned int port)
{
    return (HYPERVISOR_shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

void port_clear(unsigned int port)
{
    __atomic_and_fetch(&HYPERVISOR_shared_info->evtchn_pending[port / 64],
                       ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

/* Block until `port` is pending (or give up after many wake-ups). */
bool wait_port(unsigned int port)
{
    for (unsigned int i = 0; i < 1000 && !port_pending(port); i++)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    return port_pending(port);
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
