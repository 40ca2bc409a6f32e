/*
 * The application's start, as the kernel asks for it (<kernel/app.h>): the
 * main thread adopts newlib's global state, the environment comes from the
 * command line's leading NAME=VALUE words, the initial files are
 * unpacked into the RAM file system, the constructors run, then
 * main(); its return goes to app_exit(), as exit() from anywhere does
 * (exit.c: the end).
 */
#include <stdlib.h>

#include <kernel/app.h>
#include <minios/thread.h>

#include "../fs/initial_files.h"
#include "libc_thread.h"

extern char **environ;
extern void __libc_init_array(void);

void app_start(int argc, char **argv, char **envp)
{
    libc_set_main_thread(thread_self());
    environ = envp;
    fs_unpack_initial_files(); /* before the constructors: they may read them */
    __libc_init_array();
    app_exit(main(argc, argv));
}
