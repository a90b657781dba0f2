/*
 * runner.c - run every host unit test in its own child process.
 *
 * Output is KTAP-like, one line per test ("ok N suite: name" or
 * "not ok N suite: name # reason"), then a summary line
 * "LABEL: N passed, N failed".  unit_main.c (the parser tests) and
 * sim/mmu_main.c (the PV-MMU core on the simulator) both run through it.  The exit status is non-zero if anything
 * failed.  An optional argument runs only the tests whose "suite: name"
 * contains it.
 *
 * Each test runs in a fork()ed child so that an AddressSanitizer or
 * UBSan abort (the build uses -fno-sanitize-recover) is reported against
 * the one test that caused it.  The child sends its failure reason back
 * through a pipe; a child that dies instead of answering is reported with
 * its signal or exit status.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

static char reason[4096];
static int leak_check = 1;

const char *test_failf(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vsnprintf(reason, sizeof(reason), fmt, args);
    va_end(args);
    return reason;
}

int test_contains(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

int test_streq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* Allocations are freed before the child exits, so LeakSanitizer stays quiet. */
static void *allocs[256];
static size_t nr_allocs;

void *test_alloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);

    if ( !p || nr_allocs == sizeof(allocs) / sizeof(allocs[0]) )
    {
        fprintf(stderr, "test_alloc: out of memory or slots\n");
        abort();
    }
    allocs[nr_allocs++] = p;
    return p;
}

uint64_t test_rand(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Child side: run one test, report its reason (empty means pass). */
static void run_child(const struct test *t, int fd)
{
    const char *why = t->fn();
    size_t len = why ? strlen(why) : 0;

    if ( why && len == 0 )
        why = "failed without a reason", len = strlen(why);
    if ( len && write(fd, why, len) < 0 )
        _exit(2);
    close(fd);
    while ( nr_allocs )
        free(allocs[--nr_allocs]);
    if ( leak_check )
        exit(len ? 1 : 0);          /* LeakSanitizer checks at exit */
    _exit(len ? 1 : 0);
}

/* Parent side: 1 if the test passed, 0 otherwise (line already printed). */
static int run_one(const struct suite *s, const struct test *t, unsigned int n)
{
    char buf[sizeof(reason)];
    ssize_t got, total = 0;
    int fds[2], status;
    pid_t pid;

    fflush(stdout);
    if ( pipe(fds) )
    {
        perror("pipe");
        exit(2);
    }
    pid = fork();
    if ( pid < 0 )
    {
        perror("fork");
        exit(2);
    }
    if ( pid == 0 )
    {
        close(fds[0]);
        run_child(t, fds[1]);
    }
    close(fds[1]);
    while ( total < (ssize_t)sizeof(buf) - 1 &&
            (got = read(fds[0], buf + total, sizeof(buf) - 1 - total)) > 0 )
        total += got;
    buf[total] = '\0';
    close(fds[0]);
    waitpid(pid, &status, 0);

    if ( WIFEXITED(status) && WEXITSTATUS(status) == 0 && total == 0 )
    {
        printf("ok %u %s: %s\n", n, s->name, t->name);
        return 1;
    }
    if ( total == 0 )
    {
        if ( WIFSIGNALED(status) )
            snprintf(buf, sizeof(buf), "crashed with signal %d", WTERMSIG(status));
        else
            snprintf(buf, sizeof(buf), "exited with status %d (sanitizer report above?)",
                     WEXITSTATUS(status));
    }
    /* Keep each result on one line. */
    for ( char *p = buf; *p; p++ )
        if ( *p == '\n' )
            *p = '|';
    printf("not ok %u %s: %s # %s\n", n, s->name, t->name, buf);
    return 0;
}

static int selected(const struct suite *s, const struct test *t, const char *filter)
{
    char full[256];

    if ( !filter )
        return 1;
    snprintf(full, sizeof(full), "%s: %s", s->name, t->name);
    return strstr(full, filter) != NULL;
}

int runner_main(const char *label, const struct suite *const *suites, size_t nr_suites,
                int argc, char **argv, int check_leaks)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    unsigned int total = 0, passed = 0, n = 0;

    leak_check = check_leaks;
    for ( size_t i = 0; i < nr_suites; i++ )
        for ( size_t j = 0; j < suites[i]->nr; j++ )
            total += selected(suites[i], &suites[i]->tests[j], filter);

    printf("KTAP version 1\n1..%u\n", total);
    for ( size_t i = 0; i < nr_suites; i++ )
        for ( size_t j = 0; j < suites[i]->nr; j++ )
            if ( selected(suites[i], &suites[i]->tests[j], filter) )
                passed += run_one(suites[i], &suites[i]->tests[j], ++n);

    printf("%s: %u passed, %u failed\n", label, passed, total - passed);
    return passed == total ? 0 : 1;
}
