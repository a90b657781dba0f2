/*
 * test-mmu-sim.c - the simulated machine itself: the bootstrap state the
 * builder leaves (xen-pvmmu-abi.md §1.2) and the env's guest-pointer rules.
 * If these fail, every other mmu suite is suspect.
 */
#include "sim.h"
#include "guest_access.h"

static const char *t_bootstrap_counts_as_builder(void)
{
    sim_init();
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
    {
        struct sim_dom *sd = sim_sd(i);

        /* §1.2: every PT frame: type count 1, general count 3; the L4 one
         * more of each and pinned; the L4 is vCPU 0's guest_table. */
        CHECK_U(sim_tcount(sd->l3), 1);
        CHECK_U(sim_count(sd->l3), 3);
        CHECK_U(sim_tcount(sd->l2), 1);
        CHECK_U(sim_count(sd->l1), 3);
        CHECK_U(sim_tcount(sd->l4), 2);
        CHECK_U(sim_count(sd->l4), 4);
        CHECK(sim_pinned(sd->l4));
        CHECK(!sim_pinned(sd->l3));
        CHECK(mfn_eq(sd->d->vcpu[0]->guest_table, sd->l4));
        /* A data page: allocation + its RW mapping, writable type count 1. */
        CHECK_U(sim_count(sim_mfn(i, SIM_DATA_PFN)), 2);
        CHECK_U(sim_type(sim_mfn(i, SIM_DATA_PFN)), PGT_writable_page);
        CHECK_U(sim_tcount(sim_mfn(i, SIM_DATA_PFN)), 1);
        CHECK_U(host_m2p[mfn_x(sim_mfn(i, 9))], 9);
        CHECK(mfn_x(sim_mfn(i, 9)) != 9);
    }
    CHECK(sim_d(0)->is_privileged);
    CHECK(!sim_d(1)->is_privileged && !sim_d(2)->is_privileged);
    CHECK_INV();
    return NULL;
}

static const char *t_guest_copy_rules(void)
{
    unsigned long x = 5, y = 0;

    sim_init();
    CHECK_U(copy_from_guest(&y, (unsigned long)&x, sizeof(x)), 0);
    CHECK_U(y, 5);
    CHECK_U(copy_from_guest(&y, 0, sizeof(y)), sizeof(y));
    CHECK_U(copy_from_guest(&y, SIM_BAD_PTR, sizeof(y)), sizeof(y));
    CHECK_U(copy_to_guest(SIM_BAD_PTR + 64, &x, sizeof(x)), sizeof(x));
    CHECK_U(copy_to_guest(HYPERVISOR_VIRT_START, &x, sizeof(x)), sizeof(x));
    return NULL;
}

static const char *t_preempt_control(void)
{
    sim_init();
    CHECK(!hypercall_preempt_check());
    sim_preempt_every(3);
    CHECK(!hypercall_preempt_check());
    CHECK(!hypercall_preempt_check());
    CHECK(hypercall_preempt_check());
    return NULL;
}

static const struct test tests[] = {
    { t_bootstrap_counts_as_builder, "bootstrap state matches the builder (abi 1.2)" },
    { t_guest_copy_rules, "guest copies: NULL, SIM_BAD_PTR and the Xen hole fault" },
    { t_preempt_control, "hypercall_preempt_check every N" },
};
DEFINE_SUITE(mmu_sim_suite, "mmu-sim", tests);
