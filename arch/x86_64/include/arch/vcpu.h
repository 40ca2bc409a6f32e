/* What the arch files share about the domain's vCPUs (smpboot.c counts them). */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

/* vCPUs that exist, from arch_vcpu_census(); 1 before it runs. */
unsigned int x86_vcpus_exist(void);

#endif /* ARCH_VCPU_H */
