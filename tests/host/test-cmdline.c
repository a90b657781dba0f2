/*
 * test-cmdline.c - xen-like/common/cmdline.c: each option type, Xen's
 * boolean forms, size suffixes, warnings for unknown options and malformed
 * values, and the boot-loader first-word rule.
 */
#include "xen-abi.h"
#include "lib.h"
#include "runner.h"
#include "cmdline.h"

/* Warnings are collected here, one per line. */
static char warnings[4096];
static unsigned int nr_warnings;

static void collect(const char *msg)
{
    size_t len = strlen(warnings);

    snprintf(warnings + len, sizeof(warnings) - len, "%s\n", msg);
    nr_warnings++;
}

static int parse(const char *line)
{
    warnings[0] = '\0';
    nr_warnings = 0;
    cmdline_reset_defaults();
    return cmdline_parse(line, collect);
}

static const char *t_defaults(void)
{
    CHECK_STR(opt_console, "com1");
    CHECK_STR(opt_com1, "115200,8n1");
    CHECK_STR(opt_loglvl, "warning");
    CHECK_STR(opt_guest_loglvl, "warning");
    CHECK_STR(opt_console_timestamps, "none");
    CHECK(!opt_noreboot && !opt_mmu_audit && !opt_mmu_trace);
    CHECK_U(opt_dom0_mem, 0);
    CHECK_U(opt_dom0_max_vcpus, 0);
    CHECK_I(parse(""), 0);
    CHECK_I(parse(NULL), 0);
    CHECK_I(parse("    "), 0);
    CHECK_U(nr_warnings, 0);
    return NULL;
}

static const char *t_makefile_line(void)
{
    CHECK_I(parse("console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all "
                  "noreboot dom0_mem=32M"), 0);
    CHECK_U(nr_warnings, 0);
    CHECK_STR(opt_loglvl, "all");
    CHECK_STR(opt_guest_loglvl, "all");
    CHECK(opt_noreboot);
    CHECK_U(opt_dom0_mem, 32ULL << 20);
    return NULL;
}

static const char *t_strings(void)
{
    CHECK_I(parse("  console=vga   com1=9600,8n1 loglvl=info/debug "
                  "console_timestamps=boot  "), 0);
    CHECK_STR(opt_console, "vga");
    CHECK_STR(opt_com1, "9600,8n1");
    CHECK_STR(opt_loglvl, "info/debug");
    CHECK_STR(opt_console_timestamps, "boot");
    CHECK_I(parse("console="), 0);           /* empty value is a value */
    CHECK_STR(opt_console, "");
    CHECK_I(parse("loglvl=a=b"), 0);         /* only the first '=' splits */
    CHECK_STR(opt_loglvl, "a=b");
    return NULL;
}

static const char *t_string_too_long(void)
{
    char line[200];

    snprintf(line, sizeof(line), "console=%080d", 1);
    CHECK_I(parse(line), -XEN_E2BIG);
    CHECK_STR(opt_console, "com1");          /* default kept */
    CHECK(test_contains(warnings, "option 'console': bad value"));
    CHECK(test_contains(warnings, "too long"));
    return NULL;
}

static const char *t_booleans(void)
{
    static const struct { const char *line; bool want; } cases[] = {
        { "noreboot", true }, { "no-noreboot", false },
        { "noreboot=0", false }, { "noreboot=1", true },
        { "noreboot=yes", true }, { "noreboot=no", false },
        { "noreboot=on", true }, { "noreboot=off", false },
        { "noreboot=true", true }, { "noreboot=false", false },
        { "noreboot=enable", true }, { "noreboot=disable", false },
        { "no-noreboot=no", true }, { "noreboot no-noreboot", false },
        { "mmu_audit mmu_trace=1", false },
    };

    for ( unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        CHECK_I(parse(cases[i].line), 0);
        if ( opt_noreboot != cases[i].want )
            return test_failf("'%s' gave noreboot=%d", cases[i].line, opt_noreboot);
    }
    CHECK(opt_mmu_audit && opt_mmu_trace);
    return NULL;
}

static const char *t_bad_boolean(void)
{
    CHECK_I(parse("noreboot=maybe"), -XEN_EINVAL);
    CHECK(!opt_noreboot);
    CHECK_STR(warnings, "option 'noreboot': bad value 'maybe' (expected yes/no, "
              "on/off, true/false, enable/disable or 1/0), default kept\n");
    /* Xen has no generic "noNAME" form: "nommu_audit" is just unknown. */
    CHECK_I(parse("nommu_audit"), -XEN_ENOENT);
    CHECK(test_contains(warnings, "unknown option 'nommu_audit' ignored"));
    return NULL;
}

