/*
 * desc.h - GDT, TSS and IDT.
 *
 * Every vCPU runs on a 16-page GDT mapped in the per-domain area (see
 * layout.h): the guest's own frames in pages 0-13 and the hypervisor's
 * reserved descriptors in page 14, which is why the hypervisor's selectors
 * start at 0xe000.  The idle context uses the same layout, with empty
 * guest pages.
 */
#ifndef XL_DESC_H
#define XL_DESC_H

#include <stdint.h>
#include <stdbool.h>
#include "page.h"

struct domain;
struct vcpu;

void percpu_traps_init(void);
void load_vcpu_gdt(const struct vcpu *v);

/* The per-domain GDT window: map guest frame i (or the empty page). */
void perdomain_map_gdt_frame(struct domain *d, unsigned int vcpu_id,
                             unsigned int i, mfn_t mfn);
int perdomain_init(struct domain *d);
void perdomain_install_idle(void);

/* Is this 8-byte descriptor safe for a guest to own?  (update_descriptor,
 * set_gdt.)  Mirrors Xen's check_descriptor(). */
bool check_descriptor(uint64_t *desc);

extern uint64_t zero_page[512];

#endif
