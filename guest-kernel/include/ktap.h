/*
 * ktap.h - reporting results as KTAP version 1 (see docs/testing.md).
 *
 *   KTAP version 1
 *   1..3
 *   # fact abi.nr_pages=8192
 *   ok 1 first_case
 *   not ok 2 second_case # why it failed
 *   ok 3 third_case # SKIP why it was skipped
 *   # Test result: FAIL
 *
 * Cases are numbered in the order they are reported.  A "# fact" line is a
 * key=value the harness compares across hypervisors: keys starting with
 * "abi." must be equal on real Xen and on xen-like, keys starting with
 * "local." may differ (machine addresses, version strings).
 */
#ifndef GUEST_KTAP_H
#define GUEST_KTAP_H

#include <stdbool.h>

void ktap_begin(unsigned int nr_cases);
void ktap_fact(const char *key, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* One case: reason == NULL means it passed. */
void ktap_case(const char *name, const char *reason);
void ktap_skip(const char *name, const char *reason);
/*
 * Format a failure reason for ktap_case() into a static buffer (cases
 * return NULL on success or ktap_reason("...") on failure).  Each call
 * overwrites the previous reason.
 */
const char *ktap_reason(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Print "# Test result: PASS/FAIL"; returns the number of failures. */
unsigned int ktap_end(void);

#endif
