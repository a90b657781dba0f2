/*
 * console.c - printk, log-level filtering, boot timestamps and guest-log
 * rate limiting, on top of the 16550 UART.
 */
#include "console.h"
#include "cmdline.h"
#include "domain.h"
#include "lib.h"
#include "ns16550.h"
#include "x86.h"

unsigned long cpu_khz;
static uint64_t tsc_at_boot;
static bool console_ready;
static bool timestamps;
static int loglvl_host = 1;      /* print levels <= this: warning */
static int loglvl_guest = 1;
static bool at_line_start = true;

/*
 * Measure the TSC against PIT channel 2 for 10 ms.  Under QEMU's -icount
 * the TSC counts instructions, so the figure is only as meaningful as the
 * emulation; it is used for timestamps and rate limiting, never for
 * correctness.
 */
void time_calibrate(void)
{
    const unsigned int pit_hz = 1193182, ms = 10;
    unsigned int count = pit_hz * ms / 1000;
    uint64_t t0, t1;
    unsigned long spins = 0;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* gate on, speaker off */
    outb(0x43, 0xb0);                         /* ch2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    t0 = rdtsc();
    while ( !(inb(0x61) & 0x20) && ++spins < 100000000UL )
        ;
    t1 = rdtsc();
    cpu_khz = (unsigned long)((t1 - t0) / ms);
    if ( cpu_khz == 0 )
        cpu_khz = 1000000;                    /* no PIT: pretend 1 GHz */
}

unsigned long long boot_time_ns(void)
{
    uint64_t d = rdtsc() - tsc_at_boot;

    if ( !cpu_khz )
        return 0;
    return (unsigned long long)(d / cpu_khz) * 1000000ULL +
           (d % cpu_khz) * 1000000ULL / cpu_khz;
}

void console_init_preirq(void)
{
    tsc_at_boot = rdtsc();
    ns16550_init(COM1_BASE, 115200);
    console_ready = true;
}

static int parse_loglvl(const char *s)
{
    static const char *const names[] = { "error", "warning", "info", "debug" };

    if ( !strcmp(s, "none") )
        return -1;
    if ( !strcmp(s, "all") )
        return 3;
    for ( int i = 0; i < 4; i++ )
        if ( !strncmp(s, names[i], strlen(names[i])) )
            return i;
    printk(XENLOG_WARNING "unknown log level '%s', using warning\n", s);
    return 1;
}

/* Apply console=, com1=, loglvl=, guest_loglvl= and console_timestamps=. */
void console_init_postparse(void)
{
    const char *endp;
    unsigned long baud = simple_strtoul(opt_com1, &endp, 10);

    if ( endp == opt_com1 || baud == 0 || baud > 115200 )
    {
        printk(XENLOG_WARNING "com1=%s: bad baud rate, using 115200\n", opt_com1);
        baud = 115200;
    }
    else if ( *endp == ',' && strcmp(endp + 1, "8n1") )
        printk(XENLOG_WARNING "com1=%s: only 8n1 framing is supported\n", opt_com1);
    if ( strcmp(opt_console, "com1") && strncmp(opt_console, "com1,", 5) )
        printk(XENLOG_WARNING "console=%s: only com1 exists here, using it\n",
               opt_console);
    ns16550_init(COM1_BASE, (unsigned int)baud);
    loglvl_host = parse_loglvl(opt_loglvl);
    loglvl_guest = parse_loglvl(opt_guest_loglvl);
    timestamps = strcmp(opt_console_timestamps, "none") != 0;
}

void console_write(const char *buf, size_t len)
{
    for ( size_t i = 0; i < len; i++ )
    {
        if ( buf[i] == '\n' )
            ns16550_putc('\r');
        ns16550_putc(buf[i]);
    }
}

int console_getc(void)
{
    return ns16550_getc();
}

/*
 * Hypervisor lines start with "(XEN) " and an optional boot timestamp, as
 * Xen's do; guest console output (console_io) is written raw by
 * guest_console_write(), so the two can always be told apart in a log.
 */
static void emit(const char *s, size_t n)
{
    char ts[32];

    for ( size_t i = 0; i < n; i++ )
    {
        if ( at_line_start )
            console_write("(XEN) ", 6);
        if ( at_line_start && timestamps )
        {
            unsigned long long ns = boot_time_ns();
            int l = snprintf(ts, sizeof(ts), "[%5llu.%06llu] ",
                             ns / 1000000000ULL, (ns / 1000ULL) % 1000000ULL);
            console_write(ts, (size_t)l);
        }
        at_line_start = s[i] == '\n';
        console_write(&s[i], 1);
    }
}

/* Strip a "<N>" or "<GN>" prefix; returns the level and the message. */
static const char *split_level(const char *s, int *level, bool *guest)
{
    *level = 1;
    *guest = false;
    if ( s[0] == '<' && s[1] == 'G' && s[2] >= '0' && s[2] <= '3' && s[3] == '>' )
    {
        *guest = true;
        *level = s[2] - '0';
        return s + 4;
    }
    if ( s[0] == '<' && s[1] >= '0' && s[1] <= '3' && s[2] == '>' )
    {
        *level = s[1] - '0';
        return s + 3;
    }
    return s;
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int level, n;
    bool guest;
    const char *msg = split_level(fmt, &level, &guest);

    if ( level > (guest ? loglvl_guest : loglvl_host) )
        return;
    n = vsnprintf(buf, sizeof(buf), msg, ap);
    if ( n < 0 )
        return;
    emit(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

/* Token bucket shared by all guest-caused messages. */
#define RL_BURST   20
#define RL_TICK_MS 100
static unsigned int rl_tokens = RL_BURST;
static unsigned long long rl_last_ns;
static unsigned long rl_suppressed;

static bool guest_log_allowed(void)
{
    unsigned long long now = boot_time_ns();
    unsigned long long refill = (now - rl_last_ns) / (RL_TICK_MS * 1000000ULL);

    if ( refill )
    {
        rl_tokens = rl_tokens + refill > RL_BURST ? RL_BURST
                                                  : rl_tokens + (unsigned int)refill;
        rl_last_ns = now;
    }
    if ( rl_tokens == 0 )
    {
        rl_suppressed++;
        return false;
    }
    rl_tokens--;
    return true;
}

void gprintk(const struct domain *d, const char *fmt, ...)
{
    char buf[400];
    int level;
    bool guest;
    const char *msg = split_level(fmt, &level, &guest);
    va_list ap;

    if ( level > loglvl_guest || !guest_log_allowed() )
        return;
    if ( rl_suppressed )
    {
        printk("(%lu guest messages suppressed)\n", rl_suppressed);
        rl_suppressed = 0;
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), msg, ap);
    va_end(ap);
    if ( d )
        printk("d%u: %s", d->domain_id, buf);
    else
        printk("%s", buf);
}

/*
 * Output from a guest's console_io.  dom0's bytes go out unchanged, as on
 * Xen; other domains' lines get a "(dN) " prefix.  A hypervisor line in
 * the middle of a guest line starts on a fresh line.
 */
void guest_console_write(const struct domain *d, const char *buf, size_t len)
{
    static bool guest_line_start = true;

    if ( !at_line_start )
    {
        console_write("\n", 1);
        at_line_start = true;
    }
    for ( size_t i = 0; i < len; i++ )
    {
        if ( guest_line_start && d->domain_id != 0 )
        {
            char pfx[12];
            int l = snprintf(pfx, sizeof(pfx), "(d%u) ", d->domain_id);
            console_write(pfx, (size_t)l);
        }
        console_write(&buf[i], 1);
        guest_line_start = buf[i] == '\n';
    }
}
