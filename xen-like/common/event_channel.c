/*
 * event_channel.c - event channels: the PV guest's interrupts.
 *
 * A port is a bit in shared_info's evtchn_pending bitmap (and one in
 * evtchn_mask).  Raising a port sets its pending bit; if it is not masked,
 * the bit for its word is set in the vCPU's evtchn_pending_sel and
 * evtchn_upcall_pending is set.  On the way back to the guest, a vCPU with
 * an upcall pending and events not masked (evtchn_upcall_mask == 0) is sent
 * to its event callback with Xen's exception-style frame, events masked.
 *
 * Enough of the ABI for timers and notification: bind_virq, bind_ipi,
 * send, unmask, close, status (2-level ABI, ports 1..NR_EVTCHN-1).
 */
#include "console.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "traps.h"

#define BITS 64

static bool test_and_set(unsigned long *words, unsigned int bit)
{
    bool old = (words[bit / BITS] >> (bit % BITS)) & 1;

    words[bit / BITS] |= 1UL << (bit % BITS);
    return old;
}

static bool test_bit_(const unsigned long *words, unsigned int bit)
{
    return (words[bit / BITS] >> (bit % BITS)) & 1;
}

/* Raise `port` of d, notifying vCPU `vcpu_id`. */
void evtchn_set_pending(struct domain *d, unsigned int vcpu_id, unsigned int port)
{
    struct shared_info *s = d->shared_info;
    struct vcpu *v = d->vcpu[vcpu_id];

    if ( test_and_set((unsigned long *)s->evtchn_pending, port) )
        return;                                  /* already pending */
    if ( test_bit_((unsigned long *)s->evtchn_mask, port) )
        return;                                  /* masked: stays pending */
    if ( !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS) )
        v->vcpu_info->evtchn_upcall_pending = 1;
    v->blocked = false;                          /* an event wakes the vCPU */
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    unsigned int port = virq < NR_VIRQS ? v->virq_to_port[virq] : 0;

    if ( port )
        evtchn_set_pending(v->domain, v->vcpu_id, port);
    else
        v->blocked = false;                      /* a timer wakes a blocked vCPU anyway */
}

static int get_free_port(struct domain *d)
{
    for ( unsigned int p = 1; p < NR_EVTCHN; p++ )
        if ( d->evtchn[p].state == ECS_FREE )
            return (int)p;
    return -XEN_ENOSPC;
}

static long evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
    struct vcpu *v;
    int port;

    if ( b->virq >= NR_VIRQS )
        return -XEN_EINVAL;
    if ( b->vcpu >= d->max_vcpus || !(v = d->vcpu[b->vcpu]) )
        return -XEN_ENOENT;
    if ( v->virq_to_port[b->virq] )
        return -XEN_EEXIST;
    if ( (port = get_free_port(d)) < 0 )
        return port;
    d->evtchn[port] = (struct evtchn){ .state = ECS_VIRQ, .vcpu = b->vcpu,
                                       .virq = (uint16_t)b->virq };
    v->virq_to_port[b->virq] = (uint16_t)port;
    b->port = (evtchn_port_t)port;
    return 0;
}

static long evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
    int port;

    if ( b->vcpu >= d->max_vcpus || !d->vcpu[b->vcpu] )
        return -XEN_ENOENT;
    if ( (port = get_free_port(d)) < 0 )
        return port;
    d->evtchn[port] = (struct evtchn){ .state = ECS_IPI, .vcpu = b->vcpu };
    b->port = (evtchn_port_t)port;
    return 0;
}

static bool port_ok(const struct domain *d, evtchn_port_t port)
{
    return port > 0 && port < NR_EVTCHN && d->evtchn[port].state != ECS_FREE;
}

