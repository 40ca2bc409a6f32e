/*
 * The Xen public interface, as Debian's libxen-dev ships it, at the
 * interface version <minios/xen_interface.h> pins.
 */
#ifndef MINIOS_XEN_H
#define MINIOS_XEN_H

#include <minios/xen_interface.h>

#include <stdint.h>

#include <xen/xen.h>
#include <xen/version.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/callback.h>
#include <xen/grant_table.h>
#include <xen/nmi.h>

#endif /* MINIOS_XEN_H */
