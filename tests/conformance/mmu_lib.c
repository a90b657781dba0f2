/*
 * mmu_lib.c - what the mmu cases share: recording results as facts, a
 * frame allocator over the free part of the bootstrap region, and raw
 * hypercall wrappers that pass every argument unchanged (foreigndom as a
 * full register, so its bits 16-31, the page-table owner, can be set).
 */
#include <stdarg.h>
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "traps.h"
#include "mm.h"
#include "mmu_test.h"
#include "conf.h"
#include "guest-hypercall.h"

unsigned long mt_l4_pfn, mt_end_pfn, mt_d1, mt_d2, mt_win;
uint64_t mt_win_l1e;
uint64_t mt_l4_mfn, mt_foreign;
static unsigned long next_free;

/* ---- Results: the scenario's first failure is conf.c's ---- */
void mt_fail(const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    conf_failf("%s", buf);
}

const char *mt_take(void)
{
    return conf_take();
}

/*
 * A setup step: checked (a wrong answer fails the scenario), printed as
 * "# step <key>=<value>", but not a case of the catalogue: the step only
 * prepares or restores the state the cases around it judge.
 */
void mt_step(const char *key, long rc, long want)
{
    printk("# step %s=%ld\n", key, rc);
    if (rc != want)
        mt_fail("step %s: %ld, expected %ld", key, rc, want);
}

void mt_local(const char *key, uint64_t v)
{
    char k[80];

    snprintf(k, sizeof(k), "local.mmu.%s", key);
    ktap_fact(k, "%#lx", v);
}

/* ---- Hypercalls ---- */
long mt_mmu(const struct mmu_update *req, unsigned long count,
            unsigned int *done, unsigned long fd)
{
    return xen_hypercall(__HYPERVISOR_mmu_update, (unsigned long)req, count,
                         (unsigned long)done, fd, 0);
}

long mt_mmu1(uint64_t ptr, uint64_t val, unsigned long fd)
{
    struct mmu_update r = { .ptr = ptr, .val = val };

    return mt_mmu(&r, 1, NULL, fd);
}

long mt_ext_n(const struct mmuext_op *ops, unsigned long count,
              unsigned int *done, unsigned long fd)
{
    return xen_hypercall(__HYPERVISOR_mmuext_op, (unsigned long)ops, count,
                         (unsigned long)done, fd, 0);
}

long mt_ext(unsigned int cmd, unsigned long arg1, unsigned long arg2,
            unsigned long fd)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.linear_addr = arg1;
    op.arg2.src_mfn = arg2;     /* nr_ents / vcpumask share the slot */
    return mt_ext_n(&op, 1, NULL, fd);
}

unsigned long mt_read_cr3(void)
{
    return read_cr3();
}

int mt_peek(unsigned long va, uint64_t *v)
{
    return probe_read_u64(va, v);
}

/* ---- Frames ---- */
void *mt_va(unsigned long pfn)
{
    return (void *)(VIRT_BASE + pfn * PAGE_SIZE);
}

uint64_t mt_mfn(unsigned long pfn)
{
    return pfn_to_mfn(pfn);
}

uint64_t mt_get(unsigned long pfn, unsigned int slot)
{
    return ((const volatile uint64_t *)mt_va(pfn))[slot];
}

long mt_map(unsigned long pfn, uint64_t flags)
{
    uint64_t val = flags ? (mt_ma(pfn) | flags) : 0;

    return HYPERVISOR_update_va_mapping((unsigned long)mt_va(pfn), val,
                                        UVMF_INVLPG);
}

unsigned long mt_alloc(void)
{
    unsigned long pfn = next_free++;

    if (pfn >= mt_end_pfn - 1)      /* the last page is mmu_update.c's */
        panic("mmu: out of free frames in the bootstrap region");
    memset(mt_va(pfn), 0, PAGE_SIZE);
    return pfn;
}

unsigned long mt_pt_new(void)
{
    unsigned long pfn = mt_alloc();
    long rc = mt_ro(pfn);

    if (rc)
        panic("mmu: cannot remap pfn %#lx read-only: %ld", pfn, rc);
    return pfn;
}

/*
 * A RAM frame that is not ours (§2.3: an L1 entry naming it is -EBUSY):
 * below our lowest frame (so RAM, not the hole above the top of memory),
 * above the first MiB (which Xen gives to DOMID_IO), and not ours by the
 * M2P/P2M round trip.  Free frames' M2P entries hold Xen's 0x55.. fill
 * pattern or ~0.
 */
