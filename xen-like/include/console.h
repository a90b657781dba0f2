/*
 * console.h - printk, log levels and the serial console.
 *
 * Messages carry a level prefix in Xen's style: XENLOG_ERR "<0>" ... and the
 * guest-caused variants XENLOG_G_ERR "<G0>" ....  loglvl= filters the
 * hypervisor's own messages and guest_loglvl= the guest-caused ones.  A
 * guest-caused message is also rate-limited, so a guest cannot flood the
 * console by repeating a bad hypercall: at most a burst of 20 lines, then
 * one line per 100 ms, with a count of what was suppressed.
 */
#ifndef XL_CONSOLE_H
#define XL_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define XENLOG_ERR      "<0>"
#define XENLOG_WARNING  "<1>"
#define XENLOG_INFO     "<2>"
#define XENLOG_DEBUG    "<3>"
#define XENLOG_G_ERR    "<G0>"
#define XENLOG_G_WARNING "<G1>"
#define XENLOG_G_INFO   "<G2>"
#define XENLOG_G_DEBUG  "<G3>"

void console_init_preirq(void);
void console_init_postparse(void);
void console_write(const char *buf, size_t len);
int console_getc(void);                 /* -1 when nothing is waiting */

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* One line about something a guest did, naming the domain and the rule. */
struct domain;
void gprintk(const struct domain *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void guest_console_write(const struct domain *d, const char *buf, size_t len);

/*
 * Serial input goes to one domain at a time (dom0 first).  Ctrl-A typed
 * three times passes it to the next domain, then to the hypervisor, then
 * back to dom0, as on Xen; each domain reads what was typed while it owned
 * the input.  What is typed while the hypervisor owns the input are debug
 * keys (common/keyhandler.c: 'h' lists them).  console_poll_input() drains
 * the UART (called on every tick and by CONSOLEIO_read).
 */
void console_poll_input(void);
int console_input_owner(void);          /* a domid, or -1 for the hypervisor */
void handle_keypress(char c);           /* run the debug key c's handler */

/* Nanoseconds since the hypervisor started (TSC based). */
unsigned long long boot_time_ns(void);
void time_calibrate(void);
extern unsigned long cpu_khz;

#endif
