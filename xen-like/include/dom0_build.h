/*
 * dom0_build.h - building a PV domain from a kernel image (dom0_build.c),
 * and deciding from the boot modules which domains to build
 * (domain_boot.c).
 */
#ifndef XL_DOM0_BUILD_H
#define XL_DOM0_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include "xen-abi.h"
#include "page.h"

struct boot_info;

#define MAX_BOOT_DOMAINS 8

struct domain_spec {
    domid_t domid;
    bool privileged;                /* dom0: SIF_PRIVILEGED|SIF_INITDOMAIN */
    bool translated;                /* translate mode asked for at boot */
    unsigned long nr_pages;         /* its memory */
    unsigned long max_pages;        /* 0: no ceiling */
    paddr_t kernel_start, kernel_end;
    paddr_t initrd_start, initrd_end;   /* equal: no initrd */
    char cmdline[1024];
};

/* Build one domain as Xen's dom0 builder lays it out. */
int construct_domain(const struct domain_spec *s);

/* Build dom0 and every module marked `domU`; stops the boot on failure. */
void build_domains(const struct boot_info *bi);
extern unsigned long frames_free_without_domains;

#endif
