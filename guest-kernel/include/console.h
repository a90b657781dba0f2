/*
 * console.h - text output through HYPERVISOR_console_io(CONSOLEIO_write).
 *
 * Output is collected per line and handed to the hypervisor one whole
 * line at a time, so the hypervisor's own messages never land in the
 * middle of one of ours.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stddef.h>
#include <stdarg.h>

void console_write(const char *s, size_t len);
void console_flush(void);
/* Finish a partly written line, so the next output starts a new one. */
void console_end_line(void);

/* The hypervisor's answer to our very first CONSOLEIO_write (0 = fine). */
long console_first_rc(void);

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

#endif
