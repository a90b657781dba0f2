/*
 * bench.c - the user half of the `bench` boot mode (guest-kernel/bench.c
 * starts it): operations that go through user mode, timed with rdtsc in
 * user mode (under icount: instructions, guest kernel and hypervisor
 * included).  Each value is the minimum over the repetitions.
 *
 *   syscall_roundtrip  getpid(): user -> hypervisor -> kernel's syscall
 *                      callback -> HYPERVISOR_iret -> user
 *   fork_exit_16M      fork() of a process that has touched 16 MiB, the
 *                      child exits at once, the parent's wait() returns
 *                      (the parent writes all 16 MiB again before each run,
 *                      so every run write-protects 4096 entries anew)
 *   cow_fault_reuse    one of those writes: a CoW fault whose frame is no
 *                      longer shared (remapped read-write)
 *   cow_fault_copy     a write by the child to a page it still shares with
 *                      its parent (a frame allocated and copied)
 */
#include "ulib.h"

#define PAGE  4096
#define MIB16 0x1000000L
#define NPAGE (MIB16 / PAGE)

static inline unsigned long rdtsc(void)
{
    unsigned int lo, hi;

    __asm__ volatile ("rdtsc" : "=a" (lo), "=d" (hi) :: "memory");
    return ((unsigned long)hi << 32) | lo;
}

static void result(const char *op, unsigned long v, const char *unit)
{
    printf("# bench %s %lu %s\n", op, v, unit);
}

static unsigned long min_of(unsigned long a, unsigned long b)
{
    return a < b ? a : b;
}

/* Write every page; the minimum time of one write (a fault, if any). */
static unsigned long touch(volatile char *p, char v)
{
    unsigned long best = ~0UL;

    for (long i = 0; i < NPAGE; i++) {
        unsigned long t0 = rdtsc();

        p[i * PAGE] = v;
        best = min_of(best, rdtsc() - t0);
    }
    return best;
}

int main(void)
{
    int quick = stat(STAT_BENCH_QUICK) > 0;
    unsigned long best = ~0UL, reuse = ~0UL, t0;
    volatile char *p;
    long pid, st;

    for (int i = 0; i < (quick ? 20 : 500); i++) {
        t0 = rdtsc();
        getpid();
        best = min_of(best, rdtsc() - t0);
    }
    result("syscall_roundtrip", best, "instructions/op");

    p = sbrk(MIB16);
    touch(p, 1);                        /* demand-zero faults */
    best = ~0UL;
    for (int r = 0; r < (quick ? 1 : 3); r++) {
        if (r)
            reuse = min_of(reuse, touch(p, (char)r));   /* CoW faults, reuse */
        t0 = rdtsc();
        if ((pid = fork()) == 0)
            exit(0);
        if (pid < 0 || wait(&st) != pid || st != 0) {
            printf("# bench: fork failed (%ld)\n", pid);
            return 1;
        }
        best = min_of(best, rdtsc() - t0);
    }
    result("fork_exit_16M", best, "instructions/op");
    reuse = min_of(reuse, touch(p, 9));
    result("cow_fault_reuse", reuse, "instructions/op");

    /* The child writes pages its parent still maps: copies. */
    if ((pid = fork()) == 0) {
        best = ~0UL;
        for (long i = 0; i < (quick ? 4 : 64); i++) {
            t0 = rdtsc();
            p[i * PAGE] = 3;
            best = min_of(best, rdtsc() - t0);
        }
        result("cow_fault_copy", best, "instructions/op");
        exit(0);
    }
    if (pid < 0 || wait(&st) != pid || st != 0)
        return 1;
    return 0;
}
