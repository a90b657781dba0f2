/*
 * conf.c - recording conformance cases (conf.h): one "# fact" line per
 * answer, a "# conf-fail" line when it is not Xen's, and the first
 * failure of the running scenario as its KTAP reason.
 */
#include <stdarg.h>
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "conf.h"

static char reason[200];
static bool failed;

static void vfail(const char *fmt, va_list ap)
{
    if (failed)
        return;
    failed = true;
    vsnprintf(reason, sizeof(reason), fmt, ap);
}

void conf_failf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(fmt, ap);
    va_end(ap);
}

const char *conf_take(void)
{
    bool f = failed;

    failed = false;
    return f ? reason : NULL;
}

const char *xen_errname(long rc)
{
    static const struct { long rc; const char *name; } names[] = {
        { 0, "0" },
        { -XEN_EPERM, "EPERM" },   { -XEN_ENOENT, "ENOENT" },
        { -XEN_ESRCH, "ESRCH" },   { -XEN_EACCES, "EACCES" },
        { -XEN_EFAULT, "EFAULT" }, { -XEN_EBUSY, "EBUSY" },
        { -XEN_EEXIST, "EEXIST" }, { -XEN_EINVAL, "EINVAL" },
        { -XEN_ENOSYS, "ENOSYS" }, { -XEN_EOPNOTSUPP, "EOPNOTSUPP" },
        { -XEN_ENOMEM, "ENOMEM" }, { -XEN_E2BIG, "E2BIG" },
        { -XEN_ERANGE, "ERANGE" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (names[i].rc == rc)
            return names[i].name;
    return "?";
}

static void fact(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fact(const char *name, const char *fmt, ...)
{
    char key[96], value[160];
    va_list ap;

    snprintf(key, sizeof(key), "abi.%s", name);
    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    ktap_fact(key, "%s", value);
}

/* A mismatch: one line the runner counts, and the scenario's reason. */
static const char *mismatch(const char *name, const char *got, const char *want)
{
    printk("# conf-fail %s want=%s\n", name, want);
    conf_failf("%s: %s, Xen 4.17 gives %s", name, got, want);
    return reason;
}

const char *conf_rc(const char *name, const char *rule, long got, long want)
{
    char g[48], w[48];

    (void)rule;
    fact(name, "%ld", got);
    if (got == want)
        return NULL;
    snprintf(g, sizeof(g), "%ld (%s)", got, xen_errname(got));
    snprintf(w, sizeof(w), "%ld (%s)", want, xen_errname(want));
    return mismatch(name, g, w);
}

const char *conf_hex(const char *name, const char *rule, uint64_t got, uint64_t want)
{
    char g[24], w[24];

    (void)rule;
    fact(name, "%#lx", got);
    if (got == want)
        return NULL;
    snprintf(g, sizeof(g), "%#lx", got);
    snprintf(w, sizeof(w), "%#lx", want);
    return mismatch(name, g, w);
}

const char *conf_dec(const char *name, const char *rule, uint64_t got, uint64_t want)
{
    char g[24], w[24];

    (void)rule;
    fact(name, "%lu", got);
    if (got == want)
        return NULL;
    snprintf(g, sizeof(g), "%lu", got);
    snprintf(w, sizeof(w), "%lu", want);
    return mismatch(name, g, w);
}

void conf_fact(const char *name, const char *rule, const char *fmt, ...)
{
    char value[160];
    va_list ap;

    (void)rule;
    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    fact(name, "%s", value);
}
