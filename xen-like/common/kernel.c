/*
 * kernel.c - xen_version and vm_assist: what the hypervisor is, and which
 * optional behaviours a guest has switched on.
 */
#include "cmdline.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "version.h"

extern char saved_cmdline[];

/*
 * The feature bits a 64-bit PV domain sees in submap 0, as Xen 4.17
 * reports them: the PV-MMU extras, direct_mapped (a PV guest's frames are
 * machine frames), plus XENFEAT_dom0 for the hardware
 * domain.  (No writable_page_tables: PV guests do not get it.)
 */
static uint32_t features_submap0(const struct domain *d)
{
    uint32_t f = (1U << XENFEAT_mmu_pt_update_preserve_ad) |
                 (1U << XENFEAT_highmem_assist) |
                 (1U << XENFEAT_gnttab_map_avail_bits) |
                 (1U << XENFEAT_memory_op_vnode_supported) |
                 (1U << XENFEAT_direct_mapped);

    if ( d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3) )
        f |= 1U << XENFEAT_pae_pgdir_above_4gb;
    if ( d->is_privileged )
        f |= 1U << XENFEAT_dom0;
    /* Translate mode: the guest writes its own frames; we compose f·g. */
    if ( d->translated )
        f |= (1U << XENFEAT_auto_translated_physmap) |
             (1U << XENFEAT_writable_page_tables);
    return f;
}

static long copy_string(unsigned long arg, const char *s, size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest(arg, buf, size) ? -XEN_EFAULT : 0;
}

long do_xen_version(unsigned long cmd, unsigned long arg)
{
    const struct domain *d = current->domain;

    switch ( cmd )
    {
    case XENVER_version:
        return (XEN_LIKE_ABI_MAJOR << 16) | XEN_LIKE_ABI_MINOR;
    case XENVER_extraversion:
        return copy_string(arg, XEN_LIKE_EXTRAVERSION, sizeof(xen_extraversion_t));
    case XENVER_compile_info:
    {
        struct xen_compile_info ci;

        memset(&ci, 0, sizeof(ci));
        strlcpy(ci.compiler, "gcc", sizeof(ci.compiler));
        strlcpy(ci.compile_by, "xen-like", sizeof(ci.compile_by));
        strlcpy(ci.compile_domain, "xen-like", sizeof(ci.compile_domain));
        strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
        return copy_to_guest(arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_string(arg, XEN_LIKE_CAPABILITIES, sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string(arg, XEN_LIKE_CHANGESET, sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters:
    {
        struct xen_platform_parameters pp = { .virt_start = HYPERVISOR_VIRT_START };

        return copy_to_guest(arg, &pp, sizeof(pp)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features:
    {
        struct xen_feature_info fi;

        if ( copy_from_guest(&fi, arg, sizeof(fi)) )
            return -XEN_EFAULT;
        if ( fi.submap_idx >= XENFEAT_NR_SUBMAPS )
            return -XEN_EINVAL;
        fi.submap = features_submap0(d);
        return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
    {
        xen_domain_handle_t h;

        memset(h, 0, sizeof(h));
        return copy_to_guest(arg, h, sizeof(h)) ? -XEN_EFAULT : 0;
    }
    case XENVER_commandline:
        if ( !d->is_privileged )
            return -XEN_EPERM;
        return copy_string(arg, saved_cmdline, sizeof(xen_commandline_t));
    default:
        return -XEN_ENOSYS;
    }
}

/* The assists a 64-bit PV guest may turn on (Xen's VM_ASSIST_VALID). */
#define VM_ASSIST_VALID ((1UL << VMASST_TYPE_4gb_segments) | \
                         (1UL << VMASST_TYPE_4gb_segments_notify) | \
                         (1UL << VMASST_TYPE_writable_pagetables) | \
                         (1UL << VMASST_TYPE_pae_extended_cr3) | \
                         (1UL << VMASST_TYPE_architectural_iopl) | \
                         (1UL << VMASST_TYPE_runstate_update_flag) | \
                         (1UL << VMASST_TYPE_m2p_strict))

long do_vm_assist(unsigned long cmd, unsigned long type)
{
    struct domain *d = current->domain;

    if ( type >= 64 || !(VM_ASSIST_VALID & (1UL << type)) )
        return -XEN_EINVAL;
    switch ( cmd )
    {
    case VMASST_CMD_enable:
        d->vm_assist |= 1UL << type;
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1UL << type);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
