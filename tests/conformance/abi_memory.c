/*
 * abi_memory.c - memory_op: what the domain may learn about its memory.
 *
 * Rules (docs/hypercalls.md; Xen's common/memory.c, arch/x86/x86_64/mm.c):
 *   - current/maximum_reservation take a pointer to a domid: DOMID_SELF or
 *     our own numeric id (0) name us, an id with no domain is -ESRCH, an
 *     unreadable pointer -EFAULT;
 *   - maximum_ram_page returns the highest machine frame (host-dependent);
 *   - machphys_mapping says where the read-only M2P is (§2.7, §3.7): the
 *     whole 256 GiB area of the public header, not just the part in use;
 *   - an unknown command is -ENOSYS.
 */
#include "kernel.h"
#include "ktap.h"
#include "abi.h"
#include "guest-hypercall.h"

static long reservation(unsigned int cmd, domid_t domid)
{
    domid_t d = domid;

    return HYPERVISOR_memory_op(cmd, &d);
}

static const char *current_self(void)
{
    return conf_rc("memory_op.reservation.current_self_is_nr_pages",
                   "current_reservation of DOMID_SELF is the pages we hold (start_info.nr_pages)",
                   reservation(XENMEM_current_reservation, DOMID_SELF),
                   (long)start_info->nr_pages);
}

static const char *current_own_id(void)
{
    return conf_rc("memory_op.reservation.current_own_id_is_nr_pages",
                   "our own numeric domid names us as DOMID_SELF does",
                   reservation(XENMEM_current_reservation, 0),
                   (long)start_info->nr_pages);
}

/* dom0's limit: with dom0_mem=32M and no "max:", Xen sets none, i.e.
 * max_pages = UINT_MAX (real Xen 4.17.7). */
static const char *maximum_self(void)
{
    return conf_rc("memory_op.reservation.maximum_self_is_uint_max",
                   "dom0 booted without dom0_mem=max: has no limit: max_pages is UINT_MAX",
                   reservation(XENMEM_maximum_reservation, DOMID_SELF),
                   0xffffffffL);
}

static const char *no_such_domain(void)
{
    return conf_rc("memory_op.reservation.no_such_domain_is_esrch",
                   "a domid with no domain behind it is -ESRCH",
                   reservation(XENMEM_current_reservation, 77), -XEN_ESRCH);
}

static const char *unreadable_domid(void)
{
    return conf_rc("memory_op.reservation.unmapped_domid_ptr_is_efault",
                   "an unreadable pointer to the domid is -EFAULT",
                   HYPERVISOR_memory_op(XENMEM_current_reservation,
                                        (void *)0x1000UL),
                   -XEN_EFAULT);
}

static const char *max_ram_page(void)
{
    long rc = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    const unsigned long *p2m = (const unsigned long *)start_info->mfn_list;

    ktap_fact("local.memory_maximum_ram_page", "%#lx", rc);
    /* Every frame we own lies below it. */
    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++)
        if ((long)p2m[pfn] >= rc)
            return ktap_reason("P2M[%lu] = %#lx is not below %#lx", pfn,
                               p2m[pfn], rc);
    return NULL;
}

static const char *machphys_mapping(void)
{
    struct xen_machphys_mapping m = { 0, 0, 0 };
    long rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m);
    const char *r = conf_rc("memory_op.machphys_mapping.succeeds",
                            "machphys_mapping fills in the M2P area and returns 0",
                            rc, 0);

    r = conf_hex("memory_op.machphys_mapping.v_start_is_header_start",
                 "the read-only M2P starts at the public header's MACH2PHYS_VIRT_START",
                 m.v_start, MACH2PHYS_VIRT_START) ?: r;
    r = conf_hex("memory_op.machphys_mapping.v_end_is_header_end",
                 "the M2P area is the header's whole 256 GiB, not just the part in use",
                 m.v_end, MACH2PHYS_VIRT_END) ?: r;
    ktap_fact("local.memory_machphys_max_mfn", "%#lx", (unsigned long)m.max_mfn);
    return r;
}

static const char *unknown_cmd(void)
{
    return conf_rc("memory_op.cmd.unknown_cmd_is_enosys",
                   "an unknown memory_op command (63) is -ENOSYS",
                   HYPERVISOR_memory_op(63, NULL), -XEN_ENOSYS);
}

const struct abi_case abi_memory_cases[] = {
    { "memory_op_current_reservation_self",  current_self },
    { "memory_op_current_reservation_own_id", current_own_id },
    { "memory_op_maximum_reservation_self",  maximum_self },
    { "memory_op_reservation_no_domain",     no_such_domain },
    { "memory_op_reservation_unmapped_arg",  unreadable_domid },
    { "memory_op_maximum_ram_page",          max_ram_page },
    { "memory_op_machphys_mapping",          machphys_mapping },
    { "memory_op_unknown_cmd",               unknown_cmd },
    { NULL, NULL }
};
