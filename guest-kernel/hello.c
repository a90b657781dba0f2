/*
 * hello.c - the "hello" boot mode: report what the hypervisor gave us,
 * check the boot ABI (the cases of tests/conformance/boot_abi.c), then a
 * handful of basic PV mechanisms.
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
#include "abi.h"

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

static void report_start_info(void)
{
    const start_info_t *si = start_info;
    const unsigned long *p2m = (const unsigned long *)si->mfn_list;

    /* The layout, for reading; boot_abi.c checks it against the rules. */
    ktap_fact("local.start_info", "%lx", (unsigned long)si);
    ktap_fact("local.nr_pages", "%lu", si->nr_pages);
    ktap_fact("local.flags", "%#x", si->flags);
    ktap_fact("local.mfn_list", "%lx", si->mfn_list);
    ktap_fact("local.pt_base", "%lx", si->pt_base);
    ktap_fact("local.nr_pt_frames", "%lu", si->nr_pt_frames);
    ktap_fact("local.boot_rsp", "%lx", boot_rsp);
    ktap_fact("local.first_p2m_pfn", "%#lx", si->first_p2m_pfn);
    ktap_fact("local.console_info_off", "%u", si->console.dom0.info_off);
    ktap_fact("local.shared_info", "%lx", (unsigned long)si->shared_info);
    ktap_fact("local.store_mfn", "%lx", (unsigned long)si->store_mfn);
    for (unsigned int i = 0; i < 4 && i < si->nr_pages; i++) {
        char key[16];
        snprintf(key, sizeof(key), "local.p2m%u", i);
        ktap_fact(key, "%lx", p2m[i]);
    }
}

static void report_version(void)
{
    xen_extraversion_t extra;

    memset(extra, 0, sizeof(extra));
    HYPERVISOR_xen_version(XENVER_extraversion, extra);
    extra[sizeof(extra) - 1] = '\0';
    ktap_fact("local.xen_extraversion", "%s", extra);
    ktap_fact("local.hypercall_slot0", "%02x %02x %02x %02x",
              (unsigned char)hypercall_page[0], (unsigned char)hypercall_page[1],
              (unsigned char)hypercall_page[2], (unsigned char)hypercall_page[3]);
}

/* ------------------------------------------------------------------ */
/* Cases: each returns NULL when it passes, or the reason it failed.   */
/* ------------------------------------------------------------------ */

static const char *case_console(void)
{
    long rc = console_first_rc();

    return rc == 0 ? NULL : why("first CONSOLEIO_write returned %ld", rc);
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

static const struct abi_case cases[] = {
    { "console_io_write",       case_console },
    { "m2p_p2m_roundtrip",      case_m2p_p2m },
    { "int3_delivered",         case_int3 },
    { NULL, NULL }
};

static unsigned int count(const struct abi_case *c)
{
    unsigned int n = 0;

    while (c[n].name)
        n++;
    return n;
}

/* Run a table of cases; a case's first conf.h failure is its reason. */
static void run(const struct abi_case *c)
{
    for (; c->name; c++) {
        const char *r = c->run();
        const char *first = conf_take();

        ktap_case(c->name, r ? r : first);
    }
}

int hello_main(void)
{
    const struct abi_case *boot = boot_abi_cases();

    ktap_begin(count(cases) + count(boot));
    printk("# guest-kernel hello: a PV kernel reports what it was given\n");
    report_start_info();
    report_version();
    run(cases);
    run(boot);
    return (int)ktap_end();
}
