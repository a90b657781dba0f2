/*
 * test-vsnprintf.c - xen-like/lib/vsnprintf.c.
 *
 * Where ISO C fixes the output, ours is compared with glibc's (SAME):
 * same return value and byte-identical buffers, including the bytes after
 * the terminator, which proves neither wrote past size.  The rest (%p, NULL
 * strings, malformed directives) is compared with expected strings.
 */
#include <limits.h>

#include "lib.h"
#include "runner.h"

#define SAME(size, ...)                                                    \
    do {                                                                   \
        char a_[96], b_[96];                                               \
        int ra_, rb_;                                                      \
        memset(a_, 0x5a, sizeof(a_));                                      \
        memset(b_, 0x5a, sizeof(b_));                                      \
        ra_ = snprintf(a_, (size), __VA_ARGS__);                           \
        rb_ = ref_snprintf(b_, (size), __VA_ARGS__);                       \
        if ( ra_ != rb_ || memcmp(a_, b_, sizeof(a_)) )                    \
            return test_failf("%s:%d: snprintf(%d, %s): got \"%.60s\" (%d), " \
                              "glibc \"%.60s\" (%d)", __FILE__, __LINE__,  \
                              (int)(size), #__VA_ARGS__, a_, ra_, b_, rb_); \
    } while ( 0 )

#define EXPECT(want, ...)                                                  \
    do {                                                                   \
        char a_[96];                                                       \
        int ra_ = snprintf(a_, sizeof(a_), __VA_ARGS__);                   \
        CHECK_STR(a_, want);                                               \
        CHECK_I(ra_, (int)strlen(want));                                   \
    } while ( 0 )

static const char *t_integers(void)
{
    SAME(96, "%d %d %d %d", 0, -1, INT_MAX, INT_MIN);
    SAME(96, "%i|%u|%u", 42, 0u, UINT_MAX);
    SAME(96, "%x %X %o", 0xdeadbeefu, 0xabcdefu, 0755u);
    SAME(96, "%x %o %u", 0u, 0u, 0u);
    return NULL;
}

/*
 * ISO C says how '0' behaves next to '-' or a precision (it is ignored);
 * GCC warns about such formats, but testing them is the point here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static const char *t_flags_width(void)
{
    SAME(96, "[%5d][%-5d][%05d][%+d][% d][%+5d][%-05d]", 42, 42, 42, 42, 42, -42, 7);
    SAME(96, "[%#x][%#X][%#o][%#x][%#o]", 255u, 255u, 8u, 0u, 0u);
    SAME(96, "[%#8x][%#08x][%-#8x][% 05d][%+05d]", 0x1fu, 0x1fu, 0x1fu, -3, 3);
    SAME(96, "[%08.3d][%.0d][%.3d][%+.0d][%#.0o][%.0x]", 5, 0, 7, 0, 0u, 0u);
    SAME(96, "[%-8.3x][%8.5o][%.10d]", 0xau, 8u, -12345);
    return NULL;
}
#pragma GCC diagnostic pop

static const char *t_star(void)
{
    SAME(96, "[%*d][%*d][%-*d]", 6, 1, -6, 2, 4, 3);
    SAME(96, "[%.*d][%.*d][%*.*d]", 4, 9, -1, 9, 6, 3, 1);
    SAME(96, "[%.*s][%*s]", 3, "abcdef", -5, "ab");
    return NULL;
}

static const char *t_length_modifiers(void)
{
    SAME(96, "%hhd %hhu %hhx", 300, -1, 0x1234);
    SAME(96, "%hd %hu %hx", 70000, -1, 0x123456);
    SAME(96, "%ld %lu %lx", LONG_MIN, ULONG_MAX, 0x123456789abcdefUL);
    SAME(96, "%lld %llu %llX %llo", LLONG_MIN, ULLONG_MAX, 0xfedcba9876543210ULL,
         01777777777777777777777ULL);
    SAME(96, "%zu %zx %zd %td", (size_t)-1, (size_t)0x40, (long)-5, (long)-6);
    return NULL;
}

static const char *t_strings_chars(void)
{
    SAME(96, "[%s][%10s][%-10s][%.2s][%10.2s][%-3.1s]", "xen", "xen", "xen",
         "xen", "xen", "xen");
    SAME(96, "[%c][%3c][%-3c][%c]", 'a', 'b', 'c', 0x141);
    SAME(96, "100%% [%s] %%", "");
    return NULL;
}

static const char *t_truncation_vs_glibc(void)
{
    SAME(0, "%s", "abcdef");
    SAME(1, "%s", "abcdef");
    SAME(4, "%d", 123456);
    SAME(7, "%-10s|", "ab");
    SAME(12, "%#018llx", 0x1234ULL);
    SAME(3, "%c%c%c%c", 'w', 'x', 'y', 'z');
    return NULL;
}

static const char *t_truncation_canary(void)
{
    char buf[16];

    memset(buf, 'Z', sizeof(buf));
    CHECK_I(snprintf(buf, 8, "%s", "0123456789abcdef"), 16);
    CHECK_STR(buf, "0123456");
    for ( int i = 8; i < 16; i++ )
        CHECK_U(buf[i], 'Z');
    CHECK_I(snprintf(NULL, 0, "%d-%s", 1234, "five"), 9);   /* size 0: count only */
    CHECK_I(snprintf(buf, 1, "%200d", 1), 200);
    CHECK_STR(buf, "");
    return NULL;
}

