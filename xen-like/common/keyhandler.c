/*
 * keyhandler.c - debug keys: single keys typed on the serial console while
 * it is switched to the hypervisor (Ctrl-A three times, see console_io.c),
 * each running a handler that prints what it sees, as Xen's keyhandlers do.
 *
 *   h  this list
 *   q  domains and vCPUs: state, pages, base pointers, deferred put
 *   m  memory: every frame counted by owner and type (mm/frame_census.c)
 *   p  every live domain's page-table tree (mm/pt_dump.c; tools/pt-graph.awk
 *      turns it into a picture)
 *   a  run the PV-MMU auditor (mm/audit.c) now and print its verdict
 *   t  toggle the f·g trace of mmu_trace=1 (mm/trace.c)
 *
 * Keys are handled where the input is drained: on the timer tick and in
 * CONSOLEIO_read.  Interrupts are off in the hypervisor except while it
 * idles, so a handler never runs in the middle of an MMU hypercall; it sees
 * the state the core leaves between hypercalls (which may include a
 * preempted operation's partial frames and deferred puts).
 */
#include "console.h"
#include "domain.h"
#include "mmu.h"

static void key_help(void);

static void key_domains(void)
{
    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        static const char *const states[] = { "running", "shutdown", "crashed", "dead" };
        const struct domain *d = domain_list(i);

        if ( !d )
            continue;
        printk("d%u: %s%s%s tot_pages=%lu max_pages=%lu vcpus=%u l4_pages=%lu\n",
               d->domain_id, states[d->state], d->is_privileged ? " privileged" : "",
               d->translated ? " translate" : "", d->tot_pages, d->max_pages,
               d->max_vcpus, d->nr_l4_pages);
        for ( unsigned int n = 0; n < d->max_vcpus && n < MAX_VIRT_CPUS_PER_DOMAIN; n++ )
        {
            const struct vcpu *v = d->vcpu[n];

            if ( !v )
                continue;
            /* A running vCPU's registers are on the hypervisor stack, not in
             * user_regs: its rip is only shown while it is switched out. */
            if ( v == current )
                printk("d%u v%u: current %s cr3=%#lx ucr3=%#lx",
                       d->domain_id, n, v->kernel_mode ? "kernel" : "user",
                       mfn_x(v->guest_table), mfn_x(v->guest_table_user));
            else
                printk("d%u v%u: %s %s rip=%#lx cr3=%#lx ucr3=%#lx",
                       d->domain_id, n, v->blocked ? "blocked" : "runnable",
                       v->kernel_mode ? "kernel" : "user", (unsigned long)v->user_regs.rip,
                       mfn_x(v->guest_table), mfn_x(v->guest_table_user));
            printk(" old_guest_table=%#lx%s\n", mfn_x(v->old_guest_table),
                   v->old_guest_table_partial ? " (partial)" : "");
        }
    }
}

static void key_memory(void)
{
    frame_census();
}

static void key_pagetables(void)
{
    for ( unsigned int i = 0; i < MAX_DOMAINS; i++ )
    {
        const struct domain *d = domain_list(i);

        if ( d && d->state != DOMAIN_DEAD )
            pt_dump_domain(d);
    }
}

static void key_audit(void)
{
    static char why[256];
    int inv = mmu_audit(why, sizeof(why));

    if ( inv == 0 )
        printk("mmu_audit: OK (every count matches the recount)\n");
    else
        printk("mmu_audit: FAILED %d: %s\n", inv, why);
}

static void key_trace(void)
{
    mmu_trace_enabled = !mmu_trace_enabled;
    printk("mmu_trace is now %s\n", mmu_trace_enabled ? "on" : "off");
}

static const struct keyhandler {
    char key;
    void (*fn)(void);
    const char *desc;
} keys[] = {
    { 'h', key_help,       "show this list of debug keys" },
    { 'q', key_domains,    "dump domains and vCPUs" },
    { 'm', key_memory,     "count frames by owner and type" },
    { 'p', key_pagetables, "dump each domain's page-table tree" },
    { 'a', key_audit,      "run the PV-MMU auditor (mmu_audit) now" },
    { 't', key_trace,      "toggle the f.g trace (mmu_trace)" },
};

static void key_help(void)
{
    printk("Debug keys (Ctrl-A three times gives the input back to a domain):\n");
    for ( unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++ )
        printk(" '%c' %s\n", keys[i].key, keys[i].desc);
}

void handle_keypress(char c)
{
    if ( c == '\r' || c == '\n' || c == ' ' )
        return;                                 /* typing habits, not keys */
    for ( unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++ )
        if ( keys[i].key == c )
        {
            printk("'%c' pressed -> %s\n", c, keys[i].desc);
            keys[i].fn();
            return;
        }
    if ( c >= 0x20 && c < 0x7f )
        printk("'%c' pressed: no such debug key ('h' lists them)\n", c);
    else
        printk("key 0x%02x pressed: no such debug key ('h' lists them)\n",
               (unsigned int)(unsigned char)c);
}
