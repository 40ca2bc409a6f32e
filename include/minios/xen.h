/*
 * The Xen public interface, as Debian's libxen-dev ships it, pinned to one
 * interface version so that a newer header package cannot silently change
 * what a structure or a name means to us.
 */
#ifndef MINIOS_XEN_H
#define MINIOS_XEN_H

#define MINIOS_XEN_INTERFACE_VERSION 0x00040e00

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ MINIOS_XEN_INTERFACE_VERSION
#elif __XEN_INTERFACE_VERSION__ != MINIOS_XEN_INTERFACE_VERSION
#error "minios is written against Xen interface version 0x00040e00"
#endif

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
