/*
 * xlate.c - f·g, the one place where the two translation modes differ.
 *
 * A virtual address goes through our page tables (g) to a guest frame and
 * through the P2M (f) to a machine frame.  Someone must compose f·g:
 *
 *   mmu=xen        (the default, Xen's PV ABI, §2.0 and docs/pv-mmu.md)
 *                  we do: every frame we write into a PTE, a `ptr` or an
 *                  mfn argument is P2M[pfn], read from start_info.mfn_list.
 *   mmu=translate  (xen-like booted with pv_translate=0) the hypervisor
 *                  does: we hand it our own pfns; it applies its private
 *                  P2M when it installs the entry.  The P2M it gives us
 *                  is the identity, and XENFEAT_auto_translated_physmap
 *                  says so.  Real Xen never offers this for PV guests.
 *
 * Reading a table back is the same in both modes: the hypervisor stored a
 * machine frame, which the read-only M2P turns into our pfn (§3.7).
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"
#include "guest-hypercall.h"

enum xlate_mode xlate_mode;
bool xlate_feature;

const char *xlate_name(void)
{
    return xlate_mode == XLATE_XEN ? "xen" : "translate";
}

/* Pick the mode from the command line; check the hypervisor agrees. */
const char *xlate_init(void)
{
    static char why[120];
    xen_feature_info_t fi = { .submap_idx = 0 };
    const unsigned long *p2m = (const unsigned long *)start_info->mfn_list;
    long rc;

    xlate_mode = has_word((const char *)start_info->cmd_line, "mmu=translate")
                 ? XLATE_TRANSLATE : XLATE_XEN;
    rc = hc_count_other(HYPERVISOR_xen_version(XENVER_get_features, &fi));
    if (rc)
        return "XENVER_get_features failed";
    xlate_feature = fi.submap & (1u << XENFEAT_auto_translated_physmap);
    printk("# xlate: mmu=%s; hypervisor %s XENFEAT_auto_translated_physmap "
           "(features0 %#x); P2M[1] = %#lx\n", xlate_name(),
           xlate_feature ? "reports" : "does NOT report", fi.submap, p2m[1]);
    if (xlate_mode == XLATE_TRANSLATE && !xlate_feature) {
        snprintf(why, sizeof(why), "mmu=translate asked, but the hypervisor "
                 "does not report XENFEAT_auto_translated_physmap (boot "
                 "xen-like with pv_translate=0)");
        return why;
    }
    if (xlate_mode == XLATE_XEN && xlate_feature)
        printk("# xlate: note: the hypervisor translates; mmu=xen still works "
               "because its P2M is the identity\n");
    if (xlate_mode == XLATE_TRANSLATE && p2m[1] != 1)
        return "translate mode, but the P2M is not the identity";
    return NULL;
}

uint64_t gfn_of(unsigned long pfn)
{
    if (xlate_mode == XLATE_TRANSLATE)
        return pfn;                                 /* the hypervisor applies f */
    return ((const unsigned long *)start_info->mfn_list)[pfn];   /* we apply f */
}

unsigned long pte_pfn(uint64_t pte)
{
    uint64_t pfn;

    if (m2p_read(pte_mfn(pte), &pfn) || pfn >= start_info->nr_pages)
        panic("pte %#lx names mfn %#lx, which is not ours", pte, pte_mfn(pte));
    return pfn;
}
