/* ulib.h - the user programs' whole C library: system calls and printf. */
#ifndef USER_ULIB_H
#define USER_ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include "sys.h"

long sys3(long nr, long a1, long a2, long a3);
static inline long write(const void *buf, size_t len) { return sys3(SYS_write, (long)buf, (long)len, 0); }
static inline void exit(int status) { sys3(SYS_exit, status, 0, 0); for (;;) ; }
static inline long fork(void) { return sys3(SYS_fork, 0, 0, 0); }
static inline long exec(const char *name) { return sys3(SYS_exec, (long)name, 0, 0); }
static inline long getpid(void) { return sys3(SYS_getpid, 0, 0, 0); }
static inline long yield(void) { return sys3(SYS_yield, 0, 0, 0); }
static inline void *sbrk(long inc) { return (void *)sys3(SYS_sbrk, inc, 0, 0); }
static inline long sleep(long ticks) { return sys3(SYS_sleep, ticks, 0, 0); }
static inline long frame(const void *va) { return sys3(SYS_frame, (long)va, 0, 0); }
static inline long stat(long which) { return sys3(SYS_stat, which, 0, 0); }
static inline long report(const char *name, const char *reason) { return sys3(SYS_report, (long)name, (long)reason, 0); }
static inline long kill(long pid) { return sys3(SYS_kill, pid, 0, 0); }
static inline long checkpoint(void) { return sys3(SYS_checkpoint, 0, 0, 0); }
long wait(long *status);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
size_t strlen(const char *s);
int main(void);

#endif