static uint64_t find_foreign(void)
{
    unsigned long lo = ~0UL;
    uint64_t m2p;

    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++)
        if (pfn_to_mfn(pfn) < lo)
            lo = pfn_to_mfn(pfn);
    mt_local("lowest_own_mfn", lo);
    for (unsigned long mfn = lo - 1; mfn >= 0x100 && mfn + 4096 > lo; mfn--) {
        if (mfn_is_ours(mfn))
            continue;
        if (m2p_read(mfn, &m2p))
            m2p = 0xdead;
        mt_local("foreign_mfn", mfn);
        mt_local("foreign_mfn_m2p", m2p);
        return mfn;
    }
    panic("mmu: no frame below ours that is not ours");
}

void mt_init(void)
{
    unsigned long pfn = virt_to_pfn((void *)start_info->pt_base);

    mt_l4_pfn = pfn;
    mt_l4_mfn = pfn_to_mfn(pfn);
    /* Free from the page after the boot stack (after the PT frames). */
    next_free = pfn + start_info->nr_pt_frames + 1;
    /* The region ends where the bootstrap L1s stop mapping. */
    for (mt_end_pfn = next_free; mt_end_pfn < start_info->nr_pages; mt_end_pfn++) {
        const volatile uint64_t *e = l1e_of((unsigned long)mt_va(mt_end_pfn));

        if (!e || !(*e & _PAGE_PRESENT))
            break;
    }
    mt_local("region_end_pfn", mt_end_pfn);
    mt_local("first_free_pfn", next_free);
    mt_local("l4_mfn", mt_l4_mfn);
    mt_foreign = find_foreign();

    mt_d1 = mt_alloc();
    mt_d2 = mt_alloc();
    for (unsigned int i = 0; i < 512; i++) {
        ((uint64_t *)mt_va(mt_d1))[i] = D1_MARK | i;
        ((uint64_t *)mt_va(mt_d2))[i] = D2_MARK | i;
    }
    mt_win = mt_alloc();
    mt_win_l1e = l1e_machine(WIN_VA);
    if (!mt_win_l1e)
        panic("mmu: no L1 entry for the window");
}

unsigned long mt_table_pfn(unsigned long va, int level)
{
    unsigned long pfn = mt_l4_pfn;
    uint64_t e, m2p;

    for (int l = 4; l > level; l--) {
        e = mt_get(pfn, (va >> (12 + 9 * (l - 1))) & 511);
        if (!(e & P_) || m2p_read((e & PTE_ADDR_MASK) >> 12, &m2p) ||
            m2p >= mt_end_pfn)
            panic("mmu: no bootstrap L%d for %#lx", l - 1, va);
        pfn = m2p;
    }
    return pfn;
}

/* ---- The window ---- */
long mt_win_set(uint64_t val)
{
    return mt_mmu1(mt_win_l1e, val, DOMID_SELF);
}

uint64_t mt_win_pte(void)
{
    return *l1e_of(WIN_VA);
}

void mt_invlpg(unsigned long va)
{
    long rc = mt_ext(MMUEXT_INVLPG_LOCAL, va, 0, DOMID_SELF);

    if (rc)
        panic("mmu: INVLPG_LOCAL %#lx: %ld", va, rc);
}

void mt_win_restore(void)
{
    long rc = mt_win_set(mt_ma(mt_win) | P_ | RW_ | A_ | D_);

    if (rc)
        panic("mmu: cannot restore the window: %ld", rc);
    mt_invlpg(WIN_VA);
}

/* ---- Shorthands the scenarios share ---- */
long mt_set(unsigned long pfn, unsigned int slot, uint64_t val)
{
    return mt_mmu1(mt_slot(pfn, slot), val, DOMID_SELF);
}

long mt_pin(unsigned int level, unsigned long pfn)
{
    return mt_ext(MMUEXT_PIN_L1_TABLE + level - 1, mt_mfn(pfn), 0, DOMID_SELF);
}

long mt_unpin(unsigned long pfn)
{
    return mt_ext(MMUEXT_UNPIN_TABLE, mt_mfn(pfn), 0, DOMID_SELF);
}

/* A copy of the bootstrap L4's guest slots (0-255, 272-511), read-only. */
unsigned long mt_l4_copy(void)
{
    unsigned long pfn = mt_alloc();
    uint64_t *t = mt_va(pfn);

    for (unsigned int s = 0; s < 512; s++)
        if (s < 256 || s >= 272)
            t[s] = mt_get(mt_l4_pfn, s);
    if (mt_ro(pfn))
        panic("mmu: cannot remap the L4 copy read-only");
    return pfn;
}
