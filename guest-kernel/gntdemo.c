/*
 * gntdemo.c - the `gntdemo give|take peer=N` boot mode: two domains share
 * a page through a grant, with no xenstore.
 *
 * The convention (docs/guest-kernel.md, "Grant tables"):
 *   - domids follow the boot order (docs/domains.md), so each side is told
 *     its peer on the command line: d1 runs `gntdemo give peer=2`, d2 runs
 *     `gntdemo take peer=1`;
 *   - the giver grants two frames at fixed refs: GNTDEMO_MSG (the page the
 *     taker writes its message into) and GNTDEMO_CTL (a control page, one
 *     word `state` both sides poll, yielding between looks);
 *   - the taker retries map_grant_ref of GNTDEMO_CTL until the giver's
 *     grant appears (before that Xen answers bad_gntref or general_error).
 *
 * The conversation, through ctl->state:
 *   taker maps both pages, writes the message        -> state 1
 *   giver reads it; the pin probe of the message frame
 *     as an L1 is -EINVAL (the taker's mapping is writable) -> state 2
 *   taker unmaps the message page                     -> state 3, unmaps ctl
 *   giver: the entry's reading/writing flags are clear; it zeroes the
 *     frame (message bytes are not valid PTEs) and the pin probe is 0;
 *     both grants end.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "lib.h"
#include "mm.h"
#include "gnttab.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define GNTDEMO_MSG 16
#define GNTDEMO_CTL 17
#define WAIT_NS     (30UL * 1000 * 1000 * 1000)

struct ctl { volatile uint64_t state; };

static const char message[] = "hello from d2, written through a grant mapping";

static bool wait_state(volatile uint64_t *state, uint64_t want)
{
    uint64_t until = now_ns() + WAIT_NS;

    while (*state != want) {
        if (now_ns() > until)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return true;
}

static void set_state(volatile uint64_t *state, uint64_t v)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *state = v;
}

static int give(domid_t peer)
{
    unsigned long msg = mt_alloc(), ctl = mt_alloc();
    struct ctl *c = mt_va(ctl);
    char got[sizeof(message)];
    long rc;

    ktap_begin(5);
    gnttab_grant_ref(GNTDEMO_MSG, peer, mt_mfn(msg), false);
    gnttab_grant_ref(GNTDEMO_CTL, peer, mt_mfn(ctl), false);
    printk("# gntdemo: granted pfn %#lx (mfn %#lx) as ref %u and the control page as ref %u to d%u\n",
           msg, mt_mfn(msg), GNTDEMO_MSG, GNTDEMO_CTL, peer);
    /* Our own mapping read-only: the taker's is then the only writable one. */
    rc = mt_ro(msg);
    ktap_case("give_own_mapping_ro", rc ? ktap_reason("update_va_mapping: %ld", rc) : NULL);

    if (!wait_state(&c->state, 1)) {
        ktap_case("give_message_arrived", "d2 never wrote its message");
        return (int)ktap_end();
    }
    memcpy(got, mt_va(msg), sizeof(got));
    got[sizeof(got) - 1] = 0;
    printk("# gntdemo: d%u wrote: \"%s\" (entry flags %#x)\n", peer, got, gnttab_flags(GNTDEMO_MSG));
    ktap_case("give_message_arrived", strcmp(got, message) ? "the message differs" : NULL);
    rc = mt_pin(1, msg);
    printk("# gntdemo: pin probe while d%u has it mapped read-write: %ld\n", peer, rc);
    ktap_case("give_pin_probe_while_mapped_is_einval",
              rc == -XEN_EINVAL ? NULL : ktap_reason("pin answered %ld", rc));
    if (rc == 0)
        mt_unpin(msg);
    set_state(&c->state, 2);

    if (!wait_state(&c->state, 3)) {
        ktap_case("give_pin_probe_after_unmap_is_0", "d2 never unmapped the page");
        return (int)ktap_end();
    }
    printk("# gntdemo: d%u unmapped it; entry flags %#x\n", peer, gnttab_flags(GNTDEMO_MSG));
    /* The message's bytes are no valid PTEs: clear the frame, then pin it. */
    mt_rw(msg);
    memset(mt_va(msg), 0, PAGE_SIZE);
    mt_ro(msg);
    rc = mt_pin(1, msg);
    printk("# gntdemo: pin probe after the unmap: %ld\n", rc);
    ktap_case("give_pin_probe_after_unmap_is_0", rc ? ktap_reason("pin answered %ld", rc) : NULL);
    if (rc == 0)
        mt_unpin(msg);
    mt_rw(msg);
    /* The taker unmaps the control page right after state 3. */
    for (int i = 0; i < 1000 && (gnttab_flags(GNTDEMO_CTL) & (GTF_reading | GTF_writing)); i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    ktap_case("give_both_grants_ended",
              gnttab_end(GNTDEMO_MSG) && gnttab_end(GNTDEMO_CTL) ? NULL :
              "a grant is still mapped");
    return (int)ktap_end();
}