static const char *t_uint(void)
{
    CHECK_I(parse("dom0_max_vcpus=4"), 0);
    CHECK_U(opt_dom0_max_vcpus, 4);
    CHECK_I(parse("dom0_max_vcpus=0x10"), 0);
    CHECK_U(opt_dom0_max_vcpus, 16);
    CHECK_I(parse("dom0_max_vcpus=010"), 0);     /* octal, as in Xen */
    CHECK_U(opt_dom0_max_vcpus, 8);
    CHECK_I(parse("mmu_preempt=4294967295"), 0);
    CHECK_U(opt_mmu_preempt, 4294967295u);
    return NULL;
}

static const char *t_bad_uint(void)
{
    CHECK_I(parse("dom0_max_vcpus=4x"), -XEN_EINVAL);
    CHECK_U(opt_dom0_max_vcpus, 0);
    CHECK(test_contains(warnings, "expected a number"));
    CHECK_I(parse("dom0_max_vcpus"), -XEN_EINVAL);  /* no value at all */
    CHECK_I(parse("dom0_max_vcpus=4294967296"), -XEN_ERANGE);
    CHECK_U(opt_dom0_max_vcpus, 0);
    CHECK(test_contains(warnings, "out of range"));
    CHECK_I(parse("no-dom0_max_vcpus=3"), -XEN_EINVAL);
    CHECK(test_contains(warnings, "no- prefix only applies to boolean"));
    CHECK_U(opt_dom0_max_vcpus, 0);
    return NULL;
}

