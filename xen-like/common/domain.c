/*
 * domain.c - creating domains, ending them, and choosing who runs next.
 *
 * One physical CPU runs one vCPU at a time.  The running vCPU's registers
 * are in the frame at the top of the hypervisor stack; schedule() saves
 * them into the vCPU, picks the next runnable vCPU round-robin, loads its
 * registers into the frame and returns to it.  When no domain is left
 * running, the run ends with the last domain's reason.
 */
#include <stdarg.h>
#include "console.h"
#include "desc.h"
#include "dom0_build.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mm_env.h"
#include "mmu.h"
#include "event.h"
#include "time.h"
#include "panic.h"
#include "shutdown.h"
#include "x86.h"

struct vcpu *current;
static struct domain domains[MAX_DOMAINS];
static struct vcpu vcpus[MAX_DOMAINS][MAX_VIRT_CPUS_PER_DOMAIN];
static bool domain_used[MAX_DOMAINS];
static struct domain *last_to_stop;
static bool any_crashed;

extern struct cpu_user_regs *const cpu0_guest_frame;   /* head.S */
void __attribute__((noreturn)) return_to_guest(struct cpu_user_regs *frame);

struct cpu_user_regs *guest_cpu_user_regs(void)
{
    return cpu0_guest_frame;
}

struct domain *domain_list(unsigned int idx)
{
    return idx < MAX_DOMAINS && domain_used[idx] ? &domains[idx] : NULL;
}

struct domain *get_domain_by_id(domid_t domid)
{
    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
        if ( domain_used[i] && domains[i].domain_id == domid )
            return &domains[i];
    return NULL;
}

struct domain *domain_create(domid_t domid, bool privileged, unsigned int max_vcpus)
{
    struct domain *d = NULL;
    unsigned int slot;

    for ( slot = 0; slot < MAX_DOMAINS; slot++ )
        if ( !domain_used[slot] )
        {
            d = &domains[slot];
            break;
        }
    if ( !d || max_vcpus == 0 || max_vcpus > MAX_VIRT_CPUS_PER_DOMAIN )
        return NULL;
    memset(d, 0, sizeof(*d));
    d->domain_id = domid;
    d->is_privileged = privileged;
    d->io_rights = privileged;        /* dom0 may map I/O and use cache bits */
    d->max_vcpus = max_vcpus;
    d->state = DOMAIN_RUNNING;

    d->shared_info_mfn = alloc_xenheap_mfn();
    if ( mfn_eq(d->shared_info_mfn, INVALID_MFN) || perdomain_init(d) )
        return NULL;
    /* shared_info is a hypervisor page the guest may map: it belongs to d. */
    mfn_to_page(d->shared_info_mfn)->owner = domid;
    d->shared_info = mfn_to_virt(d->shared_info_mfn);

    for ( unsigned int i = 0; i < max_vcpus; i++ )
    {
        struct vcpu *v = &vcpus[slot][i];

        memset(v, 0, sizeof(*v));
        v->vcpu_id = i;
        v->domain = d;
        v->kernel_mode = true;
        v->guest_table = v->guest_table_user = INVALID_MFN;
        v->old_guest_table = INVALID_MFN;
        v->periodic_period = 10000000;    /* Xen's default: a 10 ms tick */
        for ( unsigned int f = 0; f < GUEST_GDT_FRAMES; f++ )
            v->gdt_frames[f] = INVALID_MFN;
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        /* Events start masked, as on Xen, although RFLAGS.IF is set. */
        v->vcpu_info->evtchn_upcall_mask = 1;
        d->vcpu[i] = v;
    }
    domain_used[slot] = true;
    return d;
}

static const char *shutdown_name(unsigned int reason)
{
    switch ( reason )
    {
    case SHUTDOWN_poweroff: return "poweroff";
    case SHUTDOWN_reboot: return "reboot";
    case SHUTDOWN_suspend: return "suspend";
    case SHUTDOWN_crash: return "crash";
    case SHUTDOWN_watchdog: return "watchdog";
    case SHUTDOWN_soft_reset: return "soft_reset";
    default: return "unknown";
    }
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    if ( d->state != DOMAIN_RUNNING )
        return;
    d->state = reason == SHUTDOWN_crash ? DOMAIN_CRASHED : DOMAIN_SHUTDOWN;
    any_crashed |= reason == SHUTDOWN_crash;
    d->shutdown_code = reason;
    last_to_stop = d;
    printk("Domain %u shut down: reason %u (%s)\n", d->domain_id, reason,
           shutdown_name(reason));
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    va_list ap;

    if ( d->state == DOMAIN_CRASHED )
        return;                               /* keep the first reason */
    va_start(ap, fmt);
    vsnprintf(d->crash_reason, sizeof(d->crash_reason), fmt, ap);
    va_end(ap);
    printk(XENLOG_ERR "Domain %u crashed: %s\n", d->domain_id, d->crash_reason);
    d->state = DOMAIN_RUNNING;                /* let domain_shutdown record it */
    domain_shutdown(d, SHUTDOWN_crash);
}

/*
 * A domain that has shut down is torn down at once (there is no toolstack
 * to do it later): the CPU leaves its page tables first, then every frame
 * goes back, scrubbed, and the count is checked.
 */
