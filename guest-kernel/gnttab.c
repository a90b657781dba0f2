/*
 * gnttab.c - the guest's grant table (gnttab.h), set up at boot the way
 * Mini-OS does it (gnttab_init() in Mini-OS's gnttab.c):
 *
 *   1. GNTTABOP_query_size: how many frames we have and may have;
 *   2. GNTTABOP_setup_table for N frames: the hypervisor grows the table
 *      and writes the frame numbers into our frame list (machine frames
 *      for a PV guest);
 *   3. map each frame over a page of our own image with
 *      update_va_mapping, as shared_info is mapped (the RAM behind those
 *      pages simply stops being mapped).
 *
 * Granting is then plain memory writes into that array: the entry's
 * domid and frame first, then (after a write barrier) its flags, because
 * the hypervisor reads flags first and trusts the rest once they say
 * GTF_permit_access.  Ending a grant is a compare-and-swap of the flags
 * to 0 that fails while the hypervisor has set GTF_reading/GTF_writing
 * (the other domain still has it mapped).
 *
 * Before the hypervisor implements grant tables (xen-like answers
 * -ENOSYS) the boot prints one line and carries on; the grant modes treat
 * it as a failure.
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "mm.h"
#include "gnttab.h"
#include "guest-hypercall.h"

struct gnttab gnttab;
static char area[GNT_MAX_MAPPED * PAGE_SIZE] __attribute__((aligned(4096)));
static grant_ref_t next_ref = GNT_FIRST_FREE;

#define GNT_PTE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

long gnttab_op(unsigned int cmd, void *arg, unsigned int count)
{
    return xen_hypercall(__HYPERVISOR_grant_table_op, cmd, (unsigned long)arg,
                         count, 0, 0);
}

const char *gnttab_init(unsigned int nr)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table s = { .dom = DOMID_SELF };
    xen_pfn_t frames[GNT_MAX_MAPPED];

    gnttab.shared = NULL;
    gnttab.status = GNTST_okay;
    gnttab.rc = gnttab_op(GNTTABOP_query_size, &q, 1);
    if (gnttab.rc)
        return "query_size failed";
    gnttab.status = q.status;
    if (q.status != GNTST_okay)
        return "query_size refused";
    gnttab.max_frames = q.max_nr_frames;
    if (nr > q.max_nr_frames)
        nr = q.max_nr_frames;
    if (nr > GNT_MAX_MAPPED)
        nr = GNT_MAX_MAPPED;
    if (nr == 0)
        return "no grant frames allowed";
    s.nr_frames = nr;
    set_xen_guest_handle(s.frame_list, frames);
    gnttab.rc = gnttab_op(GNTTABOP_setup_table, &s, 1);
    gnttab.status = s.status;
    if (gnttab.rc)
        return "setup_table failed";
    if (s.status != GNTST_okay)
        return "setup_table refused";
    for (unsigned int i = 0; i < nr; i++) {
        gnttab.frame[i] = frames[i];
        gnttab.rc = HYPERVISOR_update_va_mapping((unsigned long)area + i * PAGE_SIZE,
                                                 ((uint64_t)frames[i] << PAGE_SHIFT) | GNT_PTE,
                                                 UVMF_INVLPG);
        if (gnttab.rc)
            return "mapping a grant frame failed";
        gnttab.nr_frames = i + 1;
    }
    gnttab.shared = (grant_entry_v1_t *)area;
    return NULL;
}

void gnttab_boot(void)
{
    const char *why = gnttab_init(GNT_BOOT_FRAMES);

    if (why)
        printk("# gnttab: no grant table (%s: rc %ld, status %d); carrying on\n",
               why, gnttab.rc, gnttab.status);
    else
        printk("# gnttab: %u frames mapped at %p (max %u), first frame %#lx\n",
               gnttab.nr_frames, (void *)gnttab.shared, gnttab.max_frames,
               (unsigned long)gnttab.frame[0]);
}

uint64_t gnttab_area_pte(unsigned long pfn)
{
    unsigned long first = virt_to_pfn(area);

    if (!gnttab.shared || pfn < first || pfn >= first + gnttab.nr_frames)
        return 0;
    return ((uint64_t)gnttab.frame[pfn - first] << PAGE_SHIFT) | GNT_PTE;
}

void gnttab_grant_ref(grant_ref_t ref, domid_t domid, unsigned long frame,
                      bool readonly)
{
    volatile grant_entry_v1_t *e = &gnttab.shared[ref];

    e->domid = domid;
    e->frame = (uint32_t)frame;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* wmb(): flags last */
    e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
}

grant_ref_t gnttab_grant(domid_t domid, unsigned long frame, bool readonly)
{
    grant_ref_t ref = next_ref++;

    if (ref >= gnttab.nr_frames * GNT_PER_FRAME)
        panic("gnttab: out of grant references");
    gnttab_grant_ref(ref, domid, frame, readonly);
    return ref;
}

bool gnttab_end(grant_ref_t ref)
{
    uint16_t *f = &gnttab.shared[ref].flags;
    uint16_t old = __atomic_load_n(f, __ATOMIC_SEQ_CST);

    do {
        if (old & (GTF_reading | GTF_writing))
            return false;
    } while (!__atomic_compare_exchange_n(f, &old, 0, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    return true;
}

uint16_t gnttab_flags(grant_ref_t ref)
{
    return __atomic_load_n(&gnttab.shared[ref].flags, __ATOMIC_SEQ_CST);
}

long gnttab_map(domid_t dom, grant_ref_t ref, uint64_t host_addr, uint32_t flags,
                int16_t *status, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
        .status = 0x7777, .handle = 0xdead,
    };
    long rc = gnttab_op(GNTTABOP_map_grant_ref, &m, 1);

    if (status)
        *status = m.status;
    if (handle)
        *handle = m.handle;
    return rc;
}

long gnttab_unmap(uint64_t host_addr, grant_handle_t handle, uint64_t dev_bus_addr,
                  int16_t *status)
{
    struct gnttab_unmap_grant_ref u = {
        .host_addr = host_addr, .dev_bus_addr = dev_bus_addr, .handle = handle,
        .status = 0x7777,
    };
    long rc = gnttab_op(GNTTABOP_unmap_grant_ref, &u, 1);

    if (status)
        *status = u.status;
    return rc;
}

long gnttab_copy1(struct gnttab_copy *c, int16_t *status)
{
    long rc;

    c->status = 0x7777;
    rc = gnttab_op(GNTTABOP_copy, c, 1);
    if (status)
        *status = c->status;
    return rc;
}