static const char *t_parse_size(void)
{
    static const struct { const char *s; uint64_t want; } ok[] = {
        { "32M", 32ULL << 20 }, { "32m", 32ULL << 20 }, { "4096B", 4096 },
        { "4096b", 4096 }, { "64K", 64ULL << 10 }, { "2G", 2ULL << 30 },
        { "1T", 1ULL << 40 }, { "32768", 32ULL << 20 },   /* bare = KiB */
        { "0x10M", 16ULL << 20 }, { "0", 0 }, { "16777215T", 16777215ULL << 40 },
    };
    static const struct { const char *s; int rc; } bad[] = {
        { "abc", -XEN_EINVAL }, { "", -XEN_EINVAL }, { "12Q", -XEN_EINVAL },
        { "12MB", -XEN_EINVAL }, { "M", -XEN_EINVAL }, { " 1M", -XEN_EINVAL },
        { "16777216T", -XEN_ERANGE }, { "99999999999999999999", -XEN_ERANGE },
    };
    uint64_t v;
    const char *end;

    for ( unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++ )
    {
        v = 1;
        if ( parse_size(ok[i].s, &v) || v != ok[i].want )
            return test_failf("parse_size(\"%s\") = %#llx", ok[i].s,
                              (unsigned long long)v);
    }
    for ( unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
        if ( parse_size(bad[i].s, &v) != bad[i].rc )
            return test_failf("parse_size(\"%s\") did not fail as expected", bad[i].s);

    CHECK_U(parse_size_and_unit("8M,rest", &end), 8ULL << 20);
    CHECK_STR(end, ",rest");
    CHECK_U(parse_size_and_unit("8,rest", &end), 8ULL << 10);
    CHECK_STR(end, ",rest");
    return NULL;
}

static const char *t_parse_bool_uint(void)
{
    static const char *const yes[] = { "1", "on", "yes", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    const char *s = "yesterday";
    uint64_t v;

    for ( unsigned int i = 0; i < 5; i++ )
    {
        CHECK_I(parse_bool(yes[i], NULL), 1);
        CHECK_I(parse_bool(no[i], NULL), 0);
    }
    CHECK_I(parse_bool(s, NULL), -1);
    CHECK_I(parse_bool(s, s + 3), 1);        /* bounded by e */
    CHECK_I(parse_bool("", NULL), -1);
    CHECK_I(parse_bool("YES", NULL), -1);    /* Xen is case sensitive */
    CHECK_I(parse_uint("123", &v), 0);
    CHECK_U(v, 123);
    CHECK_I(parse_uint("12 3", &v), -XEN_EINVAL);
    CHECK_I(parse_uint("", &v), -XEN_EINVAL);
    return NULL;
}

static const char *t_dom0_mem(void)
{
    CHECK_I(parse("dom0_mem=512M"), 0);
    CHECK_U(opt_dom0_mem, 512ULL << 20);
    CHECK_I(parse("dom0_mem=131072"), 0);        /* bare number: KiB */
    CHECK_U(opt_dom0_mem, 128ULL << 20);
    CHECK_I(parse("dom0_mem=min:16M,max:64M,32M"), 0);
    CHECK_U(opt_dom0_mem_min, 16ULL << 20);
    CHECK_U(opt_dom0_mem_max, 64ULL << 20);
    CHECK_U(opt_dom0_mem, 32ULL << 20);
    CHECK_I(parse("dom0_mem=max:1G"), 0);
    CHECK_U(opt_dom0_mem_max, 1ULL << 30);
    CHECK_U(opt_dom0_mem, 0);
    CHECK_U(nr_warnings, 0);
    return NULL;
}

static const char *t_dom0_mem_malformed(void)
{
    CHECK_I(parse("dom0_mem=abc"), -XEN_EINVAL);
    CHECK_U(opt_dom0_mem, 0);
    CHECK_STR(warnings, "option 'dom0_mem': bad value 'abc' (expected "
              "[min:<size>,][max:<size>,][<size>], e.g. 512M), default kept\n");
    CHECK_I(parse("dom0_mem=min:16M,abc"), -XEN_EINVAL);
    CHECK_U(opt_dom0_mem_min, 0);                /* nothing half-applied */
    CHECK_I(parse("dom0_mem=-1G"), -XEN_EOPNOTSUPP);
    CHECK_I(parse("dom0_mem=50%"), -XEN_EOPNOTSUPP);
    CHECK(test_contains(warnings, "percentage"));
    CHECK_I(parse("dom0_mem=32M,"), -XEN_EINVAL);
    CHECK(test_contains(warnings, "trailing comma"));
    CHECK_I(parse("dom0_mem"), 0);               /* empty list: no change */
    CHECK_U(opt_dom0_mem, 0);
    CHECK_I(parse("no-dom0_mem"), -XEN_EINVAL);  /* handler gets "no" */
    CHECK(test_contains(warnings, "bad value 'no'") ||
          test_contains(warnings, "option 'no-dom0_mem'"));
    return NULL;
}

static const char *t_unknown_options(void)
{
    CHECK_I(parse("foo=1 noreboot bar no-baz"), -XEN_ENOENT);
    CHECK_STR(warnings, "unknown option 'foo' ignored\n"
                        "unknown option 'bar' ignored\n"
                        "unknown option 'no-baz' ignored\n");
    CHECK(opt_noreboot);                     /* later options still apply */
    return NULL;
}

static const char *t_long_token(void)
{
    char line[700];

    memset(line, 'x', 600);
    strlcpy(line + 600, " noreboot", 100);
    CHECK_I(parse(line), -XEN_E2BIG);
    CHECK(test_contains(warnings, "longer than 255 characters"));
    CHECK(opt_noreboot);
    return NULL;
}

/* A private table: custom handlers and integer widths. */
static uint8_t u8v;
static uint16_t u16v;
static uint64_t u64v, sizev;
static char seen[16];

static int record_custom(const char *value, const char **why)
{
    if ( !strcmp(value, "bad") )
    {
        *why = "custom says bad";
        return -XEN_EINVAL;
    }
    strlcpy(seen, value, sizeof(seen));
    return 0;
}

static const char *t_custom_table(void)
{
    static const struct option opts[] = {
        { "u8", OPT_UINT, &u8v, sizeof(u8v), NULL },
        { "u16", OPT_UINT, &u16v, sizeof(u16v), NULL },
        { "u64", OPT_UINT, &u64v, sizeof(u64v), NULL },
        { "c", OPT_CUSTOM, NULL, 0, record_custom },
        { "sz", OPT_SIZE, &sizev, sizeof(sizev), NULL },
    };
    size_t n = sizeof(opts) / sizeof(opts[0]);

    warnings[0] = '\0';
    CHECK_I(cmdline_parse_table("u8=255 u16=65535 u64=0xffffffffffffffff c=v", opts, n,
                                collect), -XEN_ERANGE);   /* u64 max saturates */
    CHECK_U(u8v, 255);
    CHECK_U(u16v, 65535);
    CHECK_STR(seen, "v");
    CHECK_I(cmdline_parse_table("u8=256", opts, n, collect), -XEN_ERANGE);
    CHECK_U(u8v, 255);
    CHECK_I(cmdline_parse_table("u16=65536 u64=0x123456789", opts, n, NULL), -XEN_ERANGE);
    CHECK_U(u16v, 65535);
    CHECK_U(u64v, 0x123456789ULL);
    CHECK_I(cmdline_parse_table("no-c", opts, n, collect), 0);
    CHECK_STR(seen, "no");
    CHECK_I(cmdline_parse_table("c", opts, n, collect), 0);
    CHECK_STR(seen, "");
    CHECK_I(cmdline_parse_table("c=bad", opts, n, collect), -XEN_EINVAL);
    CHECK(test_contains(warnings, "option 'c': bad value 'bad' (custom says bad)"));
    CHECK_I(cmdline_parse_table("no-c=x", opts, n, collect), -XEN_EINVAL);
    CHECK_I(cmdline_parse_table("sz=2G", opts, n, collect), 0);
    CHECK_U(sizev, 2ULL << 30);
    CHECK_I(cmdline_parse_table("sz=2X", opts, n, collect), -XEN_EINVAL);
    CHECK_I(cmdline_parse_table("sz=99999999999T", opts, n, collect), -XEN_ERANGE);
    CHECK_U(sizev, 2ULL << 30);
    CHECK(test_contains(warnings, "does not fit in 64 bits"));
    return NULL;
}

static const char *t_skip_first_word(void)
{
    CHECK_STR(cmdline_skip_first_word("/boot/guest-kernel  hello world"), "hello world");
    CHECK_STR(cmdline_skip_first_word("  /boot/xen console=com1"), "console=com1");
    CHECK_STR(cmdline_skip_first_word("only-a-name"), "");
    CHECK_STR(cmdline_skip_first_word("name   "), "");
    CHECK_STR(cmdline_skip_first_word(""), "");
    return NULL;
}

static const char *t_cook(void)
{
    CHECK(loader_is_grub2("GRUB 2.06"));
    CHECK(loader_is_grub2("GRUB 1.99"));
    CHECK(!loader_is_grub2("GNU GRUB 0.97"));
    CHECK(!loader_is_grub2("qemu"));
    CHECK(!loader_is_grub2(NULL));
    /* multiboot1 from QEMU: the first word is the file name. */
    CHECK_STR(cmdline_cook(" /guest-kernel hello", "qemu", 1), "hello");
    CHECK_STR(cmdline_cook("/guest-kernel hello", "", 1), "hello");
    /* multiboot2, or GRUB 2 on either protocol: kept whole. */
    CHECK_STR(cmdline_cook("  hello there", "GRUB 2.06", 2), "hello there");
    CHECK_STR(cmdline_cook("hello there", "qemu", 2), "hello there");
    CHECK_STR(cmdline_cook("hello there", "GRUB 2.06", 1), "hello there");
    CHECK_STR(cmdline_cook("/xen.gz console=com1", "GNU GRUB 0.97", 1), "console=com1");
    CHECK_STR(cmdline_cook(NULL, "qemu", 1), "");
    return NULL;
}

static const struct test tests[] = {
    { t_defaults, "defaults; empty and NULL lines" },
    { t_makefile_line, "the Makefile's XEN_CMDLINE parses cleanly" },
    { t_strings, "string options" },
    { t_string_too_long, "overlong string rejected, default kept" },
    { t_booleans, "boolean forms: name, no-name, name=<bool>" },
    { t_bad_boolean, "malformed boolean warns, no generic noNAME" },
    { t_uint, "unsigned options: decimal, hex, octal" },
    { t_bad_uint, "malformed/out-of-range unsigned warns, default kept" },
    { t_parse_size, "parse_size suffixes, KiB default, overflow" },
    { t_parse_bool_uint, "parse_bool and parse_uint" },
    { t_dom0_mem, "dom0_mem amounts, min: and max:" },
    { t_dom0_mem_malformed, "dom0_mem=abc warns, default kept" },
    { t_unknown_options, "unknown options warn and are ignored" },
    { t_long_token, "overlong token ignored with a warning" },
    { t_custom_table, "custom handlers, size options, integer widths" },
    { t_skip_first_word, "cmdline_skip_first_word" },
    { t_cook, "cmdline_cook: multiboot1 drops the file name" },
};
DEFINE_SUITE(cmdline_suite, "cmdline", tests);
