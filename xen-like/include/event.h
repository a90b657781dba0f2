/*
 * event.h - event channels (common/event_channel.c).
 */
#ifndef XL_EVENT_H
#define XL_EVENT_H

#include <stdint.h>
#include "xen-abi.h"

struct domain;
struct vcpu;

#define NR_EVTCHN 1024                  /* 2-level ABI, 16 words of 64 ports */

enum evtchn_state { ECS_FREE, ECS_VIRQ, ECS_IPI };

struct evtchn {
    uint8_t state;                      /* enum evtchn_state */
    uint8_t vcpu;                       /* the vCPU it notifies */
    uint16_t virq;                      /* ECS_VIRQ */
};

void evtchn_set_pending(struct domain *d, unsigned int vcpu_id, unsigned int port);
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Deliver a pending upcall to the current vCPU, if its events are enabled. */
void check_events(struct cpu_user_regs *regs);

#endif
