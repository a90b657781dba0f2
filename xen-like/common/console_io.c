/*
 * console_io.c - the guest's console: HYPERVISOR_console_io(cmd, count, buf),
 * and the serial input that CONSOLEIO_read hands out.
 *
 * CONSOLEIO_write prints the guest's bytes on the serial line (dom0's raw,
 * as Xen does; other domains' with a "(dN) " prefix).  CONSOLEIO_read
 * returns characters typed on the serial line.  Real Xen release builds
 * refuse console_io to unprivileged domains (-EPERM); xen-like allows it,
 * so that test domUs can report without a console backend (a documented
 * divergence).
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"

static char inring[256];
static unsigned int in_head, in_tail;
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
    in_head = in_tail = 0;
    if ( next < 0 )
        printk("*** Serial input to Xen (type 'CTRL-a' three times to switch input)\n");
    else
        printk("*** Serial input to DOM%d (type 'CTRL-a' three times to switch input)\n",
               next);
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
        if ( input_owner >= 0 && in_head - in_tail < sizeof(inring) )
            inring[in_head++ % sizeof(inring)] = (char)c;
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
        unsigned int got = 0;

        console_poll_input();
        if ( d->domain_id != input_owner )
            return 0;                          /* the input is someone else's */
        while ( got < n && got < sizeof(chunk) && in_tail != in_head )
            chunk[got++] = inring[in_tail++ % sizeof(inring)];
        if ( got && copy_to_guest(buffer, chunk, got) )
            return -XEN_EFAULT;
        return got;
    }
    default:
        return -XEN_ENOSYS;
    }
}
