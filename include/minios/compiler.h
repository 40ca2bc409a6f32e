/*
 * Compiler helpers used everywhere: attributes, barriers, once-only accesses
 * and small arithmetic on alignment.  Nothing here emits code on its own.
 */
#ifndef MINIOS_COMPILER_H
#define MINIOS_COMPILER_H

#include <stddef.h>

/*
 * The C library's <sys/cdefs.h> (newlib's in applications, glibc's in host
 * tests) defines some of the same names, not always spelled the same way:
 * take its definitions first, and ours only where it has none.
 */
#if defined(__has_include)
#if __has_include(<sys/cdefs.h>)
#include <sys/cdefs.h>

#endif
#endif
#ifndef __noreturn
#define __noreturn __attribute__((__noreturn__))
#endif
#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
#ifndef __aligned
#define __aligned(n) __attribute__((__aligned__(n)))
#endif
#ifndef __section
#define __section(s) __attribute__((__section__(s)))
#endif
#ifndef __used
#define __used __attribute__((__used__))
#endif
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#ifndef __weak
#define __weak __attribute__((__weak__))
#endif
#ifndef __printf
#define __printf(f, a) __attribute__((__format__(__printf__, f, a)))
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#ifndef __noinline
#define __noinline __attribute__((__noinline__))
#endif

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#define ALIGN_UP(x, a)   (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

/*
 * The kernel's one barrier vocabulary.  barrier() stops only the compiler.
 * rmb() keeps loads after it from passing loads before it, wmb() the same
 * for stores, mb() orders everything: for memory another vCPU or another
 * domain shares (rings, shared_info, vcpu_info).  Under x86-64's ordering
 * (TSO) only mb() is an instruction; the acquire/release fences cost nothing
 * there but say what the protocol needs.  All compile on the host too.
 */
#define barrier() __asm__ __volatile__("" ::: "memory")
#define rmb()                                                                                      \
    __extension__({                                                                                \
        barrier();                                                                                 \
        __atomic_thread_fence(__ATOMIC_ACQUIRE);                                                   \
    })
#define wmb()                                                                                      \
    __extension__({                                                                                \
        barrier();                                                                                 \
        __atomic_thread_fence(__ATOMIC_RELEASE);                                                   \
    })
#define mb()                                                                                       \
    __extension__({                                                                                \
        barrier();                                                                                 \
        __atomic_thread_fence(__ATOMIC_SEQ_CST);                                                   \
    })

/*
 * Exactly one access of the given width, never merged, split or repeated.
 * Used for memory another vCPU or another domain writes (shared rings,
 * shared_info), where reading a value twice could see two different values.
 */
#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* Tell the CPU we are spinning (x86 `pause`): kinder to a sibling thread. */
#define cpu_relax() __builtin_ia32_pause()

#endif /* MINIOS_COMPILER_H */
