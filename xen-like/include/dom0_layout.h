/*
 * dom0_layout.h - where things go in dom0's bootstrap region (Xen's rules).
 */
#ifndef XL_DOM0_LAYOUT_H
#define XL_DOM0_LAYOUT_H

#include <stdbool.h>
#include "libelf.h"

struct layout {
    unsigned long v_start, v_end, vkern_start, vkern_end;
    unsigned long vinitrd_start, vinitrd_end, vphysmap_start, vphysmap_end;
    unsigned long vstartinfo_start, vstartinfo_end, vpt_start, vpt_end;
    unsigned long vstack_start, vstack_end;
    unsigned long nr_pt_pages, nr_pages;
};

void compute_layout(struct layout *l, const struct elf_dom_parms *p,
                    unsigned long initrd_len);
void show_layout(domid_t domid, const struct layout *l, const struct elf_dom_parms *p);
unsigned long default_dom0_pages(void);
bool domain_listed(const char *list, unsigned int domid);

#endif
