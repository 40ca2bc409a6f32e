/* The CMake project's program: what CMake's checks found, as it saw them. */
#include <stdio.h>

void greet(const char *what, int found);

int main(void)
{
    greet("vsnprintf", HAVE_VSNPRINTF);
    greet("epoll_create", HAVE_EPOLL_CREATE);
    greet("termios.h", HAVE_TERMIOS_H);
    greet("sys/wait.h", HAVE_SYS_WAIT_H);
    printf("cmake-toolchain: done\n");
    return 0;
}
