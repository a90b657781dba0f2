/*
 * sched_op.c - sched_op: yield, block, shutdown.
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"

long do_sched_op(unsigned long cmd, unsigned long arg)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;

    switch ( cmd )
    {
    case SCHEDOP_yield:
        v->need_resched = true;       /* acted on when the hypercall returns */
        return 0;
    case SCHEDOP_block:
        /*
         * As on Xen, blocking first enables event delivery (clears the
         * upcall mask), then sleeps until an event is pending; one already
         * pending wakes at once and is delivered on the way back.
         */
        v->vcpu_info->evtchn_upcall_mask = 0;
        if ( !v->vcpu_info->evtchn_upcall_pending )
            v->blocked = true;
        return 0;
    case SCHEDOP_shutdown:
    {
        struct sched_shutdown s;

        if ( copy_from_guest(&s, arg, sizeof(s)) )
            return -XEN_EFAULT;
        domain_shutdown(d, s.reason);
        return 0;                     /* the domain does not run again */
    }
    case SCHEDOP_remote_shutdown:
    {
        /* The privileged domain ends another one (as a toolstack would). */
        struct sched_remote_shutdown r;
        struct domain *t;

        if ( copy_from_guest(&r, arg, sizeof(r)) )
            return -XEN_EFAULT;
        if ( !d->is_privileged )
            return -XEN_EPERM;
        if ( !(t = get_domain_by_id(r.domain_id)) || t->state == DOMAIN_DEAD )
            return -XEN_ESRCH;
        printk("d%u shuts d%u down (reason %u)\n", d->domain_id, t->domain_id, r.reason);
        domain_shutdown(t, r.reason);
        return 0;
    }
    case SCHEDOP_shutdown_code:
    {
        struct sched_shutdown s;

        if ( copy_from_guest(&s, arg, sizeof(s)) )
            return -XEN_EFAULT;
        d->shutdown_code = s.reason;  /* used if it later shuts down without one */
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}