static void domain_destroy(struct domain *d)
{
    unsigned long before = free_pages, left;

    write_cr3(virt_to_maddr(idle_pg_table));
    arch_flush_tlb_local();
    load_vcpu_gdt(NULL);
    if ( current && current->domain == d )
        current = NULL;
    left = domain_relinquish_memory(d);
    free_xenheap_mfn(d->perdomain_l1);
    free_xenheap_mfn(d->perdomain_l2);
    free_xenheap_mfn(d->perdomain_l3);
    for ( unsigned long i = 0; d->translated && i < P2M_MAX_PAGES; i++ )
        free_xenheap_mfn(d->p2m_pages[i]);
    d->state = DOMAIN_DEAD;
    printk("Domain %u destroyed: %lu frames returned, %lu still owned%s\n",
           d->domain_id, free_pages - before, left, left ? " (LEAK)" : "");
}

/* Does any live vCPU wait for a timer? */
static bool timer_pending(void)
{
    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        struct domain *d = domain_list(i);

        for ( unsigned int n = 0; d && d->state == DOMAIN_RUNNING && n < d->max_vcpus; n++ )
            if ( d->vcpu[n]->timer_deadline )
                return true;
    }
    return false;
}

static bool vcpu_runnable(const struct vcpu *v)
{
    return v->domain->state == DOMAIN_RUNNING && !v->blocked;
}

/* Put a vCPU's state on the CPU: page tables, GDT, segment bases. */
static void context_switch_to(struct vcpu *next)
{
    struct cpu_user_regs *frame = guest_cpu_user_regs();
    mfn_t root = next->kernel_mode ? next->guest_table : next->guest_table_user;

    if ( current && current != next )
        current->user_regs = *frame;
    if ( current != next )
    {
        *frame = next->user_regs;
        write_cr3(mfn_to_maddr(root));
        arch_flush_tlb_local();      /* guest user pages are global (G) */
        load_vcpu_gdt(next);
        wrmsr(MSR_FS_BASE, next->fs_base);
        wrmsr(MSR_GS_BASE, next->kernel_mode ? next->gs_base_kernel : next->gs_base_user);
        wrmsr(MSR_SHADOW_GS_BASE, next->kernel_mode ? next->gs_base_user
                                                    : next->gs_base_kernel);
        if ( next->virtual_ts )
            write_cr0(read_cr0() | X86_CR0_TS);
        else
            clts();
    }
    current = next;
}

void schedule(void)
{
    static unsigned int rr;
    unsigned int alive = 0;

    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        struct domain *d = domain_list(i);

        if ( d && (d->state == DOMAIN_SHUTDOWN || d->state == DOMAIN_CRASHED) )
            domain_destroy(d);
    }

    /* Round robin: start with the vCPU after the one that ran last. */
    for ( unsigned int n = 1; n <= MAX_DOMAINS * MAX_VIRT_CPUS_PER_DOMAIN; n++ )
    {
        unsigned int i = (rr + n) % (MAX_DOMAINS * MAX_VIRT_CPUS_PER_DOMAIN);
        struct domain *d = domain_list(i / MAX_VIRT_CPUS_PER_DOMAIN);
        struct vcpu *v;

        if ( !d || (i % MAX_VIRT_CPUS_PER_DOMAIN) >= d->max_vcpus )
            continue;
        v = d->vcpu[i % MAX_VIRT_CPUS_PER_DOMAIN];
        if ( d->state == DOMAIN_RUNNING )
            alive++;
        if ( !vcpu_runnable(v) )
            continue;
        rr = i;
        context_switch_to(v);
        update_vcpu_system_time(v);
        check_events(guest_cpu_user_regs());
        return_to_guest(guest_cpu_user_regs());
    }
    if ( alive )
    {
        /* Everyone is blocked.  If a timer can still wake someone, idle
         * until the tick; otherwise nothing ever will. */
        if ( !timer_pending() )
            machine_stop(STOP_CRASH, "every running vCPU is blocked and nothing can "
                         "wake one (no timer set)");
        __asm__ volatile("sti; hlt; cli" ::: "memory");
        run_guest_timers();
        schedule();
    }

    /* The auditor's scratch (mmu_audit=1 or the 'a' debug key) is taken
     * once from the free frames and kept: it is no domain's leak. */
    {
        unsigned long scratch = mmu_audit_scratch_frames();

        printk("Frame accounting: %lu frames free before the domains were built, %lu "
               "now%s%s\n", frames_free_without_domains, free_pages + scratch,
               scratch ? " (counting the auditor's scratch frames)" : "",
               free_pages + scratch == frames_free_without_domains ? "" : " (MISMATCH)");
    }
    if ( !last_to_stop )
        machine_stop(STOP_POWEROFF, "no domains");
    /* The run's status says whether any domain crashed, not only the last. */
    if ( any_crashed && last_to_stop->shutdown_code != SHUTDOWN_crash )
        machine_stop(STOP_CRASH, "all domains ended; at least one crashed");
    switch ( last_to_stop->shutdown_code )
    {
    case SHUTDOWN_poweroff:
        machine_stop(STOP_POWEROFF, "last domain (d%u) powered off",
                     last_to_stop->domain_id);
    case SHUTDOWN_reboot:
        machine_stop(STOP_REBOOT, "last domain (d%u) asked for a reboot",
                     last_to_stop->domain_id);
    case SHUTDOWN_crash:
        machine_stop(STOP_CRASH, "last domain (d%u) crashed: %s",
                     last_to_stop->domain_id,
                     last_to_stop->crash_reason[0] ? last_to_stop->crash_reason
                                                   : "it said so (SHUTDOWN_crash)");
    default:
        machine_stop(STOP_POWEROFF, "last domain (d%u) shut down (reason %u)",
                     last_to_stop->domain_id, last_to_stop->shutdown_code);
    }
}
