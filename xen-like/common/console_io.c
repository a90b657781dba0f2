/*
 * console_io.c - the guest's console: HYPERVISOR_console_io(cmd, count, buf),
 * and the serial input that CONSOLEIO_read hands out.
 *
 * CONSOLEIO_write prints the guest's bytes on the serial line (dom0's raw,
 * as Xen does; other domains' with a "(dN) " prefix).  CONSOLEIO_read
 * returns the characters typed on the serial line while this domain owned
 * the input (Ctrl-A three times passes it on: to the next live domain, then
 * to the hypervisor, whose keys are debug keys (keyhandler.c), then back to
 * dom0).  Real Xen release builds
 * refuse console_io to unprivileged domains (-EPERM); xen-like allows it,
 * so that test domUs can report without a console backend (a documented
 * divergence).
 */
#include "console.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "hypercall.h"

/*
 * Each domain has its own input ring: a character belongs to the domain
 * that owned the input when it was typed, so nothing typed for dom0 is
 * lost or redirected when Ctrl-A passes the input on.  (Xen queues dom0's
 * input in one ring and a dom0less domU's in its emulated UART.)  Domain
 * ids are not reused, so a ring never outlives its domain's meaning.
 */
static struct inring {
    char buf[256];
    unsigned int head, tail;            /* free-running; head - tail queued */
} inring[MAX_DOMAINS];
static int input_owner;                 /* domid, or -1: the hypervisor */
static unsigned int ctrl_a_run;

int console_input_owner(void)
{
    return input_owner;
}

static void switch_input(void)
{
    int next = input_owner;

    do
    {
        next = next < 0 ? 0 : next + 1;
        if ( next >= MAX_DOMAINS )
            next = -1;
    } while ( next >= 0 && (!get_domain_by_id((domid_t)next) ||
                            get_domain_by_id((domid_t)next)->state == DOMAIN_DEAD) );
    input_owner = next;
    if ( next < 0 )
        printk("*** Serial input to Xen (type 'CTRL-a' three times to switch input)\n");
    else
        printk("*** Serial input to DOM%d (type 'CTRL-a' three times to switch input)\n",
               next);
}

/* One typed character for the current owner: a domain's ring, or a debug
 * key when the hypervisor owns the input. */
static void queue_input(char c)
{
    struct domain *d;
    struct inring *r;

    if ( input_owner < 0 )
    {
        handle_keypress(c);
        return;
    }
    r = &inring[input_owner];
    if ( r->head - r->tail < sizeof(r->buf) )
        r->buf[r->head++ % sizeof(r->buf)] = c;
    d = get_domain_by_id((domid_t)input_owner);
    if ( d && d->vcpu[0] )
        send_guest_vcpu_virq(d->vcpu[0], VIRQ_CONSOLE);   /* as Xen tells dom0 */
}

void console_poll_input(void)
{
    int c;

    while ( (c = console_getc()) >= 0 )
    {
        if ( c == 0x01 && ++ctrl_a_run == 3 )
        {
            ctrl_a_run = 0;
            switch_input();
            continue;
        }
        if ( c != 0x01 )
            ctrl_a_run = 0;
        queue_input((char)c);
    }
}

long do_console_io(unsigned long cmd, unsigned long count, unsigned long buffer)
{
    struct domain *d = current->domain;
    char chunk[128];
    unsigned int n = (unsigned int)count;     /* the ABI's count is 32-bit */

    switch ( cmd )
    {
    case CONSOLEIO_write:
        for ( unsigned int done = 0; done < n; )
        {
            unsigned int len = n - done > sizeof(chunk) ? sizeof(chunk) : n - done;

            if ( copy_from_guest(chunk, buffer + done, len) )
                return -XEN_EFAULT;
            guest_console_write(d, chunk, len);
            done += len;
        }
        return 0;
    case CONSOLEIO_read:
    {
        struct inring *r;
        unsigned int got;

        console_poll_input();
        if ( d->domain_id >= MAX_DOMAINS )
            return 0;
        r = &inring[d->domain_id];
        for ( got = 0; got < n && got < sizeof(chunk) && r->tail + got != r->head; got++ )
            chunk[got] = r->buf[(r->tail + got) % sizeof(r->buf)];
        if ( got && copy_to_guest(buffer, chunk, got) )
            return -XEN_EFAULT;         /* nothing consumed */
        r->tail += got;
        return got;
    }
    default:
        return -XEN_ENOSYS;
    }
}
