/*
 * The application's start, as the kernel asks for it (<kernel/app.h>): the
 * main thread adopts newlib's global state, the environment comes from the
 * command line's leading NAME=VALUE words, the constructors run, then
 * main(); its return goes to app_exit(), as exit() from anywhere does
 * (exit.c: the end).  The initial files are unpacked into the RAM file
 * system before the constructors, by __minios_unpack_initial_files() in
 * .preinit_array, which only an image with files holds (minios-link
 * --files): an image without them links no file system for it.
 */
#include <stdlib.h>

#include <kernel/app.h>
#include <minios/thread.h>

#include "libc_thread.h"

extern char **environ;
extern void __libc_init_array(void);

void app_start(int argc, char **argv, char **envp)
{
    libc_set_main_thread(thread_self());
    environ = envp;
    __libc_init_array();
    app_exit(main(argc, argv));
}
