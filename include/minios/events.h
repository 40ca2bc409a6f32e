/*
 * Event channels: Xen's interrupts.
 *
 * A port is a numbered channel (2-level ABI: ports 0..4095 on x86-64) with a
 * pending bit and a mask bit in shared_info.  Xen sets the pending bit when
 * the port is signalled (by another domain, by Xen for a VIRQ, by another
 * vCPU for an IPI) and, unless the port is masked, flags the vCPU the port
 * is bound to and calls our event upcall.  The upcall clears each pending
 * bit before running the port's handler, so a signal that arrives while the
 * handler runs is delivered again afterwards; signals that arrive while the
 * bit is still set coalesce into one delivery.
 *
 * Handlers run in event context: on the interrupted stack, events masked,
 * on the vCPU the port is bound to.  They must not block.
 *
 * Every function returns 0 or a negative Xen error (XEN_E*, see
 * xen_strerror()).  Binding installs the handler and unmasks the port.
 */
#ifndef MINIOS_EVENTS_H
#define MINIOS_EVENTS_H

#include <stdbool.h>
#include <minios/irqflags.h>
#include <minios/xen.h>

#pragma GCC visibility push(default)

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *arg);

/* A per-vCPU virtual IRQ (VIRQ_TIMER, VIRQ_DEBUG, ...) on vCPU @vcpu. */
int evtchn_bind_virq(uint32_t virq, unsigned int vcpu, evtchn_handler_t fn, void *arg,
                     evtchn_port_t *port);

/* An inter-vCPU interrupt port delivered to @vcpu; signal it with evtchn_send(). */
int evtchn_bind_ipi(unsigned int vcpu, evtchn_handler_t fn, void *arg, evtchn_port_t *port);

/* A new port that domain @remote may connect to (DOMID_SELF: ourselves). */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *arg, evtchn_port_t *port);

/* Connects a new local port to @remote_port of domain @remote. */
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_t fn,
                            void *arg, evtchn_port_t *port);

/* Moves delivery of an interdomain or unbound port to @vcpu. */
int evtchn_bind_vcpu(evtchn_port_t port, unsigned int vcpu);

int evtchn_close(evtchn_port_t port);
int evtchn_send(evtchn_port_t port);

/* Masking a port holds its signals as pending; unmasking delivers them (once). */
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);

#pragma GCC visibility pop

#endif /* MINIOS_EVENTS_H */
