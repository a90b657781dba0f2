/*
 * time.c - the timer tick, system time, and guests' one-shot timers.
 *
 * The PIT fires IRQ 0 a hundred times a second through the 8259 PIC
 * (remapped to vectors 0x20-0x2f).  Each tick: the running vCPU's time
 * area is refreshed, expired guest timers (set_timer_op) raise VIRQ_TIMER,
 * and the running vCPU is preempted so a domain that spins forever cannot
 * starve the others.  Interrupts reach the hypervisor only while a guest
 * runs (or the CPU idles): hypervisor code itself runs with IF clear.
 *
 * System time is nanoseconds since boot, from the TSC; each vCPU's
 * vcpu_time_info says how to compute it from the TSC, as on Xen:
 * ns = system_time + ((tsc - tsc_timestamp) << tsc_shift) * mul >> 32.
 */
#include "console.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "hypercall.h"
#include "time.h"
#include "x86.h"

#define PIT_HZ       1193182U
#define TICK_HZ      100U
#define PIC_VECTOR   0x20

static uint32_t tsc_mul;
static int8_t tsc_shift;
unsigned long ticks;

static void pic_init(void)
{
    outb(0x20, 0x11); outb(0xa0, 0x11);          /* ICW1: edge, cascade, ICW4 */
    outb(0x21, PIC_VECTOR); outb(0xa1, PIC_VECTOR + 8);
    outb(0x21, 0x04); outb(0xa1, 0x02);          /* cascade on IRQ 2 */
    outb(0x21, 0x01); outb(0xa1, 0x01);          /* 8086 mode */
    outb(0x21, 0xfe); outb(0xa1, 0xff);          /* only IRQ 0 */
}

void time_init(void)
{
    uint64_t hz = (uint64_t)cpu_khz * 1000;
    unsigned int div = PIT_HZ / TICK_HZ;

    /* mul/shift such that ns = (tsc << shift) * mul >> 32 with mul < 2^32:
     * shift until one (shifted) tick is shorter than a nanosecond. */
    tsc_shift = 0;
    while ( hz && (hz << tsc_shift) <= 1000000000ULL && tsc_shift < 31 )
        tsc_shift++;
    tsc_mul = hz ? (uint32_t)((1000000000ULL << 32) / (hz << tsc_shift)) : 0;
    pic_init();
    outb(0x43, 0x34);                            /* ch0, lo/hi, rate generator */
    outb(0x40, div & 0xff);
    outb(0x40, div >> 8);
}

unsigned long long system_time_ns(void)
{
    return boot_time_ns();
}

/* Publish the time to a vCPU, with Xen's version protocol (odd = busy). */
void update_vcpu_system_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;

    t->version++;
    __asm__ volatile("" ::: "memory");
    t->tsc_timestamp = rdtsc();
    t->system_time = system_time_ns();
    t->tsc_to_system_mul = tsc_mul;
    t->tsc_shift = tsc_shift;
    __asm__ volatile("" ::: "memory");
    t->version++;
}

/* set_timer_op(deadline): one shot at an absolute system time, 0 cancels.
 * A deadline already past fires at once. */
long do_set_timer_op(unsigned long deadline)
{
    struct vcpu *v = current;

    v->timer_deadline = deadline;
    if ( deadline && deadline <= system_time_ns() )
    {
        v->timer_deadline = 0;
        send_guest_vcpu_virq(v, VIRQ_TIMER);
    }
    return 0;
}

/*
 * vcpu_op: the timer commands (and is_up).  Every PV vCPU starts with a
 * 10 ms periodic VIRQ_TIMER, as on Xen; guests that want only one-shot
 * timers stop it.
 */
long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg)
{
    struct domain *d = current->domain;
    struct vcpu *v;

    if ( vcpuid >= d->max_vcpus || !(v = d->vcpu[vcpuid]) )
        return -XEN_ENOENT;
    switch ( cmd )
    {
    case VCPUOP_is_up:
        return 1;
    case VCPUOP_set_periodic_timer:
    {
        struct vcpu_set_periodic_timer t;

        if ( copy_from_guest(&t, arg, sizeof(t)) )
            return -XEN_EFAULT;
        if ( t.period_ns < 1000000 )
            return -XEN_EINVAL;               /* at least 1 ms */
        v->periodic_period = t.period_ns;
        v->periodic_next = system_time_ns() + t.period_ns;
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        v->periodic_period = 0;
        return 0;
    case VCPUOP_set_singleshot_timer:
    {
        struct vcpu_set_singleshot_timer t;

        if ( v != current )
            return -XEN_EINVAL;
        if ( copy_from_guest(&t, arg, sizeof(t)) )
            return -XEN_EFAULT;
        if ( (t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < system_time_ns() )
            return -XEN_ETIME;
        return do_set_timer_op(t.timeout_abs_ns ? t.timeout_abs_ns : 1);
    }
    case VCPUOP_stop_singleshot_timer:
        if ( v != current )
            return -XEN_EINVAL;
        v->timer_deadline = 0;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* Fire every expired timer.  Called on ticks and when the CPU idles. */
void run_guest_timers(void)
{
    unsigned long long now = system_time_ns();

    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        struct domain *d = domain_list(i);

        for ( unsigned int n = 0; d && d->state == DOMAIN_RUNNING && n < d->max_vcpus; n++ )
        {
            struct vcpu *v = d->vcpu[n];

            if ( v->timer_deadline && v->timer_deadline <= now )
            {
                v->timer_deadline = 0;
                send_guest_vcpu_virq(v, VIRQ_TIMER);
            }
            /* The periodic tick runs only while its vCPU runs (Xen stops it
             * when the vCPU is switched out): it never wakes a sleeper. */
            if ( v == current && v->periodic_period && v->periodic_next <= now )
            {
                send_guest_vcpu_virq(v, VIRQ_TIMER);
                v->periodic_next = now + v->periodic_period;
            }
        }
    }
}

/* IRQ 0.  Returns true if the running vCPU should give up the CPU. */
bool timer_interrupt(void)
{
    outb(0x20, 0x20);                            /* EOI */
    ticks++;
    console_poll_input();
    run_guest_timers();
    if ( current )
        update_vcpu_system_time(current);
    return true;                                 /* a tick is a time slice */
}
