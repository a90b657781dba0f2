/*
 * abi_gdt.c - set_gdt: giving the hypervisor a GDT made of our own frames.
 *
 * Rules (docs/hypercalls.md, reference §3 page types; Xen's
 * pv/descriptor-tables.c pv_set_gdt and validate_segdesc_page):
 *   - at most 7168 entries (14 frames; the rest of the GDT is Xen's);
 *   - the frame list is read from guest memory: unreadable is -EFAULT;
 *   - each frame must be ours and take the "segment descriptor page" type,
 *     which it cannot while any writable mapping of it exists, nor when a
 *     descriptor in it is unsafe (a TSS): -EINVAL;
 *   - validation rewrites DPL 0 code/data descriptors to DPL 3 in place, so
 *     the guest reads them back changed through its read-only mapping;
 *   - the CPU then uses the GDT: a selector of ours loads, and the CPU
 *     sets the descriptor's Accessed bit in the frame;
 *   - while the GDT is live the frame cannot be mapped writable (-EBUSY,
 *     §2.9), but update_descriptor may still change one entry;
 *   - set_gdt(_, 0) drops the GDT, and the frame is ordinary RAM again.
 * The cases run in order on one page of ours, gdt_page.
 */
#include "kernel.h"
#include "ktap.h"
#include "traps.h"
#include "mm.h"
#include "abi.h"
#include "guest-hypercall.h"

#define DESC_DATA_DPL0 0x00cf92000000ffffUL   /* flat writable data, DPL 0 */
#define DESC_DATA_DPL3 0x00cff2000000ffffUL   /* the same with DPL 3 */
#define DESC_TSS64     0x0000890000000067UL   /* available 64-bit TSS */
#define SEL_ENTRY1     0x000b                 /* GDT index 1, RPL 3 */
#define MAX_GDT_ENTRIES 7168                  /* FIRST_RESERVED_GDT_ENTRY */

static uint64_t gdt_page[512] __attribute__((aligned(4096)));
static xen_ulong_t gdt_frames[1];

/* Map gdt_page to its own frame again, with the given PTE flags. */
static long remap_gdt_page(uint64_t flags)
{
    return HYPERVISOR_update_va_mapping((unsigned long)gdt_page,
                                        virt_to_machine(gdt_page) | flags,
                                        UVMF_INVLPG);
}

#define RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

static const char *too_many(void)
{
    gdt_frames[0] = virt_to_mfn(gdt_page);
    return conf_rc("set_gdt.entries.over_7168_is_einval",
                   "a guest GDT has at most 7168 entries (14 frames): 7169 is -EINVAL",
                   HYPERVISOR_set_gdt(gdt_frames, MAX_GDT_ENTRIES + 1),
                   -XEN_EINVAL);
}

static const char *unmapped_list(void)
{
    return conf_rc("set_gdt.list.unmapped_frame_list_is_efault",
                   "an unreadable frame list is -EFAULT",
                   HYPERVISOR_set_gdt((const xen_ulong_t *)0x1000UL, 512),
                   -XEN_EFAULT);
}

static const char *writable_frame(void)
{
    gdt_page[1] = DESC_DATA_DPL0;
    return conf_rc("set_gdt.frame.rw_mapped_frame_is_einval",
                   "a frame with a writable mapping cannot become a descriptor page: -EINVAL",
                   HYPERVISOR_set_gdt(gdt_frames, 512), -XEN_EINVAL);
}

static const char *no_such_frame(void)
{
    const xen_ulong_t bad[1] = { PTE_ADDR_MASK >> PAGE_SHIFT };

    return conf_rc("set_gdt.frame.no_such_frame_is_einval",
                   "a frame number past all RAM is not ours: -EINVAL",
                   HYPERVISOR_set_gdt(bad, 512), -XEN_EINVAL);
}

/* Read-only but holding a TSS descriptor: refused; then writable again. */
static const char *tss_in_frame(void)
{
    long rc_ro, rc_gdt, rc_rw;
    const char *r;

    gdt_page[2] = DESC_TSS64;
    rc_ro = remap_gdt_page(RO);
    rc_gdt = HYPERVISOR_set_gdt(gdt_frames, 512);
    rc_rw = remap_gdt_page(RW);
    r = conf_rc("update_va_mapping.gdt.frame_remap_ro_succeeds",
                "a frame of ours that is no page table may be mapped read-only",
                rc_ro, 0);
    r = conf_rc("update_va_mapping.gdt.refused_frame_remap_rw_succeeds",
                "a frame that did not become a descriptor page may be mapped writable again",
                rc_rw, 0) ?: r;
    if (rc_rw)
        panic("gdt_page cannot be made writable again: %ld", rc_rw);
    gdt_page[2] = 0;
    if (rc_ro)
        return r;
    return conf_rc("set_gdt.frame.tss_descriptor_is_einval",
                   "a frame holding an unsafe descriptor (a TSS) cannot become a GDT page: -EINVAL",
                   rc_gdt, -XEN_EINVAL) ?: r;
}

