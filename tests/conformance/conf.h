/*
 * conf.h - the conformance suite's one shared idea: a case is one rule of
 * Xen's ABI and the answer a hypervisor gives to it.
 *
 *     conf_rc("mmu_update.l1.rw_map_of_live_l2_is_ebusy",
 *             "an L1 entry may not map a validated L2 frame writable",
 *             mt_win_set(mt_ma(l2) | P_ | RW_), -XEN_EBUSY);
 *
 * The name is <hypercall>.<topic>.<what_and_answer> in [a-z0-9_.]; the
 * rule is one line in the present tense.  Both must be string literals at
 * the call: tests/conformance/catalogue.sh reads them from the sources to
 * list the suite and to generate docs/hypercall-reference.md, so a case
 * that exists in a log but not in the sources (or the reverse) is caught.
 *
 * Every case prints "# fact abi.<name>=<answer>".  The `want` is what real
 * Xen 4.17.7 answered (dom0, dom0_mem=32M); a different answer also
 * prints "# conf-fail <name> want=<want>" and fails the KTAP case (the
 * scenario) the check ran in.  conformance-diff compares the answers of
 * the two hypervisors case by case, so a case is judged twice: against
 * the recorded answer, and against Xen itself.
 *
 * Cases run in groups, one boot each (tests/conformance/groups).  A group
 * that real Xen cannot run (it needs a second domain, or translate mode)
 * says why there; its cases are counted apart, never as agreement.
 */
#ifndef CONF_H
#define CONF_H

#include <stdint.h>

/* A return code (printed in decimal, named in the failure reason). */
const char *conf_rc(const char *name, const char *rule, long got, long want);
/* A value read back: an entry, a flag word, an address (hex). */
const char *conf_hex(const char *name, const char *rule, uint64_t got, uint64_t want);
/* A count (decimal). */
const char *conf_dec(const char *name, const char *rule, uint64_t got, uint64_t want);
/*
 * An observation with no recorded answer (host-dependent formatting, a
 * trap description): judged only against Xen by conformance-diff.
 */
void conf_fact(const char *name, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fail the running scenario (first reason wins), e.g. a setup step. */
void conf_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The running scenario's first failure (NULL if none); resets it. */
const char *conf_take(void);

/* "EINVAL" for -XEN_EINVAL, "0" for 0, "?" otherwise. */
const char *xen_errname(long rc);

#endif
