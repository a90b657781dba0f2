/*
 * boot_abi.c - the boot ABI, checked by the "hello" mode (guest-kernel/
 * hello.c runs these cases): what the domain builder hands a 64-bit PV
 * kernel before its first instruction.
 *
 * Rules (reference §1.2-§1.6; Xen's pv/dom0_build.c, pv/hypercall.c):
 *   - start_info: magic "xen-3.0-x86_64"; dom0 gets SIF_PRIVILEGED |
 *     SIF_INITDOMAIN plus the processor PM bits, no xenstore or console
 *     ring, and no module here; shared_info is a page's machine address;
 *   - the bootstrap region from VIRT_BASE holds, page after page: the
 *     kernel image, the P2M (mfn_list), start_info, the page tables
 *     (pt_base, nr_pt_frames), the one-page boot stack (rsp = its top),
 *     then padding to a 4 MiB boundary with at least 512 KiB after the
 *     stack.  It maps pfn n at VIRT_BASE + n pages, read-write except the
 *     page-table frames, and nothing after its end;
 *   - the hypercall page: 0xcc everywhere but 128 stubs of 32 bytes,
 *     `push %rcx; push %r11; mov $i,%eax; syscall; pop %r11; pop %rcx;
 *     ret`, except iret (23), which pushes rax and does not return;
 *   - at entry: flat selectors (cs 0xe033, ss 0xe02b, data segments NUL)
 *     and events masked in vcpu_info.
 * A few first exceptions and version facts follow.  The cases run in
 * both dom0 and domU; the dom0-only rules are skipped in a domU (the
 * domain is dom0 when XENVER_get_features reports XENFEAT_dom0).
 */
#include "gnttab.h"
#include "kernel.h"
#include "ktap.h"
#include "lib.h"
#include "mm.h"
#include "traps.h"
#include "abi.h"
#include "guest-hypercall.h"

#define MIB            (1UL << 20)
#define UNMAPPED_VA    0x1000UL     /* the page-fault case reads here */

/* Is feature bit `f` (of submap 0) offered to us? */
static bool has_feature(unsigned int f)
{
    struct xen_feature_info fi = { .submap_idx = 0 };

    return HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0 &&
           (fi.submap & (1U << f));
}

static bool is_dom0(void)
{
    return has_feature(XENFEAT_dom0);
}

static unsigned long round_up(unsigned long x, unsigned long to)
{
    return (x + to - 1) & ~(to - 1);
}

/* The end of the bootstrap region, by the builder's rule (§1.2 item 8). */
static unsigned long region_end(void)
{
    unsigned long v_end = round_up(boot_rsp, 4 * MIB);

    if (v_end - boot_rsp < 512 * 1024)
        v_end += 4 * MIB;
    return v_end;
}

/* Tables of level `shift` needed to map [lo, hi) (Xen's NR() macro). */
static unsigned long nr_tables(unsigned long lo, unsigned long hi, unsigned int shift)
{
    return (round_up(hi, 1UL << shift) - (lo & ~((1UL << shift) - 1))) >> shift;
}

