/*
 * unit_main.c - the host unit tests of the boot-input parsers and the C
 * library (build/host/unit-tests): runner.c over these suites.
 */
#include "runner.h"

static const struct suite *const suites[] = {
    &string_suite, &vsnprintf_suite, &libelf_suite, &libelf_safety_suite,
    &cmdline_suite, &multiboot_suite, &multiboot2_suite, &memmap_suite,
};

int main(int argc, char **argv)
{
    return runner_main("host", suites, sizeof(suites) / sizeof(suites[0]), argc, argv, 1);
}
