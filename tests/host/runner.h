/*
 * runner.h - the host unit-test runner's tiny interface.
 *
 * In the spirit of xv6-riscv's usertests: every test is a plain function in
 * a table of { fn, name }, and each runs in its own forked child, so a
 * sanitizer abort or a crash fails that one test instead of the whole run.
 * A test returns NULL when it passes, or a short reason when it fails; the
 * CHECK macros below build that reason, naming the file, line and values.
 *
 * Test files include lib.h to reach the hypervisor's own memcpy, snprintf,
 * ... (renamed xl_* under HOST_TEST, see lib.h), so they must not include
 * <string.h> or <stdio.h> themselves.  Anything they need from libc goes
 * through the few helpers declared here, implemented in runner.c.
 */
#ifndef TESTS_HOST_RUNNER_H
#define TESTS_HOST_RUNNER_H

#include <stddef.h>
#include <stdint.h>

typedef const char *(*test_fn)(void);

struct test {
    test_fn fn;
    const char *name;
};

struct suite {
    const char *name;
    const struct test *tests;
    size_t nr;
};

#define DEFINE_SUITE(var, name, table) \
    const struct suite var = { name, table, sizeof(table) / sizeof(table[0]) }

extern const struct suite string_suite, vsnprintf_suite, libelf_suite,
                          libelf_safety_suite, cmdline_suite, multiboot_suite,
                          multiboot2_suite, memmap_suite;

/*
 * Run every suite's tests (or those whose "suite: name" contains argv[1]),
 * each in its own child; print KTAP-like lines and "LABEL: N passed, N
 * failed"; return the exit status.  check_leaks: children exit through
 * exit() so LeakSanitizer checks them (0: _exit, for simulated machines).
 */
int runner_main(const char *label, const struct suite *const *suites, size_t nr_suites,
                int argc, char **argv, int check_leaks);

/* printf-style failure reason in a static buffer (runner.c, uses libc). */
const char *test_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* libc's own snprintf, for comparing ours against it (libc-ref.c). */
int ref_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Zeroed heap memory that the runner frees when the test's child exits. */
void *test_alloc(size_t size);

/* Deterministic pseudo-random numbers for mutation tests (xorshift64). */
uint64_t test_rand(uint64_t *state);

#define CHECK(cond)                                                        \
    do {                                                                   \
        if ( !(cond) )                                                     \
            return test_failf("%s:%d: CHECK(%s)", __FILE__, __LINE__, #cond); \
    } while ( 0 )

#define CHECK_U(a, b)                                                      \
    do {                                                                   \
        unsigned long long ua_ = (unsigned long long)(a);                  \
        unsigned long long ub_ = (unsigned long long)(b);                  \
        if ( ua_ != ub_ )                                                  \
            return test_failf("%s:%d: %s == %#llx, expected %#llx",        \
                              __FILE__, __LINE__, #a, ua_, ub_);            \
    } while ( 0 )

#define CHECK_I(a, b)                                                      \
    do {                                                                   \
        long long ia_ = (long long)(a), ib_ = (long long)(b);              \
        if ( ia_ != ib_ )                                                  \
            return test_failf("%s:%d: %s == %lld, expected %lld",          \
                              __FILE__, __LINE__, #a, ia_, ib_);            \
    } while ( 0 )

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *sa_ = (a), *sb_ = (b);                                 \
        if ( !test_streq(sa_, sb_) )                                       \
            return test_failf("%s:%d: %s == \"%s\", expected \"%s\"",      \
                              __FILE__, __LINE__, #a, sa_ ? sa_ : "(null)", sb_); \
    } while ( 0 )

/* A failing call whose *why must contain the given words. */
#define CHECK_WHY(why, words)                                              \
    do {                                                                   \
        const char *cw_ = (why);                                            \
        if ( !cw_ || !test_contains(cw_, words) )                            \
            return test_failf("%s:%d: why \"%s\" lacks \"%s\"",            \
                              __FILE__, __LINE__, cw_ ? cw_ : "(null)", words); \
    } while ( 0 )

/* libc-backed string checks, independent of the code under test. */
int test_contains(const char *haystack, const char *needle);
int test_streq(const char *a, const char *b);        /* NULL never equal */

#endif /* TESTS_HOST_RUNNER_H */
