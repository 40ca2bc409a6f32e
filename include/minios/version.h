/* The minios release, as the banner and the GUEST_VERSION ELF note show it. */
#ifndef MINIOS_VERSION_H
#define MINIOS_VERSION_H

#define MINIOS_VERSION "0.1"

#endif /* MINIOS_VERSION_H */
