/*
 * domain_boot.c - which domains to build from the boot modules.
 *
 * The first module is dom0's kernel, and the rest of its string is dom0's
 * command line.  A later module whose string starts with the word `domU`
 * is one more domain, built at boot in the spirit of Xen's dom0less:
 *
 *     domU [mem=SIZE] [translate] [-- GUEST COMMAND LINE]
 *
 * QEMU:  -initrd "guest hello,guest domU mem=16M -- init,guest domU -- attack"
 * GRUB:  module2 /boot/guest domU mem=16M translate -- init
 *
 * Domain ids follow the module order: dom0, then 1, 2, ...  Only dom0 is
 * privileged (SIF_INITDOMAIN).  The first unmarked module after dom0's
 * kernel is dom0's initrd, as on Xen.  A domU gets 32 MiB unless mem= says
 * otherwise; dom0 gets dom0_mem= (at most, as on Xen, what is left after
 * the domUs and a reserve for the hypervisor), or all of that.
 */
#include "bootinfo.h"
#include "cmdline.h"
#include "console.h"
#include "dom0_build.h"
#include "dom0_layout.h"
#include "lib.h"
#include "mm.h"
#include "shutdown.h"

#define DOMU_DEFAULT_PAGES ((32UL << 20) >> PAGE_SHIFT)

static struct domain_spec specs[MAX_BOOT_DOMAINS];

/* Free frames before any domain existed (boot modules counted as free):
 * when every domain is gone, exactly as many must be free again. */
unsigned long frames_free_without_domains;

/* Parse "domU [opts] [-- cmdline]" into s; 0 or a message in *why. */
static int parse_domu(const char *str, struct domain_spec *s, const char **why)
{
    const char *p = str + 4;                    /* after "domU" */

    s->nr_pages = DOMU_DEFAULT_PAGES;
    for ( ;; )
    {
        const char *w, *e;
        char word[64];
        size_t n;

        while ( *p == ' ' )
            p++;
        if ( !*p )
            return 0;
        w = p;
        while ( *p && *p != ' ' )
            p++;
        n = (size_t)(p - w);
        if ( n == 2 && !strncmp(w, "--", 2) )
        {
            while ( *p == ' ' )
                p++;
            strlcpy(s->cmdline, p, sizeof(s->cmdline));
            return 0;
        }
        if ( n >= sizeof(word) )
            n = sizeof(word) - 1;
        memcpy(word, w, n);
        word[n] = '\0';
        if ( !strcmp(word, "translate") )
            s->translated = true;
        else if ( !strncmp(word, "mem=", 4) )
        {
            uint64_t bytes;

            if ( parse_size(word + 4, &bytes) || bytes < (4UL << 20) )
            {
                *why = "mem= needs a size of at least 4M (e.g. mem=32M)";
                return -XEN_EINVAL;
            }
            s->nr_pages = bytes >> PAGE_SHIFT;
        }
        else
        {
            /* Not an option: the guest's command line starts here. */
            e = w;
            strlcpy(s->cmdline, e, sizeof(s->cmdline));
            return 0;
        }
    }
}

void build_domains(const struct boot_info *bi)
{
    unsigned int nr = 1, i;
    unsigned long domu_pages = 0;
    bool have_initrd = false;
    const char *why = NULL;
    int rc;

    memset(specs, 0, sizeof(specs));
    specs[0].privileged = true;
    specs[0].kernel_start = bi->modules[0].start;
    specs[0].kernel_end = bi->modules[0].end;
    strlcpy(specs[0].cmdline, cmdline_cook(bi->modules[0].string, bi->loader, bi->protocol),
            sizeof(specs[0].cmdline));

    for ( i = 1; i < bi->nr_modules; i++ )
    {
        const char *str = cmdline_cook(bi->modules[i].string, bi->loader, bi->protocol);

        if ( !strncmp(str, "domU", 4) && (str[4] == ' ' || str[4] == '\0') )
        {
            struct domain_spec *s;

            if ( nr == MAX_BOOT_DOMAINS )
                machine_stop(STOP_BOOT_REFUSED, "module %u: at most %u domains", i,
                             MAX_BOOT_DOMAINS);
            s = &specs[nr];
            s->domid = (domid_t)nr;
            s->kernel_start = bi->modules[i].start;
            s->kernel_end = bi->modules[i].end;
            if ( parse_domu(str, s, &why) )
                machine_stop(STOP_BOOT_REFUSED, "module %u (\"%s\"): %s", i, str, why);
            domu_pages += s->nr_pages;
            nr++;
        }
        else if ( !have_initrd )
        {
            specs[0].initrd_start = bi->modules[i].start;
            specs[0].initrd_end = bi->modules[i].end;
            have_initrd = true;
        }
        else
            printk(XENLOG_WARNING "module %u (\"%s\") is neither dom0's initrd nor "
                   "marked domU: ignored\n", i, str);
    }

    specs[0].nr_pages = opt_dom0_mem ? opt_dom0_mem >> PAGE_SHIFT : 0;
    specs[0].max_pages = opt_dom0_mem_max >> PAGE_SHIFT;
    {
        unsigned long avail = default_dom0_pages();

        if ( avail <= domu_pages + DOMU_DEFAULT_PAGES )
            machine_stop(STOP_BOOT_REFUSED, "not enough memory: the domUs ask for %lu "
                         "pages, %lu are available", domu_pages, avail);
        avail -= domu_pages;
        /* Like Xen: more than there is means all there is (less the
         * hypervisor's reserve), said once rather than refused. */
        if ( specs[0].nr_pages > avail )
            printk(XENLOG_WARNING "dom0_mem=%luM is more than the %lu MiB available: "
                   "dom0 gets %lu MiB\n", opt_dom0_mem >> 20,
                   avail >> (20 - PAGE_SHIFT), avail >> (20 - PAGE_SHIFT));
        if ( !specs[0].nr_pages || specs[0].nr_pages > avail )
            specs[0].nr_pages = avail;
    }
    frames_free_without_domains = free_pages;
    for ( i = 0; i < nr; i++ )
        if ( (rc = construct_domain(&specs[i])) )
            machine_stop(STOP_BOOT_REFUSED, "could not build d%u from module %u "
                         "(error %d, reason above)", i, i, rc);
    /* The images have been copied into the domains: give the memory back. */
    for ( i = 0; i < bi->nr_modules; i++ )
        frames_free_without_domains += free_boot_range(bi->modules[i].start,
                                                       bi->modules[i].end);
    printk("Built %u domain%s; %lu frames free.\n", nr, nr == 1 ? "" : "s", free_pages);
    print_memory_footprint();
}
