/*
 * abi_hypercall.c - hypercall numbers and the small informational
 * hypercalls: console_io, xen_version, vm_assist, sched_op.
 *
 * Rules (reference §1.6, docs/hypercalls.md):
 *   - a number with no handler in Xen 4.17's PV64 table returns -ENOSYS,
 *     whether it comes through the hypercall page or a bare `syscall`, and
 *     the number is the whole of rax;
 *   - each hypercall answers an unknown sub-command with its own error.
 */
#include "kernel.h"
#include "ktap.h"
#include "lib.h"
#include "traps.h"
#include "abi.h"
#include "guest-hypercall.h"

/* An address in the empty lower half: never mapped in this guest. */
#define UNMAPPED ((void *)0x1000UL)

/* --- Numbers without a handler (§1.6: 11 is a hole, 63 the table's end). */

static const char *nr11_page(void)
{
    return expect_rc("hc_nr11_page", xen_hypercall(11, 0, 0, 0, 0, 0),
                     -XEN_ENOSYS);
}

static const char *nr63_page(void)
{
    return expect_rc("hc_nr63_page", xen_hypercall(63, 0, 0, 0, 0, 0),
                     -XEN_ENOSYS);
}

static const char *nr11_syscall(void)
{
    return expect_rc("hc_nr11_syscall", xen_hypercall_syscall(11, 0, 0, 0),
                     -XEN_ENOSYS);
}

/* Beyond the 128 slots of the page: only reachable with `syscall`. */
static const char *nr200_syscall(void)
{
    return expect_rc("hc_nr200_syscall", xen_hypercall_syscall(200, 0, 0, 0),
                     -XEN_ENOSYS);
}

/* xen_version's number with bit 32 set: the number is all 64 bits of rax. */
static const char *nr_upper_bits(void)
{
    unsigned long nr = (1UL << 32) | __HYPERVISOR_xen_version;

    return expect_rc("hc_nr_bit32", xen_hypercall_syscall(nr, XENVER_version,
                                                          0, 0),
                     -XEN_ENOSYS);
}

/* --- console_io (common/console.c do_console_io). */

static const char *console_bad_cmd(void)
{
    return expect_rc("console_io_cmd99",
                     HYPERVISOR_console_io(99, 0, NULL), -XEN_ENOSYS);
}

static const char *console_write_efault(void)
{
    return expect_rc("console_io_write_unmapped",
                     HYPERVISOR_console_io(CONSOLEIO_write, 8, UNMAPPED),
                     -XEN_EFAULT);
}

/* --- xen_version (common/kernel.c do_xen_version). */

static const char *xenver_pagesize(void)
{
    return expect_rc("xenver_pagesize",
                     HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
}

/* virt_start is where the hypervisor's hole starts (§2.7). */
static const char *xenver_platform(void)
{
    xen_platform_parameters_t p = { .virt_start = 0 };
    const char *r = expect_rc("xenver_platform_parameters",
                              HYPERVISOR_xen_version(XENVER_platform_parameters, &p), 0);

    abi_fact("xenver_virt_start", "%lx", (unsigned long)p.virt_start);
    if (!r && p.virt_start != HYPERVISOR_VIRT_START)
        r = ktap_reason("virt_start %lx", (unsigned long)p.virt_start);
    return r;
}

/* Xen 4.17 has one 32-bit feature submap (XENFEAT_NR_SUBMAPS == 1). */
static const char *xenver_features1(void)
{
    struct xen_feature_info fi = { .submap_idx = 1, .submap = 0xdead };
    long rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);

    abi_fact("xenver_features1_submap", "%#x", fi.submap);
    return expect_rc("xenver_features1", rc, -XEN_EINVAL);
}

static const char *xenver_unknown(void)
{
    return expect_rc("xenver_cmd99", HYPERVISOR_xen_version(99, NULL),
                     -XEN_ENOSYS);
}

/* dom0 may read the hypervisor's command line (others get -EPERM). */
static const char *xenver_commandline(void)
{
    static xen_commandline_t line;
    long rc = HYPERVISOR_xen_version(XENVER_commandline, line);

    line[sizeof(line) - 1] = '\0';
    abi_fact("xenver_commandline_text", "%s", line);
    return expect_rc("xenver_commandline", rc, 0);
}

