/*
 * test-string.c - xen-like/lib/string.c against the ISO C contracts.
 */
#include "lib.h"
#include "runner.h"

static const char *t_memcpy(void)
{
    char dst[8] = "xxxxxxx";

    CHECK(memcpy(dst, "abc", 3) == dst);
    CHECK_STR(dst, "abcxxxx");
    CHECK(memcpy(dst, "zzz", 0) == dst);
    CHECK_STR(dst, "abcxxxx");
    return NULL;
}

static const char *t_memmove_overlap(void)
{
    char a[] = "0123456789", b[] = "0123456789";

    memmove(a + 2, a, 5);                   /* forward overlap */
    CHECK_STR(a, "0101234789");
    memmove(b, b + 3, 5);                   /* backward overlap */
    CHECK_STR(b, "3456756789");
    memmove(b, b, 10);                      /* same place */
    CHECK_STR(b, "3456756789");
    return NULL;
}

static const char *t_memset(void)
{
    unsigned char buf[6] = { 1, 2, 3, 4, 5, 6 };

    CHECK(memset(buf + 1, 0x1ff, 4) == buf + 1);   /* converted to 0xff */
    CHECK_U(buf[0], 1);
    CHECK_U(buf[1], 0xff);
    CHECK_U(buf[4], 0xff);
    CHECK_U(buf[5], 6);
    return NULL;
}

static const char *t_memcmp(void)
{
    CHECK(memcmp("abc", "abd", 3) < 0);
    CHECK(memcmp("abd", "abc", 3) > 0);
    CHECK(memcmp("abc", "abd", 2) == 0);
    CHECK(memcmp("\x80", "\x01", 1) > 0);   /* bytes compare unsigned */
    CHECK(memcmp("", "", 0) == 0);
    return NULL;
}

static const char *t_strlen_strnlen(void)
{
    char unterminated[4] = { 'a', 'b', 'c', 'd' };

    CHECK_U(strlen(""), 0);
    CHECK_U(strlen("hello"), 5);
    CHECK_U(strnlen("hello", 3), 3);
    CHECK_U(strnlen("hi", 10), 2);
    CHECK_U(strnlen(unterminated, sizeof(unterminated)), 4);   /* no overread */
    return NULL;
}

static const char *t_strcmp_strncmp(void)
{
    CHECK(strcmp("a", "a") == 0);
    CHECK(strcmp("a", "b") < 0);
    CHECK(strcmp("ab", "a") > 0);
    CHECK(strcmp("\xff", "a") > 0);          /* unsigned char comparison */
    CHECK(strncmp("abcd", "abcx", 3) == 0);
    CHECK(strncmp("abcd", "abcx", 4) < 0);
    CHECK(strncmp("a", "a\0zzz", 5) == 0);   /* stops at the terminator */
    CHECK(strncmp("x", "y", 0) == 0);
    return NULL;
}

static const char *t_strchr(void)
{
    const char *s = "a=b=c";

    CHECK(strchr(s, '=') == s + 1);
    CHECK(strchr(s, 'c') == s + 4);
    CHECK(strchr(s, 'z') == NULL);
    CHECK(strchr(s, '\0') == s + 5);
    return NULL;
}

static const char *t_strlcpy(void)
{
    char buf[6] = "zzzzz";

    CHECK_U(strlcpy(buf, "abc", sizeof(buf)), 3);
    CHECK_STR(buf, "abc");
    CHECK_U(strlcpy(buf, "abcdefgh", sizeof(buf)), 8);   /* truncation shows */
    CHECK_STR(buf, "abcde");
    buf[0] = 'q';
    CHECK_U(strlcpy(buf, "xyz", 0), 3);                  /* size 0: no write */
    CHECK_U(buf[0], 'q');
    CHECK_U(strlcpy(buf, "xyz", 1), 3);
    CHECK_STR(buf, "");
    return NULL;
}

static const char *t_strtoul_bases(void)
{
    const char *end;

    CHECK_U(simple_strtoul("1234xyz", &end, 10), 1234);
    CHECK_STR(end, "xyz");
    CHECK_U(simple_strtoul("0x1fG", &end, 0), 0x1f);
    CHECK_STR(end, "G");
    CHECK_U(simple_strtoul("0X1F", &end, 16), 0x1f);
    CHECK_U(simple_strtoul("ff", &end, 16), 0xff);
    CHECK_U(simple_strtoul("017", &end, 0), 15);         /* octal, as in Xen */
    CHECK_U(simple_strtoul("0", &end, 0), 0);
    CHECK_STR(end, "");
    CHECK_U(simple_strtoul("0xg", &end, 0), 0);          /* "0" then "xg" */
    CHECK_STR(end, "xg");
    CHECK_U(simple_strtoul("19", &end, 8), 1);
    CHECK_STR(end, "9");
    return NULL;
}

static const char *t_strtoul_garbage(void)
{
    const char *s = "-5", *end = NULL;

    CHECK_U(simple_strtoul(s, &end, 0), 0);
    CHECK(end == s);                         /* nothing consumed */
    s = "";
    CHECK_U(simple_strtoull(s, &end, 10), 0);
    CHECK(end == s);
    s = " 5";                                /* spaces are not skipped */
    CHECK_U(simple_strtoull(s, &end, 10), 0);
    CHECK(end == s);
    CHECK_U(simple_strtoull("5", NULL, 1), 0);   /* invalid base */
    return NULL;
}

static const char *t_strtoull_saturates(void)
{
    const char *end;

    CHECK_U(simple_strtoull("18446744073709551615", &end, 10), UINT64_MAX);
    CHECK_U(simple_strtoull("18446744073709551616", &end, 10), UINT64_MAX);
    CHECK_STR(end, "");
    CHECK_U(simple_strtoull("0xffffffffffffffffff", &end, 0), UINT64_MAX);
    CHECK_U(simple_strtoul("99999999999999999999999", &end, 10), UINT64_MAX);
    CHECK_U(simple_strtoull("18446744073709551614", &end, 10), UINT64_MAX - 1);
    return NULL;
}

static const struct test tests[] = {
    { t_memcpy, "memcpy" },
    { t_memmove_overlap, "memmove handles overlap both ways" },
    { t_memset, "memset" },
    { t_memcmp, "memcmp is unsigned" },
    { t_strlen_strnlen, "strlen/strnlen" },
    { t_strcmp_strncmp, "strcmp/strncmp" },
    { t_strchr, "strchr incl. terminator" },
    { t_strlcpy, "strlcpy truncates and reports" },
    { t_strtoul_bases, "simple_strtoul bases and prefixes" },
    { t_strtoul_garbage, "simple_strtoul on garbage" },
    { t_strtoull_saturates, "simple_strtoull saturates" },
};
DEFINE_SUITE(string_suite, "string", tests);
