/*
 * abi_callback.c - where the hypervisor may enter the guest: callbacks
 * (callback_op, set_callbacks), the virtual IDT (set_trap_table) and the
 * kernel stack for entries from user mode (stack_switch).
 *
 * Rules (reference §1.5-§1.7, docs/hypercalls.md):
 *   - every callback type a 64-bit PV guest has can be registered; an
 *     unknown type is -ENOSYS; only the NMI callback can be unregistered;
 *   - a trap-table handler must be canonical, an unreadable table is
 *     -EFAULT, and a NULL table clears the whole virtual IDT;
 *   - stack_switch only records ss:sp, it checks nothing.
 * Each case that changes an entry point puts ours back before it returns.
 */
#include "kernel.h"
#include "ktap.h"
#include "traps.h"
#include "abi.h"
#include "guest-hypercall.h"

#define NONCANONICAL 0x0000800000000000UL   /* first non-canonical address */
#define UNMAPPED     0x1000UL

/* entry.S */
void hypervisor_callback(void);
void failsafe_callback(void);
extern char boot_stack_top[];

/* Entry points the guest never uses (no user mode, no 32-bit code). */
static void unused_entry(void)
{
    panic("an unused callback was called");
}

static long register_callback(unsigned int type, unsigned long address)
{
    struct callback_register cb = {
        .type = type, .flags = CALLBACKF_mask_events, .address = address,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

/* Put back what trap_init() registered. */
static void restore_callbacks(void)
{
    if (register_callback(CALLBACKTYPE_event, (unsigned long)hypervisor_callback) ||
        register_callback(CALLBACKTYPE_failsafe, (unsigned long)failsafe_callback))
        panic("could not restore the event/failsafe callbacks");
}

static const char *cb_event(void)
{
    return conf_rc("callback_op.register.event_succeeds",
                   "the event callback of a 64-bit PV guest can be registered",
                   register_callback(CALLBACKTYPE_event,
                                     (unsigned long)hypervisor_callback), 0);
}

static const char *cb_failsafe(void)
{
    return conf_rc("callback_op.register.failsafe_succeeds",
                   "the failsafe callback can be registered",
                   register_callback(CALLBACKTYPE_failsafe,
                                     (unsigned long)failsafe_callback), 0);
}

static const char *cb_syscall(void)
{
    return conf_rc("callback_op.register.syscall_succeeds",
                   "the 64-bit syscall callback can be registered",
                   register_callback(CALLBACKTYPE_syscall,
                                     (unsigned long)unused_entry), 0);
}

static const char *cb_syscall32(void)
{
    return conf_rc("callback_op.register.syscall32_succeeds",
                   "the 32-bit syscall callback can be registered by a 64-bit guest",
                   register_callback(CALLBACKTYPE_syscall32,
                                     (unsigned long)unused_entry), 0);
}

static const char *cb_sysenter(void)
{
    return conf_rc("callback_op.register.sysenter_succeeds",
                   "the sysenter callback can be registered by a 64-bit guest",
                   register_callback(CALLBACKTYPE_sysenter,
                                     (unsigned long)unused_entry), 0);
}

static const char *cb_nmi(void)
{
    return conf_rc("callback_op.register.nmi_succeeds",
                   "the NMI callback can be registered",
                   register_callback(CALLBACKTYPE_nmi,
                                     (unsigned long)unused_entry), 0);
}

/* Type 3 is the old sysenter number, no longer a type of its own. */
static const char *cb_type3(void)
{
    return conf_rc("callback_op.register.old_sysenter_type3_is_enosys",
                   "type 3, the old sysenter number, is no longer a type: -ENOSYS",
                   register_callback(CALLBACKTYPE_sysenter_deprecated,
                                     (unsigned long)unused_entry),
                   -XEN_ENOSYS);
}

static const char *cb_bad_type(void)
{
    return conf_rc("callback_op.register.unknown_type_is_enosys",
                   "registering an unknown callback type (99) is -ENOSYS",
                   register_callback(99, (unsigned long)unused_entry),
                   -XEN_ENOSYS);
}

static const char *cb_noncanonical(void)
{
    long rc = register_callback(CALLBACKTYPE_event, NONCANONICAL);

    restore_callbacks();
    return conf_rc("callback_op.register.noncanonical_address_is_einval",
                   "a callback address must be canonical: -EINVAL otherwise",
                   rc, -XEN_EINVAL);
}

static const char *cb_unregister_event(void)
{
    struct callback_unregister cb = { .type = CALLBACKTYPE_event };

    return conf_rc("callback_op.unregister.event_is_einval",
                   "the event callback cannot be unregistered: -EINVAL",
                   HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb),
                   -XEN_EINVAL);
}

static const char *cb_unregister_nmi(void)
{
    struct callback_unregister cb = { .type = CALLBACKTYPE_nmi };

    return conf_rc("callback_op.unregister.nmi_succeeds",
                   "only the NMI callback can be unregistered",
                   HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb), 0);
}

static const char *cb_bad_cmd(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_event, .address = (unsigned long)hypervisor_callback,
    };
    long rc = HYPERVISOR_callback_op(7, &cb);

    restore_callbacks();
    return conf_rc("callback_op.cmd.unknown_cmd_is_enosys",
                   "an unknown callback_op command (7) is -ENOSYS",
                   rc, -XEN_ENOSYS);
}