static const char *start_info_fields(void)
{
    const start_info_t *si = start_info;
    const char *r;

    r = conf_dec("boot.start_info.magic_is_xen_3_0_x86_64",
                 "start_info.magic is xen-3.0-x86_64, NUL-terminated, for dom0 and domU alike",
                 memcmp(si->magic, "xen-3.0-x86_64", 15) == 0, 1);
    r = conf_hex("boot.start_info.shared_info_is_page_aligned",
                 "start_info.shared_info is the machine address of a whole page",
                 si->shared_info & (PAGE_SIZE - 1), 0) ?: r;
    r = conf_hex("boot.start_info.flags_no_module_bits",
                 "with no module, flags has none of MULTIBOOT_MOD, MOD_START_PFN, VIRT_P2M_4TOOLS",
                 si->flags & 0xfc, 0) ?: r;
    r = conf_hex("boot.start_info.mod_start_is_0",
                 "with no module (initrd) mod_start is 0",
                 si->mod_start, 0) ?: r;
    r = conf_dec("boot.start_info.mod_len_is_0",
                 "with no module (initrd) mod_len is 0",
                 si->mod_len, 0) ?: r;
    r = conf_dec("boot.start_info.nr_p2m_frames_is_0",
                 "without an INIT_P2M note the P2M lies in the bootstrap region: nr_p2m_frames is 0",
                 si->nr_p2m_frames, 0) ?: r;
    conf_fact("boot.start_info.cmd_line",
              "cmd_line is the guest's module string without its first word",
              "%s", (const char *)si->cmd_line);
    if (!is_dom0())
        return r;
    r = conf_hex("boot.start_info.flags_dom0_privileged_initdomain",
                 "dom0's flags have SIF_PRIVILEGED and SIF_INITDOMAIN",
                 si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN),
                 SIF_PRIVILEGED | SIF_INITDOMAIN) ?: r;
    r = conf_hex("boot.start_info.flags_dom0_pm_bits_px_cx",
                 "dom0's flags carry the processor PM bits (Px and Cx) in SIF_PM_MASK",
                 si->flags & SIF_PM_MASK, 0x300) ?: r;
    r = conf_dec("boot.start_info.nr_pages_dom0_is_dom0_mem",
                 "dom0's nr_pages is dom0_mem=32M of the suite's command line: 8192",
                 si->nr_pages, 8192) ?: r;
    r = conf_hex("boot.start_info.store_mfn_dom0_is_0",
                 "dom0 has no xenstore ring: store_mfn is 0",
                 si->store_mfn, 0) ?: r;
    r = conf_dec("boot.start_info.store_evtchn_dom0_is_0",
                 "dom0 has no xenstore event channel: store_evtchn is 0",
                 si->store_evtchn, 0) ?: r;
    /* 0 unless Xen found a VGA console to describe (host-dependent). */
    return conf_dec("boot.start_info.console_dom0_info_off_0_or_after_start_info",
                    "dom0's console.info_off is 0, or 1168: the VGA info right after start_info",
                    si->console.dom0.info_off == 0 || si->console.dom0.info_off == 1168,
                    1) ?: r;
}

static const char *layout_order(void)
{
    const start_info_t *si = start_info;
    unsigned long p2m_end = si->mfn_list + si->nr_pages * sizeof(unsigned long);
    unsigned long pt_end = si->pt_base + si->nr_pt_frames * PAGE_SIZE;
    unsigned long v_end = region_end();
    const char *r;

    r = conf_hex("boot.layout.p2m_follows_kernel_image",
                 "with no initrd the P2M (mfn_list) starts at the page after the kernel image",
                 si->mfn_list - (unsigned long)__image_end, 0);
    r = conf_hex("boot.layout.start_info_follows_p2m",
                 "start_info (rsi at entry) is the page after the end of the P2M",
                 (unsigned long)si - round_up(p2m_end, PAGE_SIZE), 0) ?: r;
    if (is_dom0())
        r = conf_hex("boot.layout.page_tables_follow_start_info_dom0",
                     "dom0 has no store or console page: pt_base is the page after start_info",
                     si->pt_base - ((unsigned long)si + PAGE_SIZE), 0) ?: r;
    r = conf_hex("boot.layout.boot_stack_follows_page_tables",
                 "the boot stack is the page after the page tables and rsp is its top",
                 boot_rsp - (pt_end + PAGE_SIZE), 0) ?: r;
    r = conf_dec("boot.layout.nr_pt_frames_maps_region",
                 "nr_pt_frames is one L4 plus the L3s, L2s and L1s that map [VIRT_BASE, end)",
                 si->nr_pt_frames,
                 1 + nr_tables(VIRT_BASE, v_end, 39) + nr_tables(VIRT_BASE, v_end, 30) +
                 nr_tables(VIRT_BASE, v_end, 21)) ?: r;
    r = conf_hex("boot.layout.first_p2m_pfn_is_pow2_after_region",
                 "first_p2m_pfn is the pfn after the power-of-two block holding the region",
                 si->first_p2m_pfn,
                 1UL << (64 - __builtin_clzl((v_end - VIRT_BASE) / PAGE_SIZE - 1))) ?: r;
    return r;
}

