/*
 * ktap.c - KTAP version 1 output (format described in ktap.h and
 * docs/testing.md).  The harness reads these lines from the serial log;
 * a run with a missing "# Test result:" line counts as a crash.
 */
#include <stdarg.h>
#include "console.h"
#include "ktap.h"
#include "lib.h"

static unsigned int planned, reported, failed;

void ktap_begin(unsigned int nr_cases)
{
    planned = nr_cases;
    printk("KTAP version 1\n");
    printk("1..%u\n", nr_cases);
}

void ktap_fact(const char *key, const char *fmt, ...)
{
    char value[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    printk("# fact %s=%s\n", key, value);
}

void ktap_case(const char *name, const char *reason)
{
    reported++;
    if (!reason) {
        printk("ok %u %s\n", reported, name);
    } else {
        failed++;
        printk("not ok %u %s # %s\n", reported, name, reason);
    }
}

void ktap_skip(const char *name, const char *reason)
{
    reported++;
    printk("ok %u %s # SKIP %s\n", reported, name, reason);
}

const char *ktap_reason(const char *fmt, ...)
{
    static char reason[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    return reason;
}

unsigned int ktap_end(void)
{
    if (reported != planned) {
        printk("# planned %u cases but reported %u\n", planned, reported);
        failed++;
    }
    printk("# Test result: %s\n", failed ? "FAIL" : "PASS");
    return failed;
}
