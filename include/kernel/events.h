/* Event machinery internals (the events/ folder) that the rest of the kernel calls. */
#ifndef KERNEL_EVENTS_H
#define KERNEL_EVENTS_H

#include <minios/events.h>

/*
 * Installs @fn on @port, bound by someone else (the toolstack's xenstore
 * port), delivered to vCPU 0, and unmasks it.
 */
int evtchn_attach(evtchn_port_t port, evtchn_handler_t fn, void *arg);

/* Masks every port and prepares the handler table (boot vCPU, once). */
void events_init(void);

/* Per-vCPU set-up: timer VIRQ, periodic timer off, debug VIRQ. */
void events_init_cpu(void);

/* The pieces of it (events/timer.c, events/debug.c). */
void timer_init_cpu(void);
void events_debug_init_cpu(void);

/* The handler installed on @port, or NULL (events/debug.c reports it). */
evtchn_handler_t events_handler(evtchn_port_t port);

/* The C side of the event upcall (arch/x86_64/entry.S). */
void events_upcall(void);

/* Runs the handler of @port, pending on this vCPU (events/upcall.c calls it). */
void events_dispatch(evtchn_port_t port);

/* Rebinds the interdomain and unbound ports of vCPU @from to vCPU @to. */
void events_move_ports(unsigned int from, unsigned int to);

/* Ports in use, pending and masked, per vCPU (VIRQ_DEBUG and tests). */
void events_dump(void);

/* At exit: a line for PVH event vectors ignored or on idle's hlt (pvh/traps.c). */
void events_exit_report(void);

#endif /* KERNEL_EVENTS_H */
