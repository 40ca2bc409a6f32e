/* The start-of-day banner (kernel/banner.c). */
#ifndef KERNEL_BANNER_H
#define KERNEL_BANNER_H

/* Prints who we are, where we run and with what; @cmdline as Xen gave it. */
void print_banner(const char *cmdline);

#endif /* KERNEL_BANNER_H */
