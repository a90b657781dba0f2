/*
 * console.c - printk() over HYPERVISOR_console_io.
 *
 * CONSOLEIO_write hands the hypervisor a buffer in our address space; the
 * hypervisor copies it to its own console (the serial port).  Real Xen
 * prints dom0's bytes as they are; xen-like may prefix each line.
 *
 * We keep one line buffer and send a line when it ends ('\n') or the
 * buffer fills, so our lines are never split by the hypervisor's output.
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "guest-hypercall.h"

static char line[256];
static size_t line_len;
static long first_rc = 1;          /* 1: nothing written yet */

static void send(const char *s, size_t len)
{
    long rc = HYPERVISOR_console_io(CONSOLEIO_write, (int)len, s);

    if (first_rc == 1)
        first_rc = rc;
}

void console_flush(void)
{
    if (line_len) {
        send(line, line_len);
        line_len = 0;
    }
}

void console_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        line[line_len++] = s[i];
        if (s[i] == '\n' || line_len == sizeof(line))
            console_flush();
    }
}

void console_end_line(void)
{
    if (line_len)
        console_write("\n", 1);
}

long console_first_rc(void)
{
    return first_rc;
}

int vprintk(const char *fmt, va_list ap)
{
    char buf[256];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    console_write(buf, strlen(buf));
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}