static const char *t_pointer(void)
{
    EXPECT("0000000000001234", "%p", (void *)0x1234);
    EXPECT("0000000000000000", "%p", (void *)0);
    EXPECT("ffff82d080200000", "%p", (void *)0xffff82d080200000ULL);
    EXPECT("[      1234]", "[%10p]", (void *)0x1234);
    return NULL;
}

static const char *t_null_string(void)
{
    const char *volatile nul = NULL;        /* hidden from -Wformat */

    EXPECT("(null)", "%s", nul);
    EXPECT("[  (null)]", "[%8s]", nul);
    return NULL;
}

static const char *t_precision_bounds_read(void)
{
    char unterminated[3] = { 'a', 'b', 'c' };

    /* With a precision, %s must not read past it (ASan would notice). */
    EXPECT("abc", "%.3s", unterminated);
    EXPECT("ab", "%.2s", unterminated);
    return NULL;
}

/* Formats the compiler would reject, so they are passed as variables. */
static const char *fmt_of(const char *volatile f)
{
    return f;
}

static const char *t_malformed_directives(void)
{
    static const struct { const char *fmt, *want; } cases[] = {
        { "a%qb", "a%qb" },                 /* unknown conversion */
        { "x%5", "x%5" },                   /* ends inside a directive */
        { "%lq", "%lq" },
        { "50%", "50%" },                   /* lone trailing '%' */
        { "%-08.3", "%-08.3" },
    };
    char buf[16];

    for ( unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        int n = snprintf(buf, sizeof(buf), fmt_of(cases[i].fmt), 0);

        CHECK_STR(buf, cases[i].want);
        CHECK_I(n, (int)strlen(cases[i].want));
    }
    return NULL;
}

static int wrapper(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int wrapper(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

static const char *t_va_list(void)
{
    char buf[32];

    CHECK_I(wrapper(buf, sizeof(buf), "%s=%u (%#x)", "dom", 7u, 7u), 11);
    CHECK_STR(buf, "dom=7 (0x7)");
    return NULL;
}

static const struct test tests[] = {
    { t_integers, "d i u x X o vs glibc" },
    { t_flags_width, "flags - 0 + space # and width vs glibc" },
    { t_star, "* width and precision vs glibc" },
    { t_length_modifiers, "hh h l ll z t vs glibc" },
    { t_strings_chars, "s c %% vs glibc" },
    { t_truncation_vs_glibc, "truncation and return value vs glibc" },
    { t_truncation_canary, "never writes past size" },
    { t_pointer, "%p is Xen-style 16 hex digits" },
    { t_null_string, "NULL %s prints (null)" },
    { t_precision_bounds_read, "%.Ns reads at most N bytes" },
    { t_malformed_directives, "unknown directives printed verbatim" },
    { t_va_list, "vsnprintf through a va_list" },
};
DEFINE_SUITE(vsnprintf_suite, "vsnprintf", tests);
