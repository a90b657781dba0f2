/*
 * libc-ref.c - glibc's snprintf under another name.
 *
 * This file deliberately does not include lib.h, so "vsnprintf" here is
 * glibc's.  test-vsnprintf.c formats the same arguments with ours and with
 * this reference and compares the two, for every conversion where the C
 * standard fixes the output.
 */
#include <stdarg.h>
#include <stdio.h>

#include "runner.h"

int ref_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
