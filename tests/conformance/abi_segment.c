/*
 * abi_segment.c - segment bases and single descriptors:
 * set_segment_base and update_descriptor.
 *
 * Rules (docs/hypercalls.md; Xen's pv/misc-hypercalls.c, pv/descriptor-
 * tables.c):
 *   - FS and both GS bases take any canonical address, and the CPU then
 *     uses it (we read through %fs and %gs); a non-canonical base or an
 *     unknown `which` is -EINVAL;
 *   - SEGBASE_GS_USER_SEL loads the user %gs selector; Xen never fails it
 *     (a selector that does not load becomes NUL);
 *   - update_descriptor needs an 8-byte aligned machine address in a frame
 *     of ours that may be written (a writable-type page or a GDT/LDT page),
 *     and a safe descriptor: code/data descriptors are stored with DPL
 *     raised to 3, system descriptors (TSS, LDT) are refused.
 */
#include "kernel.h"
#include "ktap.h"
#include "traps.h"
#include "mm.h"
#include "abi.h"
#include "guest-hypercall.h"

#define NONCANONICAL 0x0000800000000000UL

/* Descriptors (8 bytes; Intel SDM vol. 3 §3.4.5). */
#define DESC_DATA_DPL0   0x00cf92000000ffffUL   /* flat writable data, DPL 0 */
#define DESC_DATA_DPL3   0x00cff2000000ffffUL   /* the same with DPL 3 */
#define DESC_TSS64       0x0000890000000067UL   /* available 64-bit TSS */
#define DESC_LDT         0x0000820000000fffUL   /* LDT */
#define DESC_NOT_PRESENT 0x0000120000000000UL   /* data, P = 0: always safe */

static const uint64_t fs_value = 0x1122334455667788UL;
static const uint64_t gs_value = 0x8877665544332211UL;

/* A page of ours, mapped writable: the "normal RAM" descriptor target. */
static uint64_t ram_page[512] __attribute__((aligned(4096)));

static uint64_t read_fs0(void)
{
    uint64_t v;

    __asm__ volatile ("movq %%fs:0, %0" : "=r" (v) :: "memory");
    return v;
}

static uint64_t read_gs0(void)
{
    uint64_t v;

    __asm__ volatile ("movq %%gs:0, %0" : "=r" (v) :: "memory");
    return v;
}

static const char *fs_base(void)
{
    long rc = HYPERVISOR_set_segment_base(SEGBASE_FS, (unsigned long)&fs_value);
    uint64_t seen = rc ? 0 : read_fs0();
    const char *r;

    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    r = conf_hex("set_segment_base.fs.base_is_used_by_the_cpu",
                 "the FS base set is the one the CPU uses: %fs:0 reads through it",
                 seen, fs_value);
    return conf_rc("set_segment_base.fs.canonical_base_succeeds",
                   "SEGBASE_FS takes any canonical address",
                   rc, 0) ?: r;
}

static const char *gs_kernel_base(void)
{
    long rc = HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                          (unsigned long)&gs_value);
    uint64_t seen = rc ? 0 : read_gs0();
    const char *r;

    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    r = conf_hex("set_segment_base.gs_kernel.base_is_used_by_the_cpu",
                 "the kernel GS base set is the one the CPU uses in kernel mode: %gs:0 reads through it",
                 seen, gs_value);
    return conf_rc("set_segment_base.gs_kernel.canonical_base_succeeds",
                   "SEGBASE_GS_KERNEL takes any canonical address",
                   rc, 0) ?: r;
}

static const char *gs_user_base(void)
{
    long rc = HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                          (unsigned long)&gs_value);

    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
    return conf_rc("set_segment_base.gs_user.canonical_base_succeeds",
                   "SEGBASE_GS_USER takes any canonical address",
                   rc, 0);
}

static const char *fs_noncanonical(void)
{
    return conf_rc("set_segment_base.fs.noncanonical_is_einval",
                   "a non-canonical FS base is -EINVAL",
                   HYPERVISOR_set_segment_base(SEGBASE_FS, NONCANONICAL),
                   -XEN_EINVAL);
}

static const char *gs_user_noncanonical(void)
{
    return conf_rc("set_segment_base.gs_user.noncanonical_is_einval",
                   "a non-canonical user GS base is -EINVAL",
                   HYPERVISOR_set_segment_base(SEGBASE_GS_USER, NONCANONICAL),
                   -XEN_EINVAL);
}

static const char *gs_kernel_noncanonical(void)
{
    return conf_rc("set_segment_base.gs_kernel.noncanonical_is_einval",
                   "a non-canonical kernel GS base is -EINVAL",
                   HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, NONCANONICAL),
                   -XEN_EINVAL);
}

static const char *bad_which(void)
{
    return conf_rc("set_segment_base.which.unknown_which4_is_einval",
                   "an unknown `which` (4) is -EINVAL",
                   HYPERVISOR_set_segment_base(4, 0), -XEN_EINVAL);
}

