/*
 * multicall.c - multicall(list, nr): several hypercalls for the price of one
 * entry into the hypervisor.
 *
 * Entries run in order; each one's return value goes to its `result` and
 * the batch goes on even if an entry failed (the multicall itself returns
 * 0).  It stops early when an entry was HYPERVISOR_iret (and then returns
 * the rax of the iret's frame, as Xen does) or otherwise left guest kernel
 * mode (a batch must not run kernel-only calls on behalf of user mode:
 * XSA-213), and when an entry was preempted: that entry's new
 * arguments are written back and the multicall continues from it.
 * Multicalls cannot nest (-EINVAL).
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm_env.h"

long do_multicall(unsigned long list, unsigned long nr_calls)
{
    struct vcpu *v = current;
    struct multicall_entry mc;
    unsigned long i;
    long rc = 0;

    if ( v->in_multicall )
        return -XEN_EINVAL;
    v->in_multicall = true;
    v->mc_entry = &mc;

    for ( i = 0; i < (unsigned int)nr_calls; i++ )
    {
        unsigned long addr = list + i * sizeof(mc);

        if ( i && hypercall_preempt_check() )
            break;
        if ( copy_from_guest(&mc, addr, sizeof(mc)) )
        {
            rc = -XEN_EFAULT;
            break;
        }
        v->mc_preempted = false;
        mc.result = (xen_ulong_t)hypercall_dispatch(mc.op, mc.args[0], mc.args[1],
                                                    mc.args[2], mc.args[3], mc.args[4]);
        if ( v->mc_preempted )
        {
            /* The entry stays, with its continuation's arguments. */
            if ( copy_to_guest(addr, &mc, sizeof(mc)) )
                rc = -XEN_EFAULT;
            break;
        }
        if ( copy_to_guest(addr + offsetof(struct multicall_entry, result), &mc.result,
                           sizeof(mc.result)) )
        {
            rc = -XEN_EFAULT;
            break;
        }
        if ( mc.op == __HYPERVISOR_iret || !v->kernel_mode ||
             v->domain->state != DOMAIN_RUNNING )
        {
            /* The iret restored the guest's rax: the multicall returns it,
             * as Xen 4.17 does, rather than clobbering it with 0. */
            if ( mc.op == __HYPERVISOR_iret )
                rc = (long)mc.result;
            i = nr_calls;              /* the batch ends here (XSA-213) */
            break;
        }
    }

    v->in_multicall = false;
    v->mc_entry = NULL;
    if ( rc == 0 && i < (unsigned int)nr_calls )
        return hypercall_create_continuation(__HYPERVISOR_multicall, 2,
                                             list + i * sizeof(mc), nr_calls - i,
                                             0, 0, 0);
    return rc;
}