static const char *layout_mapping(void)
{
    const start_info_t *si = start_info;
    unsigned long pt_end = si->pt_base + si->nr_pt_frames * PAGE_SIZE;
    unsigned long v_end = region_end();
    unsigned long not_pfn = 0, pt_rw = 0, other_ro = 0;
    uint64_t v, pfn;
    const char *r;

    for (unsigned long va = VIRT_BASE; va < v_end; va += PAGE_SIZE) {
        const volatile uint64_t *e = l1e_of(va);
        bool is_pt = va >= si->pt_base && va < pt_end;

        if (!e || !(*e & _PAGE_PRESENT)) {
            not_pfn++;
            continue;
        }
        /* map_shared_info() has mapped shared_info over this one, and
         * gnttab_boot() the grant frames over the pages of its area. */
        if (va != (unsigned long)shared_info_page &&
            !gnttab_area_pte((va - VIRT_BASE) >> PAGE_SHIFT) &&
            (m2p_read((*e & PTE_ADDR_MASK) >> PAGE_SHIFT, &pfn) ||
             pfn != (va - VIRT_BASE) >> PAGE_SHIFT))
            not_pfn++;
        if (is_pt && (*e & _PAGE_RW))
            pt_rw++;
        if (!is_pt && !(*e & _PAGE_RW))
            other_ro++;
    }
    r = conf_dec("boot.layout.region_maps_pfns_contiguously",
                 "every page of [VIRT_BASE, end) is mapped, pfn n at VIRT_BASE + n pages",
                 not_pfn, 0);
    r = conf_dec("boot.layout.page_tables_mapped_read_only",
                 "the bootstrap page-table frames are mapped without RW",
                 pt_rw, 0) ?: r;
    r = conf_dec("boot.layout.other_pages_mapped_rw",
                 "every other page of the bootstrap region is mapped RW",
                 other_ro, 0) ?: r;
    r = conf_dec("boot.layout.last_padding_page_readable",
                 "the region runs to the 4 MiB boundary with >= 512 KiB after the stack",
                 probe_read_u64(v_end - 8, &v) == 0, 1) ?: r;
    return conf_dec("boot.layout.nothing_mapped_after_region",
                    "the page after the end of the bootstrap region is not mapped",
                    probe_read_u64(v_end, &v) != 0, 1) ?: r;
}

static const char *hypercall_page_stubs(void)
{
    const unsigned char *p = (const unsigned char *)hypercall_page;
    unsigned int good = 0, pad = 0;
    static const unsigned char iret[11] = {
        0x51, 0x41, 0x53, 0x50, 0xb8, __HYPERVISOR_iret, 0, 0, 0, 0x0f, 0x05,
    };
    const char *r;

    for (unsigned int i = 0; i < HYPERCALL_PAGE_SLOTS; i++) {
        const unsigned char *s = p + i * HYPERCALL_PAGE_SLOT_SIZE;
        const unsigned char stub[14] = {
            0x51, 0x41, 0x53, 0xb8, (unsigned char)i, 0, 0, 0,
            0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3,
        };
        unsigned int len = i == __HYPERVISOR_iret ? sizeof(iret) : sizeof(stub);

        if (i != __HYPERVISOR_iret && memcmp(s, stub, sizeof(stub)) == 0)
            good++;
        for (unsigned int b = len; b < HYPERCALL_PAGE_SLOT_SIZE; b++)
            pad += s[b] != 0xcc;
    }
    r = conf_dec("boot.hypercall_page.slots_push_mov_syscall_pop_ret",
                 "slot i (i != 23) is push rcx; push r11; mov $i,%eax; syscall; pop r11; pop rcx; ret",
                 good, HYPERCALL_PAGE_SLOTS - 1);
    r = conf_dec("boot.hypercall_page.iret_slot_pushes_rax_and_never_returns",
                 "slot 23 (iret) is push rcx; push r11; push rax; mov $23,%eax; syscall, no ret",
                 memcmp(p + __HYPERVISOR_iret * HYPERCALL_PAGE_SLOT_SIZE, iret,
                        sizeof(iret)) == 0, 1) ?: r;
    return conf_dec("boot.hypercall_page.rest_of_each_slot_is_int3",
                    "the hypercall page is filled with 0xcc (int3) around the stubs",
                    pad, 0) ?: r;
}

static uint16_t sel(int which)
{
    uint16_t v = 0xffff;

    switch (which) {
    case 0: __asm__ volatile ("mov %%cs, %0" : "=r" (v)); break;
    case 1: __asm__ volatile ("mov %%ss, %0" : "=r" (v)); break;
    case 2: __asm__ volatile ("mov %%ds, %0" : "=r" (v)); break;
    case 3: __asm__ volatile ("mov %%es, %0" : "=r" (v)); break;
    case 4: __asm__ volatile ("mov %%fs, %0" : "=r" (v)); break;
    case 5: __asm__ volatile ("mov %%gs, %0" : "=r" (v)); break;
    }
    return v;
}

