/*
 * init.c - the first user process: a scripted demo that checks itself.
 * Each check becomes one KTAP case through SYS_report (13 in all; the
 * kernel's plan counts on INIT_CASES in initmode.c).  Cases 1-10 do the
 * same work whatever the timing; then checkpoint() freezes the abi.init.*
 * facts, and 11-13 (preemption, out of memory) follow, whose counts
 * depend on where the ticks fall and on how much memory the domain has.
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

/* 9-10: a child killed while it still shares pages with its parent. */
static void kill_mid_cow_check(int by_parent)
{
    char *buf = sbrk(4 * PAGE);
    long f[4], free0, c0, st = -2, pid, ok = 1;

    for (int i = 0; i < 4; i++) {
        buf[i * PAGE] = (char)(10 + i);
        buf[i * PAGE + PAGE - 1] = (char)(20 + i);
        f[i] = frame(&buf[i * PAGE]);
    }
    free0 = stat(STAT_FREE_FRAMES);
    c0 = stat(STAT_COW_COPY);
    pid = fork();
    if (pid == 0) {
        buf[0] = 'c';                   /* two private copies... */
        buf[PAGE] = 'c';
        if (by_parent)
            sleep(100000);              /* ...then wait to be killed */
        *(volatile long *)0x400000 = 1; /* ...then die: text is read-only */
        exit(0);
    }
    if (by_parent) {
        sleep(5);                       /* the child runs meanwhile */
        ok &= kill(pid) == 0;
    }
    ok &= wait(&st) == pid && st == -1;
    ok &= stat(STAT_COW_COPY) >= c0 + 2;
    for (int i = 0; i < 4; i++)
        ok &= buf[i * PAGE] == 10 + i && buf[i * PAGE + PAGE - 1] == 20 + i &&
              frame(&buf[i * PAGE]) == f[i];
    printf("# [init] child %ld killed (%s) after its copies: %ld frames free "
           "before the fork, %ld after\n", pid, by_parent ? "kill" : "fault",
           free0, stat(STAT_FREE_FRAMES));
    ok &= stat(STAT_FREE_FRAMES) == free0;
    buf[0] = 'p';                       /* the last sharer: reuse */
    ok &= frame(&buf[0]) == f[0];
    report(by_parent ? "cow_child_killed_by_parent_parent_intact" :
           "cow_child_killed_by_fault_parent_intact", ok ? 0 :
           "the parent's pages changed, or frames were lost");
}

/*
 * 11: a child that never makes a system call still loses the CPU: a
 * second child prints and finishes while it spins, then init kills it.
 * Without preemption the spinner runs to the end of its loop first (and
 * exits 7), so this fails rather than hangs.
 */
static void preempt_check(void)
{
    long p0 = stat(STAT_PREEMPTIONS), pid, pr, got, st = -2, pst = -2, killed;

    pid = fork();
    if (pid == 0) {
        for (volatile unsigned long i = 0; i < (1UL << 28); i++)
            ;                           /* no yield, no system call */
        exit(7);                        /* ran to the end: never preempted */
    }
    pr = fork();
    if (pr == 0) {
        for (int i = 0; i < 3; i++) {
            printf("# [printer %ld] line %d, beside the spinner\n", getpid(), i);
            yield();                    /* to the spinner: a tick brings us back */
        }
        exit(5);
    }
    got = wait(&pst);                   /* the printer, while the spinner spins */
    killed = kill(pid);                 /* it must still be spinning */
    wait(&st);
    printf("# [init] printer %ld exited %ld; spinner %ld: kill %ld, status %ld, "
           "%ld preemptions\n", got, pst, pid, killed, st,
           stat(STAT_PREEMPTIONS) - p0);
    report("timer_preempts_a_spinning_process",
           got == pr && pst == 5 && killed == 0 && st == -1 &&
           stat(STAT_PREEMPTIONS) > p0 ? 0 :
           "the spinner ran to the end before the others could run");
}

/* 12: a child eats memory until the kernel refuses a page: it dies alone. */
static void oom_fault_check(void)
{
    long free0 = stat(STAT_FREE_FRAMES), oom0 = stat(STAT_PF_OOM), st = -2;

    if (fork() == 0) {
        char *p = sbrk(0x1000000);

        sbrk(0x1000000);                /* 32 MiB of heap: more than we have */
        for (long i = 0; i < 0x2000000 / PAGE; i++)
            p[i * PAGE] = 1;
        exit(0);
    }
    wait(&st);
    printf("# [init] the glutton exited with %ld; %ld frames free (%ld before)\n",
           st, stat(STAT_FREE_FRAMES), free0);
    report("out_of_memory_fault_kills_only_the_process",
           st == -1 && stat(STAT_PF_OOM) == oom0 + 1 &&
           stat(STAT_FREE_FRAMES) == free0 ? 0 : "wrong status or frames lost");
}

/* 13: fork until fork says ENOMEM (the children hold memory), reap all. */
static void oom_fork_check(void)
{
    long pids[14], n, rc = 0, st, ok = 1, free0 = stat(STAT_FREE_FRAMES);

    for (n = 0; n < 14; n++) {
        if ((rc = fork()) == 0) {
            char *p = sbrk(0x1000000);

            for (long i = 0; i < 2048 && stat(STAT_FREE_FRAMES) > 96; i++)
                p[i * PAGE] = 1;
            sleep(100000);              /* hold it until killed */
            exit(0);
        }
        if (rc < 0)
            break;
        pids[n] = rc;
        /* Bounded (20 s of sleeps) but generous: a slow run (mmu_audit=1,
         * a loaded host) must not make the next fork come too early. */
        for (long f = -1, k = 0; k < 1000 && f != stat(STAT_FREE_FRAMES); k++) {
            f = stat(STAT_FREE_FRAMES); /* until the child stops eating */
            sleep(2);
        }
    }
    printf("# [init] %ld children forked, then fork returned %ld; %ld frames "
           "free\n", n, rc, stat(STAT_FREE_FRAMES));
    for (long i = 0; i < n; i++)
        ok &= kill(pids[i]) == 0;
    for (long i = 0; i < n; i++)
        ok &= wait(&st) > 0 && st == -1;
    ok &= wait(&st) == -1;              /* no children left */
    report("fork_until_enomem_then_reap_all",
           ok && rc == -ENOMEM && stat(STAT_FREE_FRAMES) == free0 ? 0 :
           "fork did not end in ENOMEM, or a child or a frame was lost");
}

int main(void)
{
    printf("# [init] pid %ld: hello from user mode\n", getpid());
    cow_check();
    demand_check();
    fork_exec_check();
    bad_access_check();
    round_robin_check();
    kill_mid_cow_check(0);
    kill_mid_cow_check(1);
    checkpoint();
    preempt_check();
    oom_fault_check();
    oom_fork_check();
    printf("# [init] done; %ld frames free before init exits\n",
           stat(STAT_FREE_FRAMES));
    return 0;
}
