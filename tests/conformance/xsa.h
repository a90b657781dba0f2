/*
 * xsa.h - the "xsa" boot mode: in-guest regression tests for Xen's PV-MMU
 * security advisories (XSAs).  Each case replays an advisory's trigger
 * with the hypercalls we have and checks the safe outcome: the error code
 * real Xen 4.17.7 gives, and that nothing unsafe is possible afterwards
 * (the frame still cannot be mapped writable, the table still validates,
 * later hypercalls still work).  The cases use the mmu group's helpers
 * (mmu_test.h) and record each answer with conf.h.
 */
#ifndef GUEST_XSA_H
#define GUEST_XSA_H

#include "mmu_test.h"

extern const struct mmu_case xsa_pt_cases[];     /* xsa_pt.c: 148, 182, 240 */
extern const struct mmu_case xsa_ops_cases[];    /* xsa_ops.c: 32, 167, 279 */
extern const struct mmu_case xsa_batch_cases[];  /* xsa_batch.c: 213, 286 */
extern const struct mmu_case xsa_299_cases[];    /* xsa_299.c: 299, 309, 310 */

/* How many of `n` frames can be mapped RW now; all are left RO again. */
unsigned int xsa_rw_count(const unsigned long *pfn, unsigned int n);
/* XSA-252 probe (xsa_ops.c): run with the guest word "xsa252" only. */
void xsa252_probe(void);
/* Record a failure of a setup step (not a case). */
void xsa_setup(const char *what, long rc);

#endif