/* The state the builder starts us in, as far as it is still visible. */
static const char *entry_state(void)
{
    const char *r;

    r = conf_hex("boot.entry.cs_is_flat_kernel_cs",
                 "a 64-bit PV kernel runs on FLAT_KERNEL_CS, 0xe033",
                 sel(0), FLAT_KERNEL_CS);
    r = conf_hex("boot.entry.ss_is_flat_kernel_ss",
                 "a 64-bit PV kernel starts with ss = FLAT_KERNEL_SS, 0xe02b",
                 sel(1), FLAT_KERNEL_SS) ?: r;
    r = conf_hex("boot.entry.data_selectors_are_nul",
                 "ds, es, fs and gs start as FLAT_KERNEL_DS, the NUL selector",
                 sel(2) | sel(3) | sel(4) | sel(5), 0) ?: r;
    r = conf_hex("boot.entry.rsi_is_page_aligned",
                 "rsi at entry is the start of the start_info page",
                 (unsigned long)start_info & (PAGE_SIZE - 1), 0) ?: r;
    return conf_dec("boot.vcpu_info.events_masked_at_boot",
                    "every vCPU starts with events masked: evtchn_upcall_mask is 1",
                    this_vcpu()->evtchn_upcall_mask, 1) ?: r;
}

static const char *version(void)
{
    xen_feature_info_t fi = { .submap_idx = 0 };
    long rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);

    /* Which bits depend on the domain (dom0, translate mode): judged
     * against Xen only, and the translate-mode run checks its own. */
    conf_fact("xen_version.get_features.submap0",
              "XENVER_get_features submap 0 lists the features offered to this domain",
              "%#x", rc ? 0xdeadU : fi.submap);
    return conf_hex("xen_version.version.is_4_17",
                    "XENVER_version gives major << 16 | minor: 4.17",
                    HYPERVISOR_xen_version(XENVER_version, NULL), 0x40011);
}

/* The read-only M2P maps our first frame back to pfn 0. */
static const char *m2p_of_pfn0(void)
{
    const unsigned long *p2m = (const unsigned long *)start_info->mfn_list;
    uint64_t v;

    /* In translate mode (xen-like only) the guest's frame numbers are
     * its own and the M2P is not its to read. */
    if (has_feature(XENFEAT_auto_translated_physmap))
        return NULL;
    if (probe_read_u64((unsigned long)&machine_to_phys_mapping[p2m[0]], &v))
        return ktap_reason("the M2P entry of P2M[0] = %#lx cannot be read", p2m[0]);
    return conf_hex("boot.m2p.entry_of_p2m0_is_pfn0",
                    "the read-only M2P gives back pfn 0 for the frame the P2M gives pfn 0",
                    v, 0);
}

/* A #PF from a kernel-mode read of a page that is not mapped. */
static const char *page_fault(void)
{
    unsigned long before = last_trap.count;
    uint64_t v;
    const char *r;

    if (!probe_read_u64(UNMAPPED_VA, &v))
        return ktap_reason("reading %lx did not fault (read %lx)", UNMAPPED_VA,
                           (unsigned long)v);
    if (last_trap.count != before + 1 || last_trap.vector != X86_EXC_PF)
        return ktap_reason("expected one #PF, got %s", trap_name(last_trap.vector));
    r = conf_hex("cpu.page_fault.kernel_read_not_present_error_code_is_0",
                 "a guest-kernel read of a non-present page has #PF error code 0 (P=W=U=0)",
                 last_trap.error_code, 0);
    return conf_hex("cpu.page_fault.cr2_in_vcpu_info_is_fault_address",
                    "the fault address is delivered in vcpu_info.arch.cr2",
                    last_trap.cr2, UNMAPPED_VA) ?: r;
}

static const char *cpuid_signature(void)
{
    uint32_t r[4];
    char sig[13];

    if (xen_cpuid(0x40000000, 0, r))
        return ktap_reason("forced-emulation prefix raised %s",
                           trap_name(last_trap.vector));
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = '\0';
    ktap_fact("local.cpuid_max_leaf", "%#x", r[0]);
    return conf_dec("cpu.cpuid.leaf_40000000_signature_is_xenvmmxenvmm",
                    "forced-emulated cpuid leaf 0x40000000 gives the signature XenVMMXenVMM in ebx, ecx, edx",
                    strcmp(sig, "XenVMMXenVMM") == 0, 1);
}

static const struct abi_case cases[] = {
    { "boot_start_info_fields",     start_info_fields },
    { "boot_layout_order",          layout_order },
    { "boot_layout_mapping",        layout_mapping },
    { "boot_hypercall_page_stubs",  hypercall_page_stubs },
    { "boot_entry_state",           entry_state },
    { "xen_version_4_17",           version },
    { "m2p_of_pfn0",                m2p_of_pfn0 },
    { "page_fault_delivered",       page_fault },
    { "forced_emulation_cpuid",     cpuid_signature },
    { NULL, NULL }
};

const struct abi_case *boot_abi_cases(void)
{
    return cases;
}
