/*
 * init.c - the first user process: a scripted demo that checks itself.
 * Each check becomes one KTAP case through SYS_report (8 in all; the
 * kernel's plan counts on INIT_CASES in initmode.c).
 */
#include "ulib.h"

#define PAGE 4096

static volatile long x = 111;           /* .data: shared copy-on-write */

/* 1-4: fork shares pages read-only; each side's first write resolves it. */
static void cow_check(void)
{
    long f0 = frame((const void *)&x), st = -2, pid, r1;

    printf("# [init] x = %ld in machine frame %lx; forking\n", x, f0);
    pid = fork();
    if (pid == 0) {
        long fc = frame((const void *)&x), c1;

        report("cow_child_shares_parent_frame", fc == f0 ? 0 :
               "the child maps another frame before any write");
        c1 = stat(STAT_COW_COPY);
        x = 222;                        /* CoW fault: copy */
        printf("# [child %ld] wrote x = %ld: frame %lx -> %lx\n",
               getpid(), x, fc, frame((const void *)&x));
        report("cow_child_write_copies",
               x == 222 && frame((const void *)&x) != f0 &&
               stat(STAT_COW_COPY) == c1 + 1 ? 0 :
               "the child's write did not get a private copy");
        exit(x == 222 ? 0 : 1);
    }
    wait(&st);
    report("cow_parent_keeps_its_value", x == 111 && st == 0 ? 0 :
           "the parent sees the child's write, or the child failed");
    r1 = stat(STAT_COW_REUSE);
    x = 333;                            /* CoW fault: last sharer, reuse */
    printf("# [init] wrote x = %ld: frame %lx (kept)\n", x, frame((const void *)&x));
    report("cow_parent_write_reuses_frame",
           x == 333 && frame((const void *)&x) == f0 &&
           stat(STAT_COW_REUSE) == r1 + 1 ? 0 :
           "the parent's write did not simply remap its own frame");
}

static long deep(int n)
{
    volatile char pad[PAGE];

    pad[0] = (char)n;
    pad[PAGE - 1] = 0;
    return n ? deep(n - 1) + pad[0] : 0;
}

/* 5: heap (sbrk) and stack pages appear, zeroed, on first touch. */
static void demand_check(void)
{
    long h0 = stat(STAT_DEMAND_HEAP), s0 = stat(STAT_DEMAND_STACK), zero = 1;
    char *p = sbrk(3 * PAGE);

    for (int i = 0; i < 3; i++) {
        zero &= p[i * PAGE] == 0 && p[i * PAGE + PAGE - 1] == 0;
        p[i * PAGE] = (char)i;
    }
    deep(4);
    printf("# [init] heap %lx: %ld demand-zero heap faults, %ld stack faults\n",
           (long)p, stat(STAT_DEMAND_HEAP) - h0, stat(STAT_DEMAND_STACK) - s0);
    report("demand_zero_heap_and_stack",
           zero && stat(STAT_DEMAND_HEAP) == h0 + 3 &&
           stat(STAT_DEMAND_STACK) >= s0 + 4 ? 0 : "wrong fault counts");
}

/* 6: children touch memory, then exec another program. */
static void fork_exec_check(void)
{
    long ok = 1, st, pid;

    for (int i = 0; i < 3; i++) {
        if (fork() == 0) {
            char *p = sbrk(2 * PAGE);

            p[0] = 1;
            p[PAGE] = 2;
            exec("hello");
            exit(99);                   /* exec failed */
        }
    }
    for (int i = 0; i < 3; i++) {
        pid = wait(&st);
        printf("# [init] child %ld exited with %ld\n", pid, st);
        ok &= pid > 0 && st == 42;
    }
    report("fork_exec_wait", ok ? 0 : "a child did not run hello");
}

/* 7: bad accesses kill the process, never the kernel. */
static void bad_access_check(void)
{
    static volatile long *const targets[] = {
        (long *)0x10,                   /* nothing mapped */
        (long *)0x400000,               /* our text: read-only */
        (long *)0xffffffff80000000UL,   /* the kernel: not in the user L4 */
    };
    long ok = 1, st;

    for (int i = 0; i < 3; i++) {
        if (fork() == 0) {
            *targets[i] = 1;
            exit(0);                    /* must not get here */
        }
        wait(&st);
        ok &= st == -1;
    }
    report("bad_access_kills_only_the_process", ok ? 0 : "a bad access survived");
}

/* 8: two programs share the CPU, yielding and sleeping. */
static void round_robin_check(void)
{
    long ok = 1, st;

    for (int i = 0; i < 2; i++)
        if (fork() == 0) {
            exec("spin");
            exit(99);
        }
    for (int i = 0; i < 2; i++) {
        wait(&st);
        ok &= st == 4;
    }
    report("round_robin_yield_and_sleep", ok ? 0 : "spin did not finish its rounds");
}

int main(void)
{
    printf("# [init] pid %ld: hello from user mode\n", getpid());
    cow_check();
    demand_check();
    fork_exec_check();
    bad_access_check();
    round_robin_check();
    printf("# [init] done; %ld frames free before init exits\n",
           stat(STAT_FREE_FRAMES));
    return 0;
}
