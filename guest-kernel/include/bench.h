/*
 * bench.h - the `bench` boot mode (docs/bench.md): instruction counts per
 * operation, read with rdtsc around it.
 *
 * Under QEMU's `-icount shift=0` the TSC advances by one per executed
 * instruction, guest and hypervisor together, so a delta is an exact count
 * of the work one operation costs.  Each operation is repeated; the
 * reported value is the MINIMUM over the repetitions (the run least
 * disturbed by the hypervisor's own timer interrupts), divided by the
 * number of entries where the unit says "per entry".  Every result is one
 * line `# bench <op> <value> <unit>`; a `# bench-stats` comment line gives
 * min, median and max for people.
 *
 *   bench.c      the mode: setup, the order of the groups, the result lines
 *   bench_mmu.c  mmu_update batches, update_va_mapping, the base-pointer pair
 *   bench_pin.c  pin + unpin of trees mapping 64 MiB .. 4 GiB
 *   user/bench.c syscall round trip, fork + exit, copy-on-write (user mode)
 */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile ("rdtsc" : "=a" (lo), "=d" (hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

extern bool bench_quick;                /* `bench quick`: few repetitions */
/* `bench scaling` (make bench-scaling): boot_to_first_output and the
 * mmu_update batches only, one short boot per dom0_mem size. */
extern bool bench_scaling;

/* One result line. */
void bench_result(const char *op, uint64_t value, const char *unit);

/*
 * Run fn(arg) reps times (at most BENCH_MAX_REPS); fn returns the rdtsc
 * delta of one run.  Prints the result line with min / div and a stats
 * comment; returns min / div.
 */
#define BENCH_MAX_REPS 256
uint64_t bench_run(const char *op, const char *unit, unsigned int reps,
                   uint64_t div, uint64_t (*fn)(void *arg), void *arg);

void bench_mmu(void);                   /* bench_mmu.c */
void bench_pin(void);                   /* bench_pin.c */

#endif