static const char *gs_sel_null(void)
{
    return conf_rc("set_segment_base.gs_user_sel.null_selector_succeeds",
                   "SEGBASE_GS_USER_SEL loads the NUL selector into the user %gs: 0",
                   HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
}

static const char *gs_sel_flat(void)
{
    long rc = HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, FLAT_USER_DS);

    HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0);
    return conf_rc("set_segment_base.gs_user_sel.flat_user_ds_succeeds",
                   "SEGBASE_GS_USER_SEL loads the flat user data selector: 0",
                   rc, 0);
}

/* Index 8191 is past any GDT: the load faults inside Xen, which NULs it. */
static const char *gs_sel_bad(void)
{
    long rc = HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0xfffb);

    HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0);
    return conf_rc("set_segment_base.gs_user_sel.bad_selector_still_succeeds",
                   "a selector that does not load becomes NUL: SEGBASE_GS_USER_SEL never fails",
                   rc, 0);
}

/* --- update_descriptor(machine address, descriptor). */

static const char *desc_misaligned(void)
{
    return conf_rc("update_descriptor.address.misaligned_is_einval",
                   "the descriptor's machine address must be 8-byte aligned: -EINVAL otherwise",
                   HYPERVISOR_update_descriptor(virt_to_machine(&ram_page[1]) + 4,
                                                DESC_DATA_DPL0),
                   -XEN_EINVAL);
}

static const char *desc_tss(void)
{
    return conf_rc("update_descriptor.descriptor.tss_is_einval",
                   "a system descriptor (64-bit TSS) is not safe: -EINVAL",
                   HYPERVISOR_update_descriptor(virt_to_machine(&ram_page[1]),
                                                DESC_TSS64),
                   -XEN_EINVAL);
}

static const char *desc_ldt(void)
{
    return conf_rc("update_descriptor.descriptor.ldt_is_einval",
                   "a system descriptor (LDT) is not safe: -EINVAL",
                   HYPERVISOR_update_descriptor(virt_to_machine(&ram_page[1]),
                                                DESC_LDT),
                   -XEN_EINVAL);
}

/* A writable page of ours may hold descriptors; the DPL is raised to 3. */
static const char *desc_ram_page(void)
{
    long rc = HYPERVISOR_update_descriptor(virt_to_machine(&ram_page[1]),
                                           DESC_DATA_DPL0);
    uint64_t stored = ram_page[1];
    const char *r = conf_rc("update_descriptor.frame.writable_ram_page_succeeds",
                            "a writable page of ours may hold descriptors: 0",
                            rc, 0);

    r = conf_hex("update_descriptor.descriptor.dpl0_data_stored_as_dpl3",
                 "a DPL 0 code/data descriptor is stored with its DPL raised to 3",
                 stored, DESC_DATA_DPL3) ?: r;
    ram_page[1] = 0;
    return r;
}

/* Our L4 is a page table: not writable, so no descriptor goes there.  Slot
 * 0 is empty and the value is not a present PTE, in case it were written. */
static const char *desc_page_table(void)
{
    uint64_t l4_ma = virt_to_machine((void *)start_info->pt_base);
    const volatile uint64_t *l4 = (const volatile uint64_t *)start_info->pt_base;
    uint64_t before = l4[0];
    long rc = HYPERVISOR_update_descriptor(l4_ma, DESC_NOT_PRESENT);
    const char *r = conf_rc("update_descriptor.frame.page_table_is_einval",
                            "a page-table frame (our L4) may not be written: -EINVAL",
                            rc, -XEN_EINVAL);

    return conf_hex("update_descriptor.frame.refused_write_leaves_l4_unchanged",
                    "a refused update_descriptor writes nothing: L4 slot 0 is as before",
                    l4[0], before) ?: r;
}

/* A frame number past all RAM. */
static const char *desc_no_frame(void)
{
    return conf_rc("update_descriptor.frame.no_such_frame_is_einval",
                   "a machine address past all RAM is -EINVAL",
                   HYPERVISOR_update_descriptor(PTE_ADDR_MASK, DESC_NOT_PRESENT),
                   -XEN_EINVAL);
}

const struct abi_case abi_segment_cases[] = {
    { "set_segment_base_fs_used",            fs_base },
    { "set_segment_base_gs_kernel_used",     gs_kernel_base },
    { "set_segment_base_gs_user",            gs_user_base },
    { "set_segment_base_fs_noncanonical",    fs_noncanonical },
    { "set_segment_base_gs_user_noncanonical", gs_user_noncanonical },
    { "set_segment_base_gs_kernel_noncanonical", gs_kernel_noncanonical },
    { "set_segment_base_unknown_which",      bad_which },
    { "set_segment_base_gs_user_sel_null",   gs_sel_null },
    { "set_segment_base_gs_user_sel_flat",   gs_sel_flat },
    { "set_segment_base_gs_user_sel_bad",    gs_sel_bad },
    { "update_descriptor_misaligned",        desc_misaligned },
    { "update_descriptor_tss_refused",       desc_tss },
    { "update_descriptor_ldt_refused",       desc_ldt },
    { "update_descriptor_ram_page_dpl3",     desc_ram_page },
    { "update_descriptor_page_table_refused", desc_page_table },
    { "update_descriptor_no_such_frame",     desc_no_frame },
    { NULL, NULL }
};
