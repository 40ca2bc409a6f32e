/* Default application hooks for images without the C library (include/kernel/app.h). */
#include <kernel/app.h>
#include <minios/kernel.h>

__weak void app_start(int argc, char **argv, char **envp)
{
    (void)envp;
    minios_exit(main(argc, argv));
}

__weak void app_exit(int status)
{
    minios_exit(status);
}

__weak void app_flush_output(void)
{
}
