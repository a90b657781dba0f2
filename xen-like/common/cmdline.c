/*
 * cmdline.c - parse the hypervisor command line into option variables.
 *
 * The design is Xen's: a table of { name, type, variable } entries and one
 * loop that splits the line on spaces, finds each token's entry and stores
 * the converted value.  Xen builds its table from a linker section filled
 * by boolean_param()/integer_param() macros all over the tree; we keep one
 * explicit array at the bottom of this file, because a newcomer can then
 * see every option the hypervisor understands in one place.
 *
 * Nothing here may panic: the command line comes from whoever configured
 * the boot loader, so each problem becomes one warning and the option keeps
 * its default (see cmdline.h for the accepted syntax).
 */
#include "xen-abi.h"
#include "lib.h"
#include "cmdline.h"

/* Longest token we look at; Xen uses a 128-byte buffer for the same job. */
#define MAX_TOKEN 256

int parse_bool(const char *s, const char *e)
{
    static const struct { const char *word; int val; } words[] = {
        { "1", 1 }, { "on", 1 }, { "yes", 1 }, { "true", 1 }, { "enable", 1 },
        { "0", 0 }, { "no", 0 }, { "off", 0 }, { "false", 0 }, { "disable", 0 },
    };
    size_t len = e ? (size_t)(e - s) : strlen(s);

    for ( size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++ )
        if ( strlen(words[i].word) == len && !strncmp(words[i].word, s, len) )
            return words[i].val;
    return -1;
}

/*
 * Split "<number>[suffix]" into the number and the shift its suffix stands
 * for (B 0, K 10, M 20, G 30, T 40, either case; none means KiB, which is
 * Xen's rule).  *end is left after what was consumed, or at s if there was
 * no number at all.
 */
static uint64_t split_size(const char *s, const char **end, unsigned int *shift)
{
    static const char units[] = "BbKkMmGgTt";
    uint64_t val = simple_strtoull(s, end, 0);
    const char *u = **end ? strchr(units, **end) : NULL;

    *shift = 10;
    if ( *end != s && u )
    {
        *shift = (unsigned int)(u - units) / 2 * 10;
        (*end)++;
    }
    return val;
}

uint64_t parse_size_and_unit(const char *s, const char **ps)
{
    const char *end;
    unsigned int shift;
    uint64_t val = split_size(s, &end, &shift);

    if ( ps )
        *ps = end;
    return val << shift;
}

int parse_size(const char *s, uint64_t *bytes)
{
    const char *end;
    unsigned int shift;
    uint64_t val = split_size(s, &end, &shift);

    if ( end == s || *end )
        return -XEN_EINVAL;
    /* simple_strtoull saturates, so UINT64_MAX means "did not fit". */
    if ( val == UINT64_MAX || val > (UINT64_MAX >> shift) )
        return -XEN_ERANGE;
    *bytes = val << shift;
    return 0;
}

int parse_uint(const char *s, uint64_t *val)
{
    const char *end;
    uint64_t v = simple_strtoull(s, &end, 0);

    if ( end == s || *end )
        return -XEN_EINVAL;
    if ( v == UINT64_MAX )
        return -XEN_ERANGE;
    *val = v;
    return 0;
}

/* Store v into an unsigned variable of len bytes, refusing to truncate. */
static int store_uint(void *var, size_t len, uint64_t v)
{
    if ( len != 1 && len != 2 && len != 4 && len != 8 )
        return -XEN_EINVAL;                 /* a bad table entry */
    if ( len < 8 && (v >> (len * 8)) )
        return -XEN_ERANGE;
    switch ( len )
    {
    case 1:  *(uint8_t *)var = (uint8_t)v; break;
    case 2:  *(uint16_t *)var = (uint16_t)v; break;
    case 4:  *(uint32_t *)var = (uint32_t)v; break;
    default: *(uint64_t *)var = v; break;
    }
    return 0;
}

