/*
 * What the kernel knows of the application linked with it.  The build
 * generates minios_app_name (build/<app>/app_info.c) from the app's directory.
 */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

extern const char minios_app_name[];

int main(int argc, char **argv);

#endif /* KERNEL_APP_H */