static int take(domid_t peer)
{
    unsigned long vmsg = mt_alloc(), vctl = mt_alloc();
    unsigned long va_msg = (unsigned long)mt_va(vmsg), va_ctl = (unsigned long)mt_va(vctl);
    struct ctl *c = (struct ctl *)va_ctl;
    grant_handle_t hc = 0, hm = 0;
    int16_t st = GNTST_general_error;
    unsigned long tries = 0;
    uint64_t until = now_ns() + WAIT_NS;
    long rc;

    ktap_begin(5);
    /* Map onto empty PTEs, as Linux does: the hypervisor does not flush
     * the TLB entry of whatever the VA mapped before (seen on xen-like:
     * without this, d2 wrote into its own old frame). */
    mt_map(vmsg, 0);
    mt_map(vctl, 0);
    /* Retry until d<peer> has set up its table and granted the ref. */
    do {
        rc = gnttab_map(peer, GNTDEMO_CTL, va_ctl, GNTMAP_host_map, &st, &hc);
        tries++;
        if (!rc && st == GNTST_okay)
            break;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    } while (now_ns() < until);
    printk("# gntdemo: mapped d%u's ref %u after %lu tries (rc %ld, status %d)\n",
           peer, GNTDEMO_CTL, tries, rc, st);
    ktap_case("take_map_control_page", !rc && st == GNTST_okay ? NULL :
              ktap_reason("rc %ld status %d", rc, st));
    if (rc || st != GNTST_okay)
        return (int)ktap_end();
    rc = gnttab_map(peer, GNTDEMO_MSG, va_msg, GNTMAP_host_map, &st, &hm);
    ktap_case("take_map_message_page", !rc && st == GNTST_okay ? NULL :
              ktap_reason("rc %ld status %d", rc, st));
    if (rc || st != GNTST_okay)
        return (int)ktap_end();
    memcpy((void *)va_msg, message, sizeof(message));
    printk("# gntdemo: wrote \"%s\" into d%u's page\n", message, peer);
    set_state(&c->state, 1);

    ktap_case("take_giver_probed", wait_state(&c->state, 2) ? NULL : "d1 never answered");
    rc = gnttab_unmap(va_msg, hm, 0, &st);
    ktap_case("take_unmap_message_page", !rc && st == GNTST_okay ? NULL :
              ktap_reason("rc %ld status %d", rc, st));
    printk("# gntdemo: unmapped the message page (status %d); PTE now %#lx\n",
           st, (unsigned long)*l1e_of(va_msg));
    mt_rw(vmsg);
    set_state(&c->state, 3);
    rc = gnttab_unmap(va_ctl, hc, 0, &st);
    ktap_case("take_unmap_control_page", !rc && st == GNTST_okay ? NULL :
              ktap_reason("rc %ld status %d", rc, st));
    mt_rw(vctl);
    return (int)ktap_end();
}

int gntdemo_main(void)
{
    const char *cmd = (const char *)start_info->cmd_line;
    char w[16];
    domid_t peer;

    word_value(cmd, "peer=", w, sizeof(w));
    peer = (domid_t)simple_strtoul(w, NULL, 0);
    printk("# guest-kernel gntdemo: %s, peer d%u\n",
           has_word(cmd, "give") ? "giving a page" : "mapping a page", peer);
    mt_init();
    if (!gnttab.shared && has_word(cmd, "give")) {
        ktap_begin(1);
        ktap_case("give_grant_table", "no grant table at boot");
        return (int)ktap_end();
    }
    return has_word(cmd, "give") ? give(peer) : take(peer);
}