static void warn_printf(cmdline_warn_fn warn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warn_printf(cmdline_warn_fn warn, const char *fmt, ...)
{
    char msg[MAX_TOKEN + 128];
    va_list args;

    if ( !warn )
        return;
    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    warn(msg);
}

/*
 * Apply one "key[=value]" token whose option has been found.  Returns 0 or
 * a negative XEN_Exxx, with *why naming what was expected.
 */
static int apply_option(const struct option *opt, bool assert_bool,
                        bool has_value, const char *value, const char **why)
{
    uint64_t v;
    int rc;

    if ( !assert_bool && opt->type != OPT_BOOL && opt->type != OPT_CUSTOM )
    {
        /* Xen ignores a "no-" here; we say so, since it cannot mean much. */
        *why = "the no- prefix only applies to boolean options";
        return -XEN_EINVAL;
    }

    switch ( opt->type )
    {
    case OPT_BOOL:
        rc = has_value ? parse_bool(value, NULL) : 1;
        if ( rc < 0 )
        {
            *why = "expected yes/no, on/off, true/false, enable/disable or 1/0";
            return -XEN_EINVAL;
        }
        *(bool *)opt->var = assert_bool ? rc : !rc;
        return 0;

    case OPT_UINT:
        rc = parse_uint(value, &v);
        if ( !rc )
            rc = store_uint(opt->var, opt->len, v);
        if ( rc )
            *why = rc == -XEN_ERANGE ? "number out of range"
                                     : "expected a number (decimal, 0x hex or 0 octal)";
        return rc;

    case OPT_SIZE:
        rc = parse_size(value, &v);
        if ( rc )
        {
            *why = rc == -XEN_ERANGE ? "size does not fit in 64 bits"
                                     : "expected a size such as 512M (suffix B/K/M/G/T, default K)";
            return rc;
        }
        *(uint64_t *)opt->var = v;
        return 0;

    case OPT_STR:
        if ( strlen(value) >= opt->len )
        {
            *why = "value too long";
            return -XEN_E2BIG;
        }
        strlcpy(opt->var, value, opt->len);
        return 0;

    case OPT_CUSTOM:
        /* As in Xen, a bare "no-name" reaches the handler as "no". */
        if ( !assert_bool )
        {
            if ( has_value )
            {
                *why = "the no- prefix takes no value";
                return -XEN_EINVAL;
            }
            value = "no";
        }
        *why = "malformed value";
        return opt->parse(value, why);
    }

    *why = "bad option table entry";
    return -XEN_EINVAL;
}

int cmdline_parse_table(const char *cmdline, const struct option *opts,
                        size_t nr, cmdline_warn_fn warn)
{
    const char *p = cmdline ? cmdline : "";
    int final_rc = 0;

    for ( ; ; )
    {
        char tok[MAX_TOKEN];
        const char *start, *key, *value, *why = NULL;
        char *eq;
        size_t len, i;
        bool assert_bool = true;
        int rc;

        while ( *p == ' ' )
            p++;
        if ( !*p )
            break;
        start = p;
        while ( *p && *p != ' ' )
            p++;
        len = (size_t)(p - start);

        if ( len >= sizeof(tok) )
        {
            warn_printf(warn, "option '%.32s...' is longer than %u characters, ignored",
                        start, MAX_TOKEN - 1);
            final_rc = -XEN_E2BIG;
            continue;
        }
        memcpy(tok, start, len);
        tok[len] = '\0';

        /* Split "key=value"; a token without '=' has the empty value. */
        eq = strchr(tok, '=');
        if ( eq )
            *eq = '\0';
        value = eq ? eq + 1 : "";
        key = tok;
        if ( !strncmp(key, "no-", 3) )
        {
            assert_bool = false;
            key += 3;
        }

        for ( i = 0; i < nr; i++ )
            if ( !strcmp(opts[i].name, key) )
                break;
        if ( i == nr )
        {
            warn_printf(warn, "unknown option '%s' ignored", tok);
            final_rc = -XEN_ENOENT;
            continue;
        }

        rc = apply_option(&opts[i], assert_bool, eq != NULL, value, &why);
        if ( rc )
        {
            warn_printf(warn, "option '%s%s': bad value '%s' (%s), default kept",
                        assert_bool ? "" : "no-", key, value, why ? why : "malformed");
            final_rc = rc;
        }
    }

    return final_rc;
}

const char *cmdline_skip_first_word(const char *s)
{
    while ( *s == ' ' )
        s++;
    while ( *s && *s != ' ' )
        s++;
    while ( *s == ' ' )
        s++;
    return s;
}

bool loader_is_grub2(const char *loader_name)
{
    /* GRUB legacy calls itself "GNU GRUB 0.9x"; GRUB 2 says "GRUB 2.xx". */
    for ( const char *p = loader_name; p && *p; p++ )
        if ( !strncmp(p, "GRUB ", 5) )
            return p[5] != '0';
    return false;
}

const char *cmdline_cook(const char *s, const char *loader_name,
                         unsigned int protocol)
{
    if ( !s )
        return "";
    while ( *s == ' ' )
        s++;
    if ( protocol == 2 || loader_is_grub2(loader_name) )
        return s;
    return cmdline_skip_first_word(s);
}

/* ------------------------------------------------------------------------
 * The hypervisor's options.
 * ------------------------------------------------------------------------ */

/*
 * Each default is written once, as a macro, and used both by the
 * initialiser (so the variables are right before any parsing) and by
 * cmdline_reset_defaults (so the host tests can start every case afresh).
 */
#define DEF_CONSOLE            "com1"
#define DEF_COM1               "115200,8n1"
#define DEF_LOGLVL             "warning"
#define DEF_GUEST_LOGLVL       "warning"
#define DEF_CONSOLE_TIMESTAMPS "none"

char opt_console[OPT_STR_LEN] = DEF_CONSOLE;
char opt_com1[OPT_STR_LEN] = DEF_COM1;
char opt_loglvl[OPT_STR_LEN] = DEF_LOGLVL;
char opt_guest_loglvl[OPT_STR_LEN] = DEF_GUEST_LOGLVL;
char opt_console_timestamps[OPT_STR_LEN] = DEF_CONSOLE_TIMESTAMPS;
bool opt_noreboot = false;
unsigned int opt_dom0_max_vcpus = 0;
uint64_t opt_dom0_mem = 0, opt_dom0_mem_min = 0, opt_dom0_mem_max = 0;
unsigned int opt_mmu_preempt = 0;
bool opt_mmu_audit = false, opt_mmu_trace = false;
char opt_pv_translate[OPT_STR_LEN] = "";

void cmdline_reset_defaults(void)
{
    strlcpy(opt_console, DEF_CONSOLE, sizeof(opt_console));
    strlcpy(opt_com1, DEF_COM1, sizeof(opt_com1));
    strlcpy(opt_loglvl, DEF_LOGLVL, sizeof(opt_loglvl));
    strlcpy(opt_guest_loglvl, DEF_GUEST_LOGLVL, sizeof(opt_guest_loglvl));
    strlcpy(opt_console_timestamps, DEF_CONSOLE_TIMESTAMPS,
            sizeof(opt_console_timestamps));
    opt_noreboot = false;
    opt_dom0_max_vcpus = 0;
    opt_dom0_mem = opt_dom0_mem_min = opt_dom0_mem_max = 0;
    opt_mmu_preempt = 0;
    opt_mmu_audit = opt_mmu_trace = false;
    opt_pv_translate[0] = '\0';
}

/*
 * dom0_mem=[min:<size>,][max:<size>,][<size>]: parsed into temporaries
 * first, so a bad item anywhere leaves all three values untouched.
 */
static int parse_dom0_mem(const char *s, const char **why)
{
    uint64_t amt = opt_dom0_mem, min = opt_dom0_mem_min, max = opt_dom0_mem_max;
    char item[MAX_TOKEN];

    while ( *s )
    {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        uint64_t *dst = &amt;
        const char *v = item;

        memcpy(item, s, len);               /* len < MAX_TOKEN: s is a token */
        item[len] = '\0';
        if ( !strncmp(item, "min:", 4) )
        {
            dst = &min;
            v += 4;
        }
        else if ( !strncmp(item, "max:", 4) )
        {
            dst = &max;
            v += 4;
        }
        if ( *v == '-' || (len && item[len - 1] == '%') )
        {
            *why = "negative and percentage amounts are not supported";
            return -XEN_EOPNOTSUPP;
        }
        if ( parse_size(v, dst) )
        {
            *why = "expected [min:<size>,][max:<size>,][<size>], e.g. 512M";
            return -XEN_EINVAL;
        }
        s += len + (comma ? 1 : 0);
        if ( comma && !*s )
        {
            *why = "trailing comma";
            return -XEN_EINVAL;
        }
    }

    opt_dom0_mem = amt;
    opt_dom0_mem_min = min;
    opt_dom0_mem_max = max;
    return 0;
}

#define STR_OPT(n, v)  { n, OPT_STR, v, sizeof(v), NULL }
#define BOOL_OPT(n, v) { n, OPT_BOOL, &v, sizeof(v), NULL }
#define UINT_OPT(n, v) { n, OPT_UINT, &v, sizeof(v), NULL }

static const struct option xen_options[] = {
    STR_OPT("console", opt_console),
    STR_OPT("com1", opt_com1),
    STR_OPT("loglvl", opt_loglvl),
    STR_OPT("guest_loglvl", opt_guest_loglvl),
    STR_OPT("console_timestamps", opt_console_timestamps),
    BOOL_OPT("noreboot", opt_noreboot),
    UINT_OPT("dom0_max_vcpus", opt_dom0_max_vcpus),
    { "dom0_mem", OPT_CUSTOM, NULL, 0, parse_dom0_mem },
    UINT_OPT("mmu_preempt", opt_mmu_preempt),
    BOOL_OPT("mmu_audit", opt_mmu_audit),
    BOOL_OPT("mmu_trace", opt_mmu_trace),
    STR_OPT("pv_translate", opt_pv_translate),
};

int cmdline_parse(const char *cmdline, cmdline_warn_fn warn)
{
    return cmdline_parse_table(cmdline, xen_options,
                               sizeof(xen_options) / sizeof(xen_options[0]),
                               warn);
}
