/*
 * bench.c - the `bench` boot mode (command line `bench`, or `bench quick`
 * for the smoke run): how many instructions each PV-MMU and process
 * operation costs, the same binary on real Xen 4.17 and on xen-like.
 * See include/bench.h for the method and docs/bench.md for the results.
 *
 * Order:
 *   1. boot_to_first_output: the TSC head.S read at our first instruction
 *      (under icount: everything since QEMU started: firmware, the
 *      hypervisor's boot, the domain builder);
 *   2. the kernel of the `init` mode: own page tables (kpt.c), the syscall
 *      entry; the periodic timer is stopped (fewer interrupts to measure);
 *   3. kernel-side groups: bench_mmu.c, bench_pin.c;
 *   4. the user program `bench` (user/bench.c): system call round trip,
 *      fork + exit, copy-on-write; it prints its own result lines;
 *   5. when it has exited, one KTAP case and poweroff.
 * `bench scaling` (make bench-scaling, one boot per dom0_mem size): only 1,
 * 2 and the mmu_update batches of bench_mmu.c, then 5.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "os.h"
#include "bench.h"
#include "guest-hypercall.h"

bool bench_quick;
bool bench_scaling;

void bench_result(const char *op, uint64_t value, const char *unit)
{
    printk("# bench %s %lu %s\n", op, (unsigned long)value, unit);
}

static void sort(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

uint64_t bench_run(const char *op, const char *unit, unsigned int reps,
                   uint64_t div, uint64_t (*fn)(void *arg), void *arg)
{
    static uint64_t d[BENCH_MAX_REPS];

    if (reps > BENCH_MAX_REPS)
        reps = BENCH_MAX_REPS;
    if (!reps)
        reps = 1;
    for (unsigned int i = 0; i < reps; i++)
        d[i] = fn(arg);
    sort(d, reps);
    bench_result(op, d[0] / div, unit);
    printk("# bench-stats %s min %lu median %lu max %lu (%u runs, /%lu)\n", op,
           (unsigned long)d[0], (unsigned long)d[reps / 2],
           (unsigned long)d[reps - 1], reps, (unsigned long)div);
    return d[0] / div;
}

static noreturn void bench_finish(void)
{
    printk("# bench: done, %lu frames free\n", frames_free());
    ktap_case("bench_complete", NULL);
    ktap_end();
    shutdown(SHUTDOWN_poweroff);
}

int bench_main(void)
{
    uint64_t entry_tsc = boot_tsc;
    const char *why;
    struct proc *p;

    bench_quick = has_word((const char *)start_info->cmd_line, "quick");
    bench_scaling = has_word((const char *)start_info->cmd_line, "scaling");
    ktap_begin(1);
    bench_result("boot_to_first_output", entry_tsc, "instructions");
    printk("# bench: %s run, %lu pages (%lu MiB) in the domain, the kernel "
           "manages %lu\n", bench_scaling ? "scaling" : bench_quick ? "quick" : "full",
           (unsigned long)start_info->nr_pages,
           (unsigned long)start_info->nr_pages >> 8, os_pages());

    if ((why = xlate_init()) || (why = kpt_build_and_switch()) ||
        (why = os_register_entries()))
        panic("bench setup: %s", why);
    /* Every PV vCPU starts with a 10 ms periodic timer: stop it. */
    if (HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL))
        panic("bench setup: stop_periodic_timer failed");

    bench_mmu();
    if (bench_scaling)                  /* no pins, no user program */
        bench_finish();
    bench_pin();

    os_finish_hook = bench_finish;
    p = proc_alloc();
    if (!p || elf_exec(p, "bench"))
        panic("cannot start the bench program");
    proc_resume(p);
}
