/*
 * panic.h - the last of the three failure tiers.
 *
 *   guest got an argument wrong      -> return -XEN_Exxx (and gprintk)
 *   guest state nobody can be told   -> domain_crash(d, reason)
 *   hypervisor invariant broken      -> panic() / BUG_ON() / ASSERT()
 *
 * panic() prints the reason and a backtrace, then stops the machine; under
 * QEMU with isa-debug-exit the exit status says "hypervisor panic".
 */
#ifndef XL_PANIC_H
#define XL_PANIC_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define BUG_ON(cond) do { \
    if ( __builtin_expect(!!(cond), 0) ) \
        panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
} while ( 0 )
#define ASSERT(cond) BUG_ON(!(cond))

#endif
