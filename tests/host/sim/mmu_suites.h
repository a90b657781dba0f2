/*
 * mmu_suites.h - the suites of tests/host/test-mmu-*.c, in run order.
 */
#ifndef TESTS_HOST_SIM_MMU_SUITES_H
#define TESTS_HOST_SIM_MMU_SUITES_H

#include "runner.h"

extern const struct suite mmu_sim_suite, mmu_update_suite, mmu_l1_suite,
                          mmu_upper_suite, mmu_linear_suite, mmu_machphys_suite, mmu_pin_suite,
                          mmu_baseptr_suite, mmu_ext_suite, mmu_uvm_suite,
                          mmu_multicall_suite, mmu_types_suite, mmu_preempt_suite,
                          mmu_security_suite, mmu_translate_suite, mmu_audit_suite,
                          mmu_dump_suite, mmu_grant_suite, mmu_grant_life_suite,
                          mmu_grant_v2_suite;

#define MMU_SUITES &mmu_sim_suite, &mmu_update_suite, &mmu_l1_suite, \
                   &mmu_upper_suite, &mmu_linear_suite, &mmu_machphys_suite, &mmu_pin_suite, \
                   &mmu_baseptr_suite, &mmu_ext_suite, &mmu_uvm_suite, \
                   &mmu_multicall_suite, &mmu_types_suite, &mmu_preempt_suite, \
                   &mmu_security_suite, &mmu_translate_suite, &mmu_audit_suite, \
                   &mmu_dump_suite, &mmu_grant_suite, &mmu_grant_life_suite, \
                   &mmu_grant_v2_suite

#endif
