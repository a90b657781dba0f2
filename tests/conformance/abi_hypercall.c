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
    return conf_rc("hypercall.nr.hole_11_via_page_is_enosys",
                   "a number with no handler (11, a hole) is -ENOSYS through the hypercall page",
                   xen_hypercall(11, 0, 0, 0, 0, 0), -XEN_ENOSYS);
}

static const char *nr63_page(void)
{
    return conf_rc("hypercall.nr.last_slot_63_via_page_is_enosys",
                   "the last slot of the hypercall page (63 in the PV64 table) has no handler: -ENOSYS",
                   xen_hypercall(63, 0, 0, 0, 0, 0), -XEN_ENOSYS);
}

static const char *nr11_syscall(void)
{
    return conf_rc("hypercall.nr.hole_11_via_syscall_is_enosys",
                   "a bare syscall with a number that has no handler is -ENOSYS, as through the page",
                   xen_hypercall_syscall(11, 0, 0, 0), -XEN_ENOSYS);
}

/* Beyond the 128 slots of the page: only reachable with `syscall`. */
static const char *nr200_syscall(void)
{
    return conf_rc("hypercall.nr.nr200_beyond_page_is_enosys",
                   "a number beyond the 128 slots of the page, reached by syscall, is -ENOSYS",
                   xen_hypercall_syscall(200, 0, 0, 0), -XEN_ENOSYS);
}

/* xen_version's number with bit 32 set: the number is all 64 bits of rax. */
static const char *nr_upper_bits(void)
{
    unsigned long nr = (1UL << 32) | __HYPERVISOR_xen_version;

    return conf_rc("hypercall.nr.bit32_set_is_enosys",
                   "the hypercall number is all 64 bits of rax: xen_version with bit 32 set is -ENOSYS",
                   xen_hypercall_syscall(nr, XENVER_version, 0, 0), -XEN_ENOSYS);
}

/* --- console_io (common/console.c do_console_io). */

static const char *console_bad_cmd(void)
{
    return conf_rc("console_io.cmd.unknown_cmd_is_enosys",
                   "an unknown console_io command (99) is -ENOSYS",
                   HYPERVISOR_console_io(99, 0, NULL), -XEN_ENOSYS);
}

static const char *console_write_efault(void)
{
    return conf_rc("console_io.write.unmapped_buffer_is_efault",
                   "CONSOLEIO_write from an unreadable buffer is -EFAULT",
                   HYPERVISOR_console_io(CONSOLEIO_write, 8, UNMAPPED),
                   -XEN_EFAULT);
}

/* --- xen_version (common/kernel.c do_xen_version). */

static const char *xenver_pagesize(void)
{
    return conf_rc("xen_version.pagesize.is_4096",
                   "XENVER_pagesize returns the page size, 4096",
                   HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
}

/* virt_start is where the hypervisor's hole starts (§2.7). */
static const char *xenver_platform(void)
{
    xen_platform_parameters_t p = { .virt_start = 0 };
    const char *r = conf_rc("xen_version.platform_parameters.succeeds",
                            "XENVER_platform_parameters fills in the structure and returns 0",
                            HYPERVISOR_xen_version(XENVER_platform_parameters, &p), 0);

    return conf_hex("xen_version.platform_parameters.virt_start_is_hypervisor_virt_start",
                    "virt_start is where the hypervisor's hole starts, HYPERVISOR_VIRT_START",
                    p.virt_start, HYPERVISOR_VIRT_START) ?: r;
}

/* Xen 4.17 has one 32-bit feature submap (XENFEAT_NR_SUBMAPS == 1). */
static const char *xenver_features1(void)
{
    struct xen_feature_info fi = { .submap_idx = 1, .submap = 0xdead };
    long rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);

    const char *r = conf_hex("xen_version.get_features.submap1_left_unwritten",
                             "a refused feature submap index leaves the caller's submap untouched",
                             fi.submap, 0xdead);

    return conf_rc("xen_version.get_features.submap1_is_einval",
                   "there is one 32-bit feature submap: index 1 is -EINVAL",
                   rc, -XEN_EINVAL) ?: r;
}

static const char *xenver_unknown(void)
{
    return conf_rc("xen_version.cmd.unknown_cmd_is_enosys",
                   "an unknown xen_version command (99) is -ENOSYS",
                   HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
}

/* dom0 may read the hypervisor's command line (others get -EPERM). */
static const char *xenver_commandline(void)
{
    static xen_commandline_t line;
    long rc = HYPERVISOR_xen_version(XENVER_commandline, line);

    line[sizeof(line) - 1] = '\0';
    conf_fact("xen_version.commandline.text",
              "XENVER_commandline gives the hypervisor's own command line",
              "%s", line);
    return conf_rc("xen_version.commandline.dom0_may_read",
                   "dom0 may read the hypervisor's command line: 0",
                   rc, 0);
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
    r = conf_dec("xen_version.guest_handle.dom0_handle_is_all_zero",
                 "dom0's handle (its UUID) is all zeroes",
                 nonzero != 0, 0);
    return conf_rc("xen_version.guest_handle.succeeds",
                   "XENVER_guest_handle copies out the domain's handle and returns 0",
                   rc, 0) ?: r;
}

/* --- vm_assist (common/kernel.c vm_assist): type checked before cmd. */

static const char *vmassist_enable_wpt(void)
{
    return conf_rc("vm_assist.writable_pagetables.enable_succeeds",
                   "a 64-bit PV guest may enable writable page tables",
                   HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                        VMASST_TYPE_writable_pagetables), 0);
}

static const char *vmassist_disable_wpt(void)
{
    return conf_rc("vm_assist.writable_pagetables.disable_succeeds",
                   "an assist that may be enabled may be disabled again",
                   HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                        VMASST_TYPE_writable_pagetables), 0);
}

static const char *vmassist_bad_type(void)
{
    return conf_rc("vm_assist.type.unknown_type6_is_einval",
                   "enabling a type outside the valid set (6) is -EINVAL",
                   HYPERVISOR_vm_assist(VMASST_CMD_enable, 6), -XEN_EINVAL);
}

static const char *vmassist_bad_cmd(void)
{
    return conf_rc("vm_assist.cmd.unknown_cmd7_is_enosys",
                   "an unknown vm_assist command (7) with a valid type is -ENOSYS",
                   HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables),
                   -XEN_ENOSYS);
}

/* An unknown type wins over an unknown command. */
static const char *vmassist_bad_both(void)
{
    return conf_rc("vm_assist.type.checked_before_cmd_is_einval",
                   "the type is checked before the command: unknown both is -EINVAL",
                   HYPERVISOR_vm_assist(7, 6), -XEN_EINVAL);
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
    return conf_hex("vm_assist.type.valid_set_is_0_to_5_and_m2p_strict",
                    "64-bit PV may enable types 0-5 and m2p_strict (32), no others",
                    mask, want);
}

/* --- sched_op (common/sched/core.c do_sched_op). */

static const char *sched_yield(void)
{
    return conf_rc("sched_op.yield.succeeds", "SCHEDOP_yield returns 0",
                   HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
}

static const char *sched_bad_cmd(void)
{
    return conf_rc("sched_op.cmd.unknown_cmd_is_enosys",
                   "an unknown sched_op command (99) is -ENOSYS",
                   HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
}

static const char *sched_shutdown_efault(void)
{
    return conf_rc("sched_op.shutdown.unmapped_arg_is_efault",
                   "SCHEDOP_shutdown with an unreadable argument is -EFAULT",
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