static const char *cb_unreadable(void)
{
    long rc = HYPERVISOR_callback_op(CALLBACKOP_register, (void *)UNMAPPED);

    return conf_rc("callback_op.register.unmapped_arg_is_efault",
                   "an unreadable callback_register argument is -EFAULT",
                   rc, -XEN_EFAULT);
}

/* The old interface: event, failsafe and syscall in one call. */
static const char *set_callbacks_ok(void)
{
    long rc = HYPERVISOR_set_callbacks((unsigned long)hypervisor_callback,
                                       (unsigned long)failsafe_callback,
                                       (unsigned long)unused_entry);

    restore_callbacks();        /* set_callbacks drops CALLBACKF_mask_events */
    return conf_rc("set_callbacks.register.event_failsafe_syscall_succeeds",
                   "set_callbacks registers event, failsafe and syscall in one call",
                   rc, 0);
}

/* set_callbacks ignores what each registration returns. */
static const char *set_callbacks_noncanonical(void)
{
    long rc = HYPERVISOR_set_callbacks(NONCANONICAL, NONCANONICAL, NONCANONICAL);

    restore_callbacks();
    return conf_rc("set_callbacks.register.noncanonical_still_returns_0",
                   "set_callbacks ignores what each registration returns: non-canonical gives 0",
                   rc, 0);
}

/* --- set_trap_table (pv/traps.c do_set_trap_table). */

static const char *traps_noncanonical(void)
{
    const struct trap_info t[] = {
        { 0x90, 0, FLAT_KERNEL_CS, NONCANONICAL }, { 0, 0, 0, 0 },
    };

    return conf_rc("set_trap_table.entry.noncanonical_handler_is_einval",
                   "a trap-table handler must be canonical: -EINVAL otherwise",
                   HYPERVISOR_set_trap_table(t), -XEN_EINVAL);
}

static const char *traps_unreadable(void)
{
    return conf_rc("set_trap_table.table.unmapped_is_efault",
                   "an unreadable trap table is -EFAULT",
                   HYPERVISOR_set_trap_table((void *)UNMAPPED), -XEN_EFAULT);
}

/* NULL clears the virtual IDT; ours goes back at once, and int3 proves it. */
static const char *traps_null_then_restore(void)
{
    long rc_null = HYPERVISOR_set_trap_table(NULL);
    long rc_restore = trap_table_install();
    unsigned long before = last_trap.count;
    const char *r;

    if (rc_restore)
        panic("re-installing the trap table failed: %ld", rc_restore);
    r = conf_rc("set_trap_table.table.null_clears_all_succeeds",
                "a NULL table clears the whole virtual IDT and returns 0",
                rc_null, 0);
    __asm__ volatile ("int3" ::: "memory");
    return conf_dec("set_trap_table.table.reinstalled_table_delivers_int3",
                    "a table installed again after the clear delivers int3 to its handler",
                    last_trap.count == before + 1 && last_trap.vector == X86_EXC_BP,
                    1) ?: r;
}

/* --- stack_switch (pv/misc-hypercalls.c do_stack_switch). */

static const char *stack_switch_ok(void)
{
    return conf_rc("stack_switch.stack.kernel_stack_succeeds",
                   "stack_switch records the kernel ss:sp and returns 0",
                   HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                           (unsigned long)boot_stack_top), 0);
}

/* Only used on the way from user mode, so nothing is checked here. */
static const char *stack_switch_noncanonical(void)
{
    long rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS, NONCANONICAL);

    HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (unsigned long)boot_stack_top);
    return conf_rc("stack_switch.stack.noncanonical_sp_still_succeeds",
                   "stack_switch checks nothing: a non-canonical sp is recorded, 0",
                   rc, 0);
}

const struct abi_case abi_callback_cases[] = {
    { "callback_register_event",          cb_event },
    { "callback_register_failsafe",       cb_failsafe },
    { "callback_register_syscall",        cb_syscall },
    { "callback_register_syscall32",      cb_syscall32 },
    { "callback_register_sysenter",       cb_sysenter },
    { "callback_register_nmi",            cb_nmi },
    { "callback_register_type3_enosys",   cb_type3 },
    { "callback_register_unknown_type",   cb_bad_type },
    { "callback_register_noncanonical",   cb_noncanonical },
    { "callback_unregister_event_einval", cb_unregister_event },
    { "callback_unregister_nmi",          cb_unregister_nmi },
    { "callback_op_unknown_cmd",          cb_bad_cmd },
    { "callback_op_unmapped_arg_efault",  cb_unreadable },
    { "set_callbacks",                    set_callbacks_ok },
    { "set_callbacks_noncanonical",       set_callbacks_noncanonical },
    { "set_trap_table_noncanonical",      traps_noncanonical },
    { "set_trap_table_unmapped_efault",   traps_unreadable },
    { "set_trap_table_null_clears",       traps_null_then_restore },
    { "stack_switch",                     stack_switch_ok },
    { "stack_switch_noncanonical",        stack_switch_noncanonical },
    { NULL, NULL }
};
