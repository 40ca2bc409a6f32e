/*
 * The teaching switches (kernel/switches.c): MINIOS_PROFILE, MINIOS_WALK,
 * MINIOS_EVENTS, MINIOS_TIME, MINIOS_RUNQ, MINIOS_XENBUS, MINIOS_DUMP,
 * leading words of the guest's command line (docs/README.md).
 */
#ifndef KERNEL_SWITCHES_H
#define KERNEL_SWITCHES_H

/* Acts on the switches among the environment words, before main(). */
void switches_parse(char **envp);

/* The tables the switches asked for, as the program exits (minios_exit()). */
void switches_exit_report(void);

#endif /* KERNEL_SWITCHES_H */
