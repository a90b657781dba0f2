/*
 * kernel.c - start_kernel(): the order in which a PV kernel sets itself up.
 *
 *   1. check the hypervisor wrote the hypercall page (nothing else works
 *      without it);
 *   2. install the virtual IDT and the callbacks (traps.c), so a fault
 *      from here on is reported instead of killing the domain;
 *   3. map shared_info (shared_info.c);
 *   4. set up the grant table (gnttab.c), as Mini-OS does, except in the
 *      modes that crash on purpose and in bench (its first-output count);
 *   5. run the mode named on the command line, then shut down.
 */
#include <stdarg.h>
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "traps.h"
#include "gnttab.h"
#include "guest-hypercall.h"

start_info_t *start_info;
unsigned long boot_rsp;

void start_kernel(start_info_t *si, unsigned long rsp);

/* The boot modes: the first one whose name is a word of the command line
 * runs; with no such word, the first entry runs. */
static const struct mode {
    const char *name;
    int (*main)(void);          /* returns the number of failures */
} modes[] = {
    { "hello", hello_main },     /* the default: facts and basic checks */
    { "crash", crash_main },     /* a deliberate unexpected fault */
    { "abi", abi_main },         /* hypercall and CPU rules, vs Xen 4.17 */
    { "mmu", mmu_main },         /* PV-MMU rules, vs Xen 4.17 */
    { "xsa", xsa_main },         /* PV-MMU advisory regressions, vs Xen 4.17 */
    { "nohandler", nohandler_main }, /* the rest must crash the domain: */
    { "badstack", badstack_main },   /*   #PF with no trap table, an */
    { "rostack", rostack_main },     /*   unwritable exception stack, */
    { "badiret", badiret_main },     /*   iret to a non-canonical rip */
    { "faultloop", faultloop_main }, /*   a #PF handler that faults, */
    { "stackoverflow", stackoverflow_main }, /* a kernel stack run dry */
    { "timer", timer_main },         /* set_timer_op, VIRQ_TIMER, event channels */
    { "spin", spin_main },           /* a domain that never yields */
    { "reaper", reaper_main },       /* dom0 ends domain 1 mid-run */
    { "attack", attack_main },       /* a domU trying to reach other domains */
    { "echo", echo_main },           /* read a line of console input */
    { "hcfuzz", hcfuzz_main },       /* hostile arguments to every hypercall */
    { "init", init_main },       /* own page tables, processes (initmode.c) */
    { "bench", bench_main },
    { "gnttab", gnttab_main },   /* grant-table rules, vs Xen 4.17 */
    { "gntdemo", gntdemo_main }, /* two domUs share a page (gntdemo.c) */     /* rdtsc per operation (bench.c, docs/bench.md) */
};

/* Modes that boot without a grant table: they crash on purpose, or count
 * instructions up to their first output (bench). */
static const char *const no_gnttab[] = {
    "crash", "nohandler", "badstack", "rostack", "badiret", "bench",
};

static bool wants_gnttab(const struct mode *m)
{
    for (size_t i = 0; i < ARRAY_SIZE(no_gnttab); i++)
        if (!strcmp(m->name, no_gnttab[i]))
            return false;
    return true;
}

/*
 * A hypercall without the hypercall page: the raw `syscall` instruction
 * the page's stubs are made of (rax = number, args rdi, rsi, rdx).  Used
 * only to report that the page is missing, then stop.
 */
static long raw_hypercall3(unsigned long nr, unsigned long a1,
                           unsigned long a2, unsigned long a3)
{
    register unsigned long rdi __asm__("rdi") = a1;
    register unsigned long rsi __asm__("rsi") = a2;
    register unsigned long rdx __asm__("rdx") = a3;
    unsigned long rax = nr;

    __asm__ volatile ("syscall"
                      : "+a" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx)
                      :
                      : "rcx", "r11", "r8", "r10", "memory");
    return (long)rax;
}

/* The page is poisoned with `ret` (0xc3) in head.S until it is written. */
static bool hypercall_page_written(void)
{
    for (size_t i = 0; i < sizeof(hypercall_page); i++)
        if ((unsigned char)hypercall_page[i] != 0xc3)
            return true;
    return false;
}

static noreturn void no_hypercall_page(void)
{
    static const char msg[] =
        "KTAP version 1\n1..1\n"
        "not ok 1 hypercall_page_written # page still poisoned\n"
        "# Test result: FAIL\n";
    struct sched_shutdown s = { .reason = SHUTDOWN_crash };

    raw_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
                   (unsigned long)msg);
    for (;;)
        raw_hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                       (unsigned long)&s, 0);
}

void start_kernel(start_info_t *si, unsigned long rsp)
{
    const struct mode *m = &modes[0];

    start_info = si;
    boot_rsp = rsp;

    if (!hypercall_page_written())
        no_hypercall_page();
    trap_init();
    map_shared_info();

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        if (has_word((const char *)si->cmd_line, modes[i].name)) {
            m = &modes[i];
            break;
        }
    }
    if (wants_gnttab(m))
        gnttab_boot();

    /* Failed checks are in the KTAP output; the shutdown is clean anyway. */
    m->main();
    shutdown(SHUTDOWN_poweroff);
}

noreturn void shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    console_flush();
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

noreturn void panic(const char *fmt, ...)
{
    static bool panicking;
    va_list ap;

    if (panicking)              /* a fault while reporting a fault */
        shutdown(SHUTDOWN_crash);
    panicking = true;

    console_end_line();
    printk("Bail out! ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n# Test result: FAIL\n");
    shutdown(SHUTDOWN_crash);
}