static long evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c;

    if ( !port_ok(d, port) )
        return -XEN_EINVAL;
    c = &d->evtchn[port];
    if ( c->state == ECS_VIRQ )
        d->vcpu[c->vcpu]->virq_to_port[c->virq] = 0;
    ((unsigned long *)d->shared_info->evtchn_pending)[port / BITS] &= ~(1UL << (port % BITS));
    *c = (struct evtchn){ .state = ECS_FREE };
    return 0;
}

static long evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    struct vcpu *v;

    if ( !port_ok(d, port) )
        return -XEN_EINVAL;
    v = d->vcpu[d->evtchn[port].vcpu];
    ((unsigned long *)s->evtchn_mask)[port / BITS] &= ~(1UL << (port % BITS));
    if ( test_bit_((unsigned long *)s->evtchn_pending, port) &&
         !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS) )
        v->vcpu_info->evtchn_upcall_pending = 1;
    return 0;
}

static long evtchn_status(struct domain *cur, struct evtchn_status *st)
{
    struct domain *d = st->dom == DOMID_SELF ? cur : get_domain_by_id(st->dom);
    const struct evtchn *c;

    if ( !d )
        return -XEN_ESRCH;
    if ( d != cur && !cur->is_privileged )
        return -XEN_EPERM;
    if ( st->port >= NR_EVTCHN )
        return -XEN_EINVAL;
    c = &d->evtchn[st->port];
    st->vcpu = c->vcpu;
    switch ( c->state )
    {
    case ECS_FREE: st->status = EVTCHNSTAT_closed; break;
    case ECS_VIRQ: st->status = EVTCHNSTAT_virq; st->u.virq = c->virq; break;
    case ECS_IPI: st->status = EVTCHNSTAT_ipi; break;
    }
    return 0;
}

#define COPY_IN(x)  do { if ( copy_from_guest(&(x), arg, sizeof(x)) ) return -XEN_EFAULT; } while ( 0 )
#define COPY_OUT(x) (copy_to_guest(arg, &(x), sizeof(x)) ? -XEN_EFAULT : 0)

long do_event_channel_op(unsigned long cmd, unsigned long arg)
{
    struct domain *d = current->domain;
    long rc;

    switch ( cmd )
    {
    case EVTCHNOP_bind_virq:
    {
        struct evtchn_bind_virq b;

        COPY_IN(b);
        return (rc = evtchn_bind_virq(d, &b)) ? rc : COPY_OUT(b);
    }
    case EVTCHNOP_bind_ipi:
    {
        struct evtchn_bind_ipi b;

        COPY_IN(b);
        return (rc = evtchn_bind_ipi(d, &b)) ? rc : COPY_OUT(b);
    }
    case EVTCHNOP_send:
    {
        struct evtchn_send s;

        COPY_IN(s);
        if ( !port_ok(d, s.port) )
            return -XEN_EINVAL;
        if ( d->evtchn[s.port].state != ECS_IPI )
            return -XEN_EINVAL;                  /* a VIRQ is raised by Xen only */
        evtchn_set_pending(d, d->evtchn[s.port].vcpu, s.port);
        return 0;
    }
    case EVTCHNOP_unmask:
    {
        struct evtchn_unmask u;

        COPY_IN(u);
        return evtchn_unmask(d, u.port);
    }
    case EVTCHNOP_close:
    {
        struct evtchn_close c;

        COPY_IN(c);
        return evtchn_close(d, c.port);
    }
    case EVTCHNOP_status:
    {
        struct evtchn_status st;

        COPY_IN(st);
        return (rc = evtchn_status(d, &st)) ? rc : COPY_OUT(st);
    }
    default:
        return -XEN_ENOSYS;
    }
}

/* On the way back to the guest: deliver a pending upcall, if allowed. */
void check_events(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;

    if ( !v || v->domain->state != DOMAIN_RUNNING || !v->event_callback_eip ||
         !v->vcpu_info->evtchn_upcall_pending || v->vcpu_info->evtchn_upcall_mask )
        return;
    pv_bounce(regs, v->event_callback_eip, true);
}
