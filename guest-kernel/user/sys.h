/*
 * sys.h - system call numbers, shared by the kernel (syscall.c) and the
 * user programs (user/ulib.c).  A user program puts the number in rax and
 * the arguments in rdi, rsi, rdx and executes `syscall`; Xen bounces it to
 * the kernel's syscall callback (§1.6).  The result comes back in rax
 * (and, for wait, the child's exit status in rdx).
 */
#ifndef USER_SYS_H
#define USER_SYS_H

#define SYS_write   1   /* (buf, len) -> len */
#define SYS_exit    2   /* (status) */
#define SYS_fork    3   /* () -> child pid in the parent, 0 in the child,
                             -ENOMEM (-12), -EAGAIN (-11): no process slot */
#define SYS_exec    4   /* (name) -> only returns on error */
#define SYS_wait    5   /* () -> pid (rdx = status), -1: no children */
#define SYS_getpid  6
#define SYS_yield   7
#define SYS_sbrk    8   /* (increment) -> old break */
#define SYS_sleep   9   /* (ticks): at least ticks * 10 ms of system time */
#define SYS_frame   10  /* (va) -> machine frame mapped there, -1 if none */
#define SYS_stat    11  /* (which) -> a kernel counter, STAT_* */
#define SYS_report  12  /* (name, reason or 0) -> a KTAP case */
#define SYS_kill    13  /* (pid) -> 0, or -1 if not a live child; it exits -1 */
#define SYS_checkpoint 14 /* () the abi.init.* facts are counted up to here */

#define ENOMEM 12
#define EAGAIN 11

#define STAT_COW_COPY    0
#define STAT_COW_REUSE   1
#define STAT_DEMAND_HEAP 2
#define STAT_DEMAND_STACK 3
#define STAT_FREE_FRAMES 4
#define STAT_PF_BAD      5
#define STAT_PREEMPTIONS 6  /* timer ticks that took the CPU from user mode */
#define STAT_PF_OOM      7  /* processes killed for want of memory */
#define STAT_BENCH_QUICK 8  /* 1: `bench quick` (few repetitions), else 0 */

#endif
