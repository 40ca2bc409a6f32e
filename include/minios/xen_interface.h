/*
 * The Xen interface version we are written against.  Xen's public headers
 * rename and reshape things by version; pinning it means a newer header
 * package cannot silently change what a name means to us.  Safe to include
 * from assembly (with __ASSEMBLY__ defined, as the Makefile does).
 */
#ifndef MINIOS_XEN_INTERFACE_H
#define MINIOS_XEN_INTERFACE_H

#define MINIOS_XEN_INTERFACE_VERSION 0x00040e00

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ MINIOS_XEN_INTERFACE_VERSION
#elif __XEN_INTERFACE_VERSION__ != MINIOS_XEN_INTERFACE_VERSION
#error "minios is written against Xen interface version 0x00040e00"
#endif

#endif /* MINIOS_XEN_INTERFACE_H */
