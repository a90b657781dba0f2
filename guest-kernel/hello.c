/*
 * hello.c - the "hello" boot mode: report what the hypervisor gave us,
 * then check a handful of basic PV mechanisms.
 *
 * Output is KTAP (lib/ktap.c).  Facts are key=value lines the harness
 * compares between real Xen and xen-like: "abi." facts must be equal,
 * "local." facts may differ (machine addresses, version strings).
 */
#include <stdarg.h>
#include "kernel.h"
#include "mm.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "traps.h"
#include "guest-hypercall.h"

/* The address the page-fault case reads: low, in the (empty) user half. */
#define UNMAPPED_VA 0x1000UL

/* Format a failure reason (cases return NULL on success). */
static const char *why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *why(const char *fmt, ...)
{
    static char reason[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    return reason;
}

/* ------------------------------------------------------------------ */
/* Facts                                                               */
/* ------------------------------------------------------------------ */

/* M2P entry for `mfn`, or ~0 if the read-only M2P cannot be read. */
static unsigned long m2p(unsigned long mfn)
{
    uint64_t v;

    if (probe_read_u64((unsigned long)&machine_to_phys_mapping[mfn], &v))
        return ~0UL;
    return v;
}

/* Does the builder's stack lie in the mapped bootstrap region? */
static bool boot_stack_in_bootstrap(void)
{
    unsigned long end = VIRT_BASE + start_info->nr_pages * PAGE_SIZE;
    uint64_t v;

    return boot_rsp > VIRT_BASE && boot_rsp <= end &&
           probe_read_u64(boot_rsp - 8, &v) == 0;
}

static void report_start_info(void)
{
    const start_info_t *si = start_info;
    const unsigned long *p2m = (const unsigned long *)si->mfn_list;
    unsigned long pt_end = si->pt_base + si->nr_pt_frames * PAGE_SIZE;

    ktap_fact("abi.magic", "%.32s", si->magic);
    ktap_fact("abi.start_info", "%lx", (unsigned long)si);
    ktap_fact("abi.nr_pages", "%lu", si->nr_pages);
    ktap_fact("abi.flags", "%#x", si->flags);
    ktap_fact("abi.pt_base", "%lx", si->pt_base);
    ktap_fact("abi.nr_pt_frames", "%lu", si->nr_pt_frames);
    ktap_fact("abi.mfn_list", "%lx", si->mfn_list);
    ktap_fact("abi.mod_start", "%lx", si->mod_start);
    ktap_fact("abi.mod_len", "%lu", si->mod_len);
    ktap_fact("abi.cmd_line", "%s", (const char *)si->cmd_line);
    ktap_fact("abi.boot_rsp", "%lx", boot_rsp);
    ktap_fact("abi.boot_rsp_minus_pt_end", "%ld", (long)(boot_rsp - pt_end));
    ktap_fact("abi.boot_rsp_in_bootstrap", "%d", boot_stack_in_bootstrap());
    ktap_fact("local.shared_info", "%lx", (unsigned long)si->shared_info);
    ktap_fact("local.store_mfn", "%lx", (unsigned long)si->store_mfn);
    for (unsigned int i = 0; i < 4 && i < si->nr_pages; i++) {
        char key[16];
        snprintf(key, sizeof(key), "local.p2m%u", i);
        ktap_fact(key, "%lx", p2m[i]);
    }
    ktap_fact("abi.m2p_of_p2m0", "%lx", m2p(p2m[0]));
}

static void report_version(void)
{
    xen_extraversion_t extra;
    struct xen_feature_info fi = { .submap_idx = 0 };
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    memset(extra, 0, sizeof(extra));
    HYPERVISOR_xen_version(XENVER_extraversion, extra);
    extra[sizeof(extra) - 1] = '\0';
    ktap_fact("abi.xen_version", "%ld.%ld", ver >> 16, ver & 0xffff);
    ktap_fact("local.xen_extraversion", "%s", extra);
    if (HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0)
        ktap_fact("abi.features0", "%#x", fi.submap);
    else
        ktap_fact("abi.features0", "error");
}

/* ------------------------------------------------------------------ */
/* Cases: each returns NULL when it passes, or the reason it failed.   */
/* ------------------------------------------------------------------ */

static const char *case_hypercall_page(void)
{
    /* start_kernel() stopped already if the page were still poisoned. */
    ktap_fact("local.hypercall_slot0", "%02x %02x %02x %02x",
              (unsigned char)hypercall_page[0], (unsigned char)hypercall_page[1],
              (unsigned char)hypercall_page[2], (unsigned char)hypercall_page[3]);
    return NULL;
}

static const char *case_console(void)
{
    long rc = console_first_rc();

    return rc == 0 ? NULL : why("first CONSOLEIO_write returned %ld", rc);
}

static const char *case_start_info_magic(void)
{
    const char *magic = start_info->magic;

    return strncmp(magic, "xen-3.0-x86_64", 14) == 0
        ? NULL : why("magic is \"%.32s\"", magic);
}

static const char *case_shared_info(void)
{
    /* The builder starts every vCPU with events masked. */
    unsigned int mask = this_vcpu()->evtchn_upcall_mask;

    return mask == 1 ? NULL : why("vcpu_info[0].evtchn_upcall_mask is %u", mask);
}

/*
 * pfn -> mfn -> pfn.  In Xen's ABI the P2M gives the machine frame.  In
 * xen-like's translate mode (XENFEAT_auto_translated_physmap) the guest
 * writes its own frame numbers and the P2M it was given is the identity;
 * the machine frame is then what the hypervisor installed in the L1 entry
 * that maps the page (the bootstrap region maps pfn n at VIRT_BASE + n pages).
 */
static const char *case_m2p_p2m(void)
{
    const unsigned long *p2m = (const unsigned long *)start_info->mfn_list;
    unsigned long last = start_info->nr_pages - 1;
    unsigned long pfns[] = { 0, 1, 2, 3, last };
    xen_feature_info_t fi = { .submap_idx = 0 };
    bool translated = HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0 &&
                      (fi.submap & (1U << XENFEAT_auto_translated_physmap));

    for (size_t i = 0; i < ARRAY_SIZE(pfns); i++) {
        unsigned long pfn = pfns[i], mfn = p2m[pfn], back;

        if (translated) {
            if (p2m[pfn] != pfn)
                return why("translate mode: P2M(%lu) = %lx, not the identity", pfn,
                           p2m[pfn]);
            if (pfn == last)
                continue;            /* beyond the bootstrap region: unmapped */
            mfn = (*l1e_of(VIRT_BASE + pfn * PAGE_SIZE) & 0x000ffffffffff000UL) >> 12;
        }
        back = m2p(mfn);
        if (back != pfn)
            return why("M2P(%lx, the frame of pfn %lu) = %lx", mfn, pfn, back);
    }
    return NULL;
}

static const char *case_page_fault(void)
{
    unsigned long before = last_trap.count;
    uint64_t v;

    if (!probe_read_u64(UNMAPPED_VA, &v))
        return why("reading %lx did not fault (read %lx)", UNMAPPED_VA,
                   (unsigned long)v);
    if (last_trap.count != before + 1 || last_trap.vector != X86_EXC_PF)
        return why("expected one #PF, got %s", trap_name(last_trap.vector));
    ktap_fact("abi.pf_error_code", "%#lx", last_trap.error_code);
    ktap_fact("abi.pf_cr2", "%lx", last_trap.cr2);
    if (last_trap.cr2 != UNMAPPED_VA)
        return why("vcpu_info.arch.cr2 is %lx, expected %lx", last_trap.cr2,
                   UNMAPPED_VA);
    /* Kernel-mode read of a non-present page: P, W and U all clear. */
    if (last_trap.error_code & (X86_PFEC_PRESENT | X86_PFEC_WRITE | X86_PFEC_USER))
        return why("error code %#lx, expected P=W=U=0", last_trap.error_code);
    return NULL;
}

static const char *case_int3(void)
{
    unsigned long before = last_trap.count, after_int3;

    __asm__ volatile ("leaq 1f(%%rip), %0\n\t"
                      "int3\n"
                      "1:"
                      : "=r" (after_int3) : : "memory");
    if (last_trap.count != before + 1 || last_trap.vector != X86_EXC_BP)
        return why("no #BP seen");
    if (last_trap.rip != after_int3)
        return why("#BP frame rip %lx, expected %lx", last_trap.rip, after_int3);
    return NULL;
}

static const char *case_cpuid(void)
{
    uint32_t r[4];
    char sig[13];

    if (xen_cpuid(0x40000000, 0, r))
        return why("forced-emulation prefix raised %s",
                   trap_name(last_trap.vector));
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = '\0';
    ktap_fact("abi.cpuid_signature", "%s", sig);
    ktap_fact("local.cpuid_max_leaf", "%#x", r[0]);
    return strcmp(sig, "XenVMMXenVMM") == 0
        ? NULL : why("leaf 0x40000000 signature \"%s\"", sig);
}

static const struct {
    const char *name;
    const char *(*run)(void);
} cases[] = {
    { "hypercall_page_written", case_hypercall_page },
    { "console_io_write",       case_console },
    { "start_info_magic",       case_start_info_magic },
    { "shared_info_mapped",     case_shared_info },
    { "m2p_p2m_roundtrip",      case_m2p_p2m },
    { "page_fault_delivered",   case_page_fault },
    { "int3_delivered",         case_int3 },
    { "forced_emulation_cpuid", case_cpuid },
};

int hello_main(void)
{
    ktap_begin(ARRAY_SIZE(cases));
    printk("# guest-kernel hello: a PV kernel reports what it was given\n");
    report_start_info();
    report_version();
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        ktap_case(cases[i].name, cases[i].run());
    return (int)ktap_end();
}
