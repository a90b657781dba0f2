/*
 * setup.c - __start_xen(): the hypervisor's boot, one step per line.
 *
 * head.S arrives here in 64-bit mode, on the boot stack, with the loader's
 * magic and the physical address of its information block.  Read top to
 * bottom, this function is the table of contents of the hypervisor.
 */
#include "bootinfo.h"
#include "cmdline.h"
#include "console.h"
#include "desc.h"
#include "dom0_build.h"
#include "domain.h"
#include "lib.h"
#include "mm.h"
#include "mmu.h"
#include "time.h"
#include "panic.h"
#include "shutdown.h"
#include "version.h"
#include "x86.h"

extern char __image_start[], __image_end[];

static struct boot_info boot_info;
char saved_cmdline[1024];             /* XENVER_commandline */

/* The loader's structures are below 1 GiB, which head.S mapped. */
static const void *boot_map(void *ctx, uint64_t paddr, uint64_t len)
{
    (void)ctx;
    if ( paddr + len < paddr || paddr + len > (1UL << 30) )
        return NULL;
    return maddr_to_virt(paddr);
}

static void boot_warn(const char *msg)
{
    printk(XENLOG_WARNING "%s\n", msg);
}

static void show_memory_map(const struct boot_info *bi)
{
    static const char *const types[] = { "?", "RAM", "reserved", "ACPI data",
                                         "ACPI NVS", "unusable" };

    printk("Memory map from the %s loader (multiboot%u):\n",
           bi->loader[0] ? bi->loader : "unnamed", bi->protocol);
    for ( unsigned int i = 0; i < bi->nr_memmap; i++ )
        printk(" %016lx - %016lx (%s)\n", (unsigned long)bi->memmap[i].addr,
               (unsigned long)(bi->memmap[i].addr + bi->memmap[i].len),
               bi->memmap[i].type <= 5 ? types[bi->memmap[i].type] : "other");
}

/* Mask both 8259 PICs: the hypervisor polls; nothing should interrupt it. */
static void pic_mask_all(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

static void cpu_init(void)
{
    uint32_t a, b, c, d;

    /* FPU/SSE belong to the guest: enable them, the hypervisor never uses them. */
    write_cr0((read_cr0() | X86_CR0_MP | X86_CR0_NE | X86_CR0_WP) &
              ~(X86_CR0_EM | X86_CR0_TS));
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    cpuid_count(1, 0, &a, &b, &c, &d);
    if ( d & (1U << 13) )
        write_cr4(read_cr4() | X86_CR4_PGE);
    percpu_traps_init();

    /* What the PV-MMU core needs to know about this CPU. */
    cpu_has_nx = (rdmsr(MSR_EFER) & EFER_NXE) != 0;
    {
        unsigned int paddr_bits = 36;
        uint32_t vendor_ebx;
        bool amd;

        cpuid_count(0, 0, &a, &vendor_ebx, &c, &d);
        amd = vendor_ebx == 0x68747541;          /* "Auth"enticAMD */
        cpuid_count(0x80000000, 0, &a, &b, &c, &d);
        if ( a >= 0x80000008 )
        {
            cpuid_count(0x80000008, 0, &a, &b, &c, &d);
            paddr_bits = a & 0xff;
        }
        cpuid_count(1, 0, &a, &b, &c, &d);
        /* Xen's HyperTransport hole: AMD families before 0x17. */
        iomem_setup(paddr_bits, amd && ((a >> 8) & 0xf) + ((a >> 20) & 0xff) < 0x17);
    }
}

void __start_xen(uint32_t magic, uint32_t info);
void __start_xen(uint32_t magic, uint32_t info)
{
    const char *why = NULL;
    unsigned long reserved_end;
    int rc;

    console_init_preirq();
    time_calibrate();
    rc = multiboot_parse(magic, info, boot_map, NULL, &boot_info, boot_warn, &why);
    if ( rc )
        machine_stop(STOP_BOOT_REFUSED, "cannot read the boot loader's information: %s",
                     why);

    strlcpy(saved_cmdline, cmdline_cook(boot_info.cmdline, boot_info.loader,
                                        boot_info.protocol), sizeof(saved_cmdline));
    cmdline_parse(cmdline_cook(boot_info.cmdline, boot_info.loader, boot_info.protocol),
                  boot_warn);
    console_init_postparse();
    mmu_trace_enabled = opt_mmu_trace;
    printk("xen-like: a teaching hypervisor for PV-MMU (Xen %d.%d guest ABI)\n",
           XEN_LIKE_ABI_MAJOR, XEN_LIKE_ABI_MINOR);
    printk("Command line: %s\n", saved_cmdline);
    printk("TSC: %lu.%03lu MHz\n", cpu_khz / 1000, cpu_khz % 1000);
    show_memory_map(&boot_info);
    if ( boot_info.nr_modules == 0 )
        machine_stop(STOP_BOOT_REFUSED, "no dom0 kernel: pass one as the first module "
              "(-initrd \"guest-kernel ARGS\" or module2 in grub.cfg)");

    pic_mask_all();
    cpu_init();

    reserved_end = virt_to_maddr(__image_end);
    for ( unsigned int i = 0; i < boot_info.nr_modules; i++ )
        if ( boot_info.modules[i].end > reserved_end &&
             boot_info.modules[i].end < (1UL << 30) )
            reserved_end = boot_info.modules[i].end;
    init_memory(&boot_info, reserved_end);

    build_domains(&boot_info);
    time_init();
    printk("Starting dom0.\n");
    schedule();
}