static const char *readonly_frame(void)
{
    long rc_ro = remap_gdt_page(RO);

    const char *r = conf_rc("update_va_mapping.gdt.frame_remap_ro_again_succeeds",
                            "the GDT frame may be mapped read-only again",
                            rc_ro, 0);

    return conf_rc("set_gdt.frame.read_only_frame_succeeds",
                   "a read-only frame of ours holding safe descriptors becomes the GDT: 0",
                   HYPERVISOR_set_gdt(gdt_frames, 512), 0) ?: r;
}

static const char *dpl_raised(void)
{
    uint64_t d = gdt_page[1];

    return conf_hex("set_gdt.validate.dpl0_entry_reads_back_dpl3",
                    "validation rewrites a DPL 0 data descriptor to DPL 3 in the frame itself",
                    d, DESC_DATA_DPL3);
}

/* The CPU uses our GDT now: load %ds from entry 1, then NUL it again. */
static const char *selector_loads(void)
{
    uint16_t seen = 0;
    int faulted;
    const char *r;

    __asm__ volatile ("movl $1, %[f]\n"
                      "1: movw %w[sel], %%ds\n\t"
                      "movw %%ds, %w[seen]\n\t"
                      "xorl %[f], %[f]\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b)
                      : [f] "=&r" (faulted), [seen] "+r" (seen)
                      : [sel] "r" (SEL_ENTRY1)
                      : "memory");
    __asm__ volatile ("movw %w0, %%ds" :: "r" (0) : "memory");
    r = conf_hex("set_gdt.live.selector_of_entry1_loads",
                 "the CPU uses the new GDT: selector 0xb (entry 1, RPL 3) loads into %ds",
                 faulted ? 0xffff : seen, SEL_ENTRY1);
    /* The CPU sets the descriptor's Accessed bit (type 2 -> 3) through the
     * hypervisor's mapping of the frame, which must therefore be writable. */
    r = conf_hex("set_gdt.live.load_sets_accessed_bit_in_frame",
                 "loading a selector sets its descriptor's Accessed bit in our frame",
                 gdt_page[1], DESC_DATA_DPL3 | (1UL << 40)) ?: r;
    if (faulted)
        return ktap_reason("loading %%ds=%#x raised %s, error code %#lx, cr2 %#lx",
                           SEL_ENTRY1, trap_name(last_trap.vector),
                           last_trap.error_code, last_trap.cr2);
    return r;
}

static const char *live_frame_rw(void)
{
    return conf_rc("update_va_mapping.gdt.live_frame_rw_is_ebusy",
                   "a frame of the live GDT cannot be mapped writable: -EBUSY",
                   remap_gdt_page(RW), -XEN_EBUSY);
}

/* update_descriptor may change a live GDT entry (DPL raised as always). */
static const char *update_live_entry(void)
{
    long rc = HYPERVISOR_update_descriptor(virt_to_machine(&gdt_page[3]),
                                           DESC_DATA_DPL0);
    const char *r = conf_rc("update_descriptor.frame.live_gdt_entry_succeeds",
                            "update_descriptor may change an entry of the live GDT",
                            rc, 0);

    return conf_hex("update_descriptor.frame.live_gdt_entry_stored_as_dpl3",
                    "the entry written into the live GDT has its DPL raised to 3",
                    gdt_page[3], DESC_DATA_DPL3) ?: r;
}

static const char *drop_gdt(void)
{
    return conf_rc("set_gdt.entries.zero_entries_drops_gdt",
                   "set_gdt with 0 entries drops the guest GDT: 0",
                   HYPERVISOR_set_gdt(NULL, 0), 0);
}

static const char *rw_after_drop(void)
{
    long rc = remap_gdt_page(RW);
    const char *r = conf_rc("update_va_mapping.gdt.dropped_frame_rw_succeeds",
                            "a frame of a dropped GDT is ordinary RAM again: it may be mapped writable",
                            rc, 0);

    if (!rc)
        for (int i = 0; i < 512; i++)
            gdt_page[i] = 0;
    return r;
}

const struct abi_case abi_gdt_cases[] = {
    { "set_gdt_too_many_entries",       too_many },
    { "set_gdt_unmapped_list_efault",   unmapped_list },
    { "set_gdt_writable_frame_refused", writable_frame },
    { "set_gdt_no_such_frame",          no_such_frame },
    { "set_gdt_tss_descriptor_refused", tss_in_frame },
    { "set_gdt_readonly_frame",         readonly_frame },
    { "set_gdt_dpl0_read_back_as_dpl3", dpl_raised },
    { "set_gdt_selector_loads",         selector_loads },
    { "set_gdt_live_frame_rw_ebusy",    live_frame_rw },
    { "update_descriptor_live_gdt",     update_live_entry },
    { "set_gdt_zero_entries_drops",     drop_gdt },
    { "set_gdt_dropped_frame_rw",       rw_after_drop },
    { NULL, NULL }
};
