/*
 * mmu_main.c - the runner of the PV-MMU host tests (build/host/mmu-tests):
 * tests/host/runner.c over the MMU suites, ending "host-mmu: N passed, N
 * failed".  A separate binary because these tests link the PV-MMU core and
 * the simulated machine (tests/host/sim), which the parser tests do not
 * need.  Each child starts from a pristine address space, so every test
 * builds its own machine with sim_init(); the machine is left to the OS
 * (no leak check).
 */
#include "runner.h"
#include "mmu_suites.h"

static const struct suite *const suites[] = { MMU_SUITES };

int main(int argc, char **argv)
{
    return runner_main("host-mmu", suites, sizeof(suites) / sizeof(suites[0]), argc, argv,
                       0);
}