/* dom0's handle (its UUID) is all zeroes. */
static const char *xenver_guest_handle(void)
{
    xen_domain_handle_t h;
    long rc;
    int nonzero = 0;
    const char *r;

    memset(h, 0xff, sizeof(h));
    rc = HYPERVISOR_xen_version(XENVER_guest_handle, h);
    for (size_t i = 0; i < sizeof(h); i++)
        nonzero |= h[i];
    abi_fact("xenver_guest_handle_nonzero", "%d", nonzero != 0);
    r = expect_rc("xenver_guest_handle", rc, 0);
    return r || !nonzero ? r : "handle is not all zeroes";
}

/* --- vm_assist (common/kernel.c vm_assist): type checked before cmd. */

static const char *vmassist_enable_wpt(void)
{
    return expect_rc("vm_assist_enable_wpt",
                     HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                          VMASST_TYPE_writable_pagetables), 0);
}

static const char *vmassist_disable_wpt(void)
{
    return expect_rc("vm_assist_disable_wpt",
                     HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                          VMASST_TYPE_writable_pagetables), 0);
}

static const char *vmassist_bad_type(void)
{
    return expect_rc("vm_assist_type6",
                     HYPERVISOR_vm_assist(VMASST_CMD_enable, 6), -XEN_EINVAL);
}

static const char *vmassist_bad_cmd(void)
{
    return expect_rc("vm_assist_cmd7",
                     HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables),
                     -XEN_ENOSYS);
}

/* An unknown type wins over an unknown command. */
static const char *vmassist_bad_both(void)
{
    return expect_rc("vm_assist_cmd7_type6", HYPERVISOR_vm_assist(7, 6),
                     -XEN_EINVAL);
}

/* Which types 0..63 can be enabled: 64-bit PV's VM_ASSIST_VALID. */
static const char *vmassist_valid_mask(void)
{
    const unsigned long want = 0x3fUL | (1UL << VMASST_TYPE_m2p_strict);
    unsigned long mask = 0;

    for (unsigned int type = 0; type < 64; type++) {
        if (HYPERVISOR_vm_assist(VMASST_CMD_enable, type) == 0) {
            mask |= 1UL << type;
            HYPERVISOR_vm_assist(VMASST_CMD_disable, type);
        }
    }
    abi_fact("vm_assist_valid_types", "%#lx", mask);
    return mask == want ? NULL
                        : ktap_reason("mask %#lx, expected %#lx", mask, want);
}

/* --- sched_op (common/sched/core.c do_sched_op). */

static const char *sched_yield(void)
{
    return expect_rc("sched_yield", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
}

static const char *sched_bad_cmd(void)
{
    return expect_rc("sched_cmd99", HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
}

static const char *sched_shutdown_efault(void)
{
    return expect_rc("sched_shutdown_unmapped",
                     HYPERVISOR_sched_op(SCHEDOP_shutdown, UNMAPPED),
                     -XEN_EFAULT);
}

const struct abi_case abi_hypercall_cases[] = {
    { "hypercall_11_via_page_enosys",     nr11_page },
    { "hypercall_63_via_page_enosys",     nr63_page },
    { "hypercall_11_via_syscall_enosys",  nr11_syscall },
    { "hypercall_200_via_syscall_enosys", nr200_syscall },
    { "hypercall_nr_is_64_bits",          nr_upper_bits },
    { "console_io_unknown_cmd",           console_bad_cmd },
    { "console_io_write_unmapped_efault", console_write_efault },
    { "xen_version_pagesize",             xenver_pagesize },
    { "xen_version_platform_parameters",  xenver_platform },
    { "xen_version_features_submap1",     xenver_features1 },
    { "xen_version_unknown_cmd",          xenver_unknown },
    { "xen_version_commandline_dom0",     xenver_commandline },
    { "xen_version_guest_handle",         xenver_guest_handle },
    { "vm_assist_enable_writable_pt",     vmassist_enable_wpt },
    { "vm_assist_disable_writable_pt",    vmassist_disable_wpt },
    { "vm_assist_unknown_type",           vmassist_bad_type },
    { "vm_assist_unknown_cmd",            vmassist_bad_cmd },
    { "vm_assist_type_checked_first",     vmassist_bad_both },
    { "vm_assist_valid_types",            vmassist_valid_mask },
    { "sched_op_yield",                   sched_yield },
    { "sched_op_unknown_cmd",             sched_bad_cmd },
    { "sched_op_shutdown_unmapped_efault", sched_shutdown_efault },
    { NULL, NULL }
};
