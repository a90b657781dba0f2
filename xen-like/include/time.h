/*
 * time.h - the tick, system time and guest timers (arch/x86/time.c).
 */
#ifndef XL_TIME_H
#define XL_TIME_H

#include <stdbool.h>

struct vcpu;

extern unsigned long ticks;
void time_init(void);
unsigned long long system_time_ns(void);
void update_vcpu_system_time(struct vcpu *v);
void run_guest_timers(void);
bool timer_interrupt(void);

#endif
