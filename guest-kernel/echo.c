/*
 * echo.c - the `echo` boot mode: read one line typed on the console and
 * say whether it is the one the command line expects.
 *
 *     echo expect=WORD
 *
 * A PV guest without a console backend reads the serial line through
 * HYPERVISOR_console_io(CONSOLEIO_read): it returns what was typed while
 * this domain owned the input (0 bytes when there is nothing), never
 * blocks, and the hypervisor raises VIRQ_CONSOLE when input arrives.  With
 * several domains, Ctrl-A three times passes the input to the next one;
 * the test feeds "line for d0, Ctrl-A x3, line for d1" and each domain must
 * read only its own line.
 */
#include "console.h"
#include "kernel.h"
#include "ktap.h"
#include "lib.h"
#include "guest-hypercall.h"

#define ECHO_WAIT_NS (30ULL * 1000000000ULL)

/* The value of `key=` on the command line, up to the next space. */
/* Read a non-empty line (CR and LF end it; empty lines are skipped). */
static long read_line(char *line, size_t size)
{
    uint64_t end = now_ns() + ECHO_WAIT_NS;
    size_t n = 0;

    while (now_ns() < end) {
        char c;
        long got = HYPERVISOR_console_io(CONSOLEIO_read, 1, &c);

        if (got < 0)
            return got;
        if (got == 0) {
            /* Nothing yet: let the other domains (and the typist) run. */
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (n)
                break;
            continue;
        }
        if (n + 1 < size)
            line[n++] = c;
    }
    line[n] = '\0';
    return (long)n;
}

int echo_main(void)
{
    char want[64], line[64];
    long rc;

    ktap_begin(1);
    word_value((const char *)start_info->cmd_line, "expect=", want, sizeof(want));
    printk("# echo: waiting for a line (expecting \"%s\")\n", want);
    rc = read_line(line, sizeof(line));
    printk("# echo: read \"%s\" (rc %ld)\n", line, rc);
    if (rc < 0)
        ktap_case("echo_line", ktap_reason("CONSOLEIO_read gave %ld", rc));
    else if (rc == 0)
        ktap_case("echo_line", ktap_reason("no line within 30 s"));
    else
        ktap_case("echo_line", !strcmp(line, want) ? NULL
                  : ktap_reason("read \"%s\", expected \"%s\"", line, want));
    return ktap_end() ? 1 : 0;
}
